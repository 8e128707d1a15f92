#include "gitops/diff/unified_diff.h"

#include <algorithm>
#include <unordered_map>
#include <vector>

namespace kstack::gitops::diff {
namespace {

// Past this many differences the search gives up on a shortest script (see the header).
constexpr int kMaxEdits = 2000;

struct Lines {
  std::vector<std::string_view> text;  // each line without its newline
  bool ends_without_newline = false;
};

Lines SplitLines(std::string_view s) {
  Lines out;
  size_t start = 0;
  while (start < s.size()) {
    size_t end = s.find('\n', start);
    if (end == std::string_view::npos) {
      out.text.push_back(s.substr(start));
      out.ends_without_newline = true;
      break;
    }
    out.text.push_back(s.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

enum class Op : char { kEqual = ' ', kDelete = '-', kInsert = '+' };

struct Edit {
  Op op;
  int a;  // line index in `before` (kEqual, kDelete)
  int b;  // line index in `after` (kEqual, kInsert)
};

// Myers' shortest edit script between a[0..n) and b[0..m) (line ids); false when it needs more
// than kMaxEdits edits.
bool ShortestScript(const std::vector<int>& a, const std::vector<int>& b, int a0, int b0,
                    std::vector<Edit>* out) {
  const int n = static_cast<int>(a.size());
  const int m = static_cast<int>(b.size());
  const int max = std::min(n + m, kMaxEdits);
  const int offset = max + 1;
  std::vector<int> v(2 * static_cast<size_t>(max) + 3, 0);
  // trace[d] holds v[-d-1 .. d+1] as it was before round d.
  std::vector<std::vector<int>> trace;
  int found = -1;
  for (int d = 0; d <= max && found < 0; ++d) {
    trace.emplace_back(v.begin() + (offset - d - 1), v.begin() + (offset + d + 2));
    for (int k = -d; k <= d; k += 2) {
      int x = (k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1]))
                  ? v[offset + k + 1]
                  : v[offset + k - 1] + 1;
      int y = x - k;
      while (x < n && y < m && a[x] == b[y]) ++x, ++y;
      v[offset + k] = x;
      if (x >= n && y >= m) {
        found = d;
        break;
      }
    }
  }
  if (found < 0) return false;
  std::vector<Edit> reversed;
  int x = n, y = m;
  for (int d = found; d > 0; --d) {
    const std::vector<int>& before = trace[d];
    auto at = [&](int k) { return before[k + d + 1]; };
    int k = x - y;
    int prev_k = (k == -d || (k != d && at(k - 1) < at(k + 1))) ? k + 1 : k - 1;
    int prev_x = at(prev_k);
    int prev_y = prev_x - prev_k;
    while (x > prev_x && y > prev_y) {
      --x, --y;
      reversed.push_back({Op::kEqual, a0 + x, b0 + y});
    }
    if (x == prev_x) {
      reversed.push_back({Op::kInsert, a0 + x, b0 + prev_y});
    } else {
      reversed.push_back({Op::kDelete, a0 + prev_x, b0 + y});
    }
    x = prev_x, y = prev_y;
  }
  while (x > 0 && y > 0) {
    --x, --y;
    reversed.push_back({Op::kEqual, a0 + x, b0 + y});
  }
  out->insert(out->end(), reversed.rbegin(), reversed.rend());
  return true;
}

std::vector<Edit> Script(const Lines& before, const Lines& after) {
  // Lines become small integers so that comparing them is cheap.
  std::unordered_map<std::string_view, int> ids;
  auto id_of = [&ids](std::string_view line) {
    return ids.emplace(line, static_cast<int>(ids.size())).first->second;
  };
  std::vector<int> a, b;
  a.reserve(before.text.size());
  b.reserve(after.text.size());
  for (std::string_view l : before.text) a.push_back(id_of(l));
  for (std::string_view l : after.text) b.push_back(id_of(l));
  // A last line without a newline differs from the same text with one.
  if (before.ends_without_newline && !a.empty()) a.back() = ~a.back();
  if (after.ends_without_newline && !b.empty()) b.back() = ~b.back();

  const int n = static_cast<int>(a.size()), m = static_cast<int>(b.size());
  int head = 0;
  while (head < n && head < m && a[head] == b[head]) ++head;
  int tail = 0;
  while (tail < n - head && tail < m - head && a[n - 1 - tail] == b[m - 1 - tail]) ++tail;

  std::vector<Edit> edits;
  for (int i = 0; i < head; ++i) edits.push_back({Op::kEqual, i, i});
  std::vector<int> mid_a(a.begin() + head, a.end() - tail);
  std::vector<int> mid_b(b.begin() + head, b.end() - tail);
  if (!ShortestScript(mid_a, mid_b, head, head, &edits)) {
    for (int i = head; i < n - tail; ++i) edits.push_back({Op::kDelete, i, head});
    for (int j = head; j < m - tail; ++j) edits.push_back({Op::kInsert, n - tail, j});
  }
  for (int i = 0; i < tail; ++i) edits.push_back({Op::kEqual, n - tail + i, m - tail + i});
  return edits;
}

std::string Range(int lines_before, int count) {
  int start = count == 0 ? lines_before : lines_before + 1;
  if (count == 1) return std::to_string(start);
  return std::to_string(start) + "," + std::to_string(count);
}

}  // namespace

std::string UnifiedDiff(std::string_view before, std::string_view after,
                        const UnifiedDiffOptions& options) {
  if (before == after) return "";
  Lines a = SplitLines(before), b = SplitLines(after);
  std::vector<Edit> edits = Script(a, b);
  const int context = std::max(0, options.context);

  std::vector<size_t> changes;
  for (size_t i = 0; i < edits.size(); ++i) {
    if (edits[i].op != Op::kEqual) changes.push_back(i);
  }
  if (changes.empty()) return "";

  std::string out;
  out.append("--- ").append(options.from).append("\n");
  out.append("+++ ").append(options.to).append("\n");
  size_t c = 0;
  while (c < changes.size()) {
    // A hunk: changes whose gaps of unchanged lines are at most twice the context.
    size_t first = changes[c], last = changes[c];
    while (c + 1 < changes.size() &&
           changes[c + 1] - last - 1 <= 2 * static_cast<size_t>(context)) {
      last = changes[++c];
    }
    ++c;
    size_t begin = first >= static_cast<size_t>(context) ? first - context : 0;
    size_t end = std::min(edits.size(), last + context + 1);
    int a_count = 0, b_count = 0;
    for (size_t i = begin; i < end; ++i) {
      if (edits[i].op != Op::kInsert) ++a_count;
      if (edits[i].op != Op::kDelete) ++b_count;
    }
    // Lines of each side before the hunk.
    int a_before = edits[begin].a;
    int b_before = edits[begin].b;
    out.append("@@ -").append(Range(a_before, a_count));
    out.append(" +").append(Range(b_before, b_count)).append(" @@\n");
    for (size_t i = begin; i < end; ++i) {
      const Edit& e = edits[i];
      bool from_a = e.op != Op::kInsert;
      const Lines& side = from_a ? a : b;
      int index = from_a ? e.a : e.b;
      out.push_back(static_cast<char>(e.op));
      out.append(side.text[static_cast<size_t>(index)]);
      out.push_back('\n');
      if (side.ends_without_newline && index + 1 == static_cast<int>(side.text.size())) {
        out.append("\\ No newline at end of file\n");
      }
    }
  }
  return out;
}

}  // namespace kstack::gitops::diff
