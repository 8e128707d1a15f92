#pragma once

// A line diff of two texts in the unified format of `diff -u` (and so of `kubectl diff` and
// `argocd app diff`): a "--- from" and a "+++ to" line, then hunks "@@ -a,n +b,m @@" of changed
// lines ("-" removed, "+" added) with a few unchanged lines of context around them. Hunks whose
// contexts touch are joined. A text without a final newline is marked "\ No newline at end of
// file", as diff does.
//
// The edit script is a shortest one (Myers' algorithm) after the common head and tail are set
// aside. When the texts differ in more than a few thousand lines the middle is shown as one
// block removed and one block added rather than searched for a shortest script: still a correct
// diff, found in bounded time and memory.

#include <string>
#include <string_view>

namespace kstack::gitops::diff {

struct UnifiedDiffOptions {
  std::string_view from = "live";   // the name on the "---" line (the text before)
  std::string_view to = "desired";  // the name on the "+++" line (the text after)
  int context = 3;                  // unchanged lines shown around each change
};

// The unified diff that turns `before` into `after`; "" when the texts are equal.
std::string UnifiedDiff(std::string_view before, std::string_view after,
                        const UnifiedDiffOptions& options = {});

}  // namespace kstack::gitops::diff
