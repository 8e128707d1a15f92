local x = import 'missing.libsonnet';
x
