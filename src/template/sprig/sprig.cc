#include "template/funcs.h"
#include "template/sprig/util.h"

namespace kstack::tmpl {

void AddSprigFuncs(FuncMap* map) {
  sprig::AddStrings(map);
  sprig::AddLists(map);
  sprig::AddDicts(map);
  sprig::AddMath(map);
  sprig::AddDefaults(map);
  sprig::AddEncoding(map);
  sprig::AddRegex(map);
  sprig::AddSemver(map);
  sprig::AddDates(map);
  sprig::AddCrypto(map);
  sprig::AddCerts(map);
  sprig::AddPasswords(map);
  sprig::AddPaths(map);
  sprig::AddReflect(map);
}

}  // namespace kstack::tmpl
