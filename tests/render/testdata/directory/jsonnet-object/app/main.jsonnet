local name = 'single';
{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: name }, data: { n: std.toString(1 + 2) } }
