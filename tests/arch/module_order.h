#pragma once

// The module order of DESIGN.md as a check: a module under src/ may include only itself and the
// modules DESIGN.md says it may use.

#include <filesystem>
#include <string>
#include <vector>

namespace kstack::arch {

// One line per offending include: "src/core/x.h:12: includes \"server/api.h\": core may not
// use server (core may use: nothing)". Empty when the tree keeps the order.
std::vector<std::string> CheckModuleOrder(const std::filesystem::path& src_root);

}  // namespace kstack::arch
