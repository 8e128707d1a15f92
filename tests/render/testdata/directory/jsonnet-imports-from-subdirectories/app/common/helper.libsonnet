local base = import 'base.libsonnet';
{ named(n):: base.cm('helper-' + n) }
