function(name, replicas, suffix='-default') {
  apiVersion: 'apps/v1', kind: 'Deployment',
  metadata: { name: name + suffix },
  spec: { replicas: replicas },
}
