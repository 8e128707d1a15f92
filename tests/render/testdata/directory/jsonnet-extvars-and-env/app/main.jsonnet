{
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: std.extVar('app'), namespace: std.extVar('ns'), labels: { tier: std.extVar('labels').tier } },
  data: { unset: std.extVar('unset'), dollars: std.extVar('dollars'), size: std.toString(std.extVar('labels').size) },
}
