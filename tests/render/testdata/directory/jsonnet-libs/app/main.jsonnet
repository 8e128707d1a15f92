local k = import 'k.libsonnet';
local local_lib = import 'local.libsonnet';
[
  k.cm('last-lib-wins-' + k.from),
  k.cm(local_lib.where),
  k.cm((import 'only-vendor.libsonnet').value),
  k.cm(std.strReplace(importstr 'data.txt', '\n', '')),
]
