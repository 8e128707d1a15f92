#include "machinery/apply_conflicts.h"

#include <fmt/format.h>

#include <algorithm>

namespace kstack::machinery {

Status ApplyConflictError(std::vector<FieldConflict> conflicts) {
  std::stable_sort(
      conflicts.begin(), conflicts.end(),
      [](const FieldConflict& a, const FieldConflict& b) { return a.manager < b.manager; });
  StatusDetails details;
  for (const FieldConflict& c : conflicts) {
    details.causes.push_back({.type = "FieldManagerConflict",
                              .message = fmt::format("conflict with {}", c.manager),
                              .field = c.path});
  }
  std::string message;
  if (conflicts.size() == 1) {
    message = fmt::format("Apply failed with 1 conflict: conflict with {}: {}",
                          conflicts[0].manager, conflicts[0].path);
  } else {
    message = fmt::format("Apply failed with {} conflicts: ", conflicts.size());
    std::string_view last;
    for (size_t i = 0; i < conflicts.size(); ++i) {
      const FieldConflict& c = conflicts[i];
      if (i == 0 || c.manager != last) {
        if (i != 0) message += '\n';
        message += fmt::format("conflicts with {}:", c.manager);
        last = c.manager;
      }
      message += fmt::format("\n- {}", c.path);
    }
  }
  return Status(Reason::kConflict, std::move(message), std::move(details));
}

}  // namespace kstack::machinery
