(import 'only-vendor.libsonnet') + { cm(n):: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: n } }, from:: 'override' }
