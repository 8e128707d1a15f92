#include "tests/arch/module_order.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <regex>
#include <set>

namespace kstack::arch {
namespace {

namespace fs = std::filesystem;

// The "may use" column of DESIGN.md's module table.
const std::map<std::string, std::set<std::string>>& AllowedUses() {
  static const auto* table = new std::map<std::string, std::set<std::string>>{
      {"cli", {"provision", "web", "gitops", "render", "template", "git", "server", "store",
               "kube", "machinery", "core"}},
      {"provision", {"kube", "core"}},
      {"web", {"gitops", "kube", "core"}},
      {"gitops", {"render", "git", "kube", "machinery", "core"}},
      {"render", {"template", "core"}},
      {"template", {"core"}},
      {"git", {"core"}},
      {"server", {"store", "kube", "machinery", "core"}},
      {"store", {"core"}},
      {"kube", {"machinery", "core"}},
      {"machinery", {"core"}},
      {"core", {}},
  };
  return *table;
}

std::string Join(const std::set<std::string>& names) {
  if (names.empty()) return "nothing";
  std::string out;
  for (const std::string& n : names) {
    if (!out.empty()) out += ", ";
    out += n;
  }
  return out;
}

}  // namespace

std::vector<std::string> CheckModuleOrder(const fs::path& src_root) {
  static const std::regex kInclude(R"(^\s*#\s*include\s*"([^"/]+)/[^"]*")");
  std::vector<std::string> problems;
  const auto& allowed = AllowedUses();
  for (const auto& entry : fs::recursive_directory_iterator(src_root)) {
    if (!entry.is_regular_file()) continue;
    std::string ext = entry.path().extension().string();
    if (ext != ".h" && ext != ".cc" && ext != ".in") continue;
    fs::path rel = fs::relative(entry.path(), src_root);
    std::string module = rel.begin()->string();
    std::string shown = (fs::path("src") / rel).string();
    auto rule = allowed.find(module);
    if (rule == allowed.end()) {
      problems.push_back(shown + ": src/" + module + " is not a module of DESIGN.md");
      continue;
    }
    std::ifstream in(entry.path());
    std::string line;
    int number = 0;
    while (std::getline(in, line)) {
      ++number;
      std::smatch m;
      if (!std::regex_search(line, m, kInclude)) continue;
      std::string used = m[1];
      if (used == module || rule->second.count(used) > 0) continue;
      if (allowed.count(used) == 0) continue;  // not a module: a system or generated header
      problems.push_back(shown + ":" + std::to_string(number) + ": includes \"" +
                         m[0].str().substr(m[0].str().find('"') + 1,
                                           m[0].str().rfind('"') - m[0].str().find('"') - 1) +
                         "\": " + module + " may not use " + used + " (" + module +
                         " may use: " + Join(rule->second) + ")");
    }
  }
  std::sort(problems.begin(), problems.end());
  return problems;
}

}  // namespace kstack::arch
