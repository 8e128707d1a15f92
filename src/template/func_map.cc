#include "template/funcs.h"

namespace kstack::tmpl {

const FuncMap& HelmFuncMap() {
  // Built on first use (thread-safe static initialisation) and read-only afterwards.
  static const FuncMap* map = [] {
    auto* m = new FuncMap();
    AddBuiltinFuncs(m);
    AddSprigFuncs(m);
    AddHelmFuncs(m);
    return m;
  }();
  return *map;
}

}  // namespace kstack::tmpl
