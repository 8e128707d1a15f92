local h = import '../common/helper.libsonnet';
local app = import 'common/base.libsonnet';
[h.named('team'), app.cm('via-app-path')]
