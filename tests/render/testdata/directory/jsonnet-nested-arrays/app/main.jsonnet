local cm(n) = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: n } };
[
  cm('one'),
  [cm('two'), [cm('three'), null]],
  [],
  { apiVersion: 'v1', kind: 'List', items: [cm('four'), cm('five')] },
]
