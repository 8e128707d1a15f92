// Sprig's regex functions on RE2, whose syntax is Go's regexp syntax. Matching follows Go's
// FindAll rules (an empty match right after a match is skipped), replacement templates Go's
// Expand ($1, ${1}, $name, ${name}, $$).

#include <re2/re2.h>

#include <memory>
#include <vector>

#include "template/internal/runes.h"
#include "template/sprig/util.h"

namespace kstack::tmpl::sprig {
namespace {

Result<std::unique_ptr<RE2>> Compile(const std::string& expr) {
  RE2::Options options;
  options.set_log_errors(false);
  auto re = std::make_unique<RE2>(expr, options);
  if (!re->ok()) {
    return BadRequestError("error parsing regexp: " + re->error() + ": `" + expr + "`");
  }
  return re;
}

struct Match {
  std::vector<re2::StringPiece> groups;  // groups[0] is the whole match
};

std::vector<Match> FindAll(const RE2& re, const std::string& s, int64_t n) {
  std::vector<Match> out;
  if (n < 0) n = static_cast<int64_t>(s.size()) + 1;
  int ngroups = re.NumberOfCapturingGroups() + 1;
  size_t pos = 0;
  int64_t prev_end = -1;
  while (static_cast<int64_t>(out.size()) < n && pos <= s.size()) {
    Match m;
    m.groups.resize(ngroups);
    if (!re.Match(s, pos, s.size(), RE2::UNANCHORED, m.groups.data(), ngroups)) break;
    int64_t start = m.groups[0].data() - s.data();
    int64_t end = start + static_cast<int64_t>(m.groups[0].size());
    bool accept = true;
    if (end == static_cast<int64_t>(pos)) {
      if (start == prev_end) accept = false;
      if (pos < s.size()) {
        size_t i = pos;
        internal::DecodeRune(s, &i);
        pos = i;
      } else {
        pos = s.size() + 1;
      }
    } else {
      pos = static_cast<size_t>(end);
    }
    prev_end = end;
    if (accept) out.push_back(std::move(m));
  }
  return out;
}

void Expand(std::string* out, const std::string& tmpl, const RE2& re, const Match& m,
            const std::string& s) {
  const auto& names = re.NamedCapturingGroups();
  for (size_t i = 0; i < tmpl.size(); ++i) {
    if (tmpl[i] != '$') {
      out->push_back(tmpl[i]);
      continue;
    }
    if (i + 1 < tmpl.size() && tmpl[i + 1] == '$') {
      out->push_back('$');
      ++i;
      continue;
    }
    std::string name;
    size_t j = i + 1;
    bool braced = j < tmpl.size() && tmpl[j] == '{';
    if (braced) ++j;
    size_t start = j;
    while (j < tmpl.size() && (std::isalnum(static_cast<unsigned char>(tmpl[j])) || tmpl[j] == '_')) ++j;
    name = tmpl.substr(start, j - start);
    if (name.empty() || (braced && (j >= tmpl.size() || tmpl[j] != '}'))) {
      out->push_back('$');
      continue;
    }
    i = braced ? j : j - 1;
    int index = -1;
    bool numeric = !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
      return std::isdigit(static_cast<unsigned char>(c));
    });
    if (numeric) {
      index = name.size() > 9 ? -1 : std::stoi(name);
    } else if (auto it = names.find(name); it != names.end()) {
      index = it->second;
    }
    if (index >= 0 && index < static_cast<int>(m.groups.size()) && m.groups[index].data()) {
      out->append(m.groups[index].data(), m.groups[index].size());
    }
  }
  (void)s;
}

FuncResult Replace(const std::string& expr, const std::string& s, const std::string& repl,
                   bool literal) {
  KSTACK_ASSIGN_OR_RETURN(auto re, Compile(expr));
  std::string out;
  size_t last = 0;
  for (const Match& m : FindAll(*re, s, -1)) {
    size_t start = m.groups[0].data() - s.data();
    out.append(s, last, start - last);
    if (literal) {
      out += repl;
    } else {
      Expand(&out, repl, *re, m, s);
    }
    last = start + m.groups[0].size();
  }
  out.append(s, last, std::string::npos);
  return Str(out);
}

Value Strings(std::vector<std::string> items) {
  List l;
  for (auto& s : items) l.push_back(Str(std::move(s)));
  return Value::MakeList(std::move(l), Type::kListString);
}

void Both(FuncMap* m, const std::string& name, Func f) {
  std::string must = "mustR" + name.substr(1);
  m->Add(name, f);
  m->Add(must, std::move(f));
}

}  // namespace

void AddRegex(FuncMap* m) {
  // regexMatch ignores a bad expression (false); mustRegexMatch reports it.
  m->Add("regexMatch", Fn({P::kString, P::kString}, [](CallContext&, Args a) -> FuncResult {
    Result<std::unique_ptr<RE2>> re = Compile(a[0].string_value());
    if (!re.ok()) return Value::Bool(false);
    return Value::Bool(RE2::PartialMatch(a[1].string_value(), **re));
  }));
  m->Add("mustRegexMatch", Fn({P::kString, P::kString}, [](CallContext&, Args a) -> FuncResult {
    KSTACK_ASSIGN_OR_RETURN(auto re, Compile(a[0].string_value()));
    return Value::Bool(RE2::PartialMatch(a[1].string_value(), *re));
  }));
  Both(m, "regexFindAll", Fn({P::kString, P::kString, P::kInt},
                             [](CallContext&, Args a) -> FuncResult {
    KSTACK_ASSIGN_OR_RETURN(auto re, Compile(a[0].string_value()));
    std::vector<std::string> out;
    for (const Match& mt : FindAll(*re, a[1].string_value(), a[2].int_value())) {
      out.emplace_back(mt.groups[0].data(), mt.groups[0].size());
    }
    return Strings(std::move(out));
  }));
  Both(m, "regexFind", Fn({P::kString, P::kString}, [](CallContext&, Args a) -> FuncResult {
    KSTACK_ASSIGN_OR_RETURN(auto re, Compile(a[0].string_value()));
    std::vector<Match> ms = FindAll(*re, a[1].string_value(), 1);
    if (ms.empty()) return Str("");
    return Str(std::string(ms[0].groups[0].data(), ms[0].groups[0].size()));
  }));
  Both(m, "regexReplaceAll", Fn({P::kString, P::kString, P::kString},
                                [](CallContext&, Args a) -> FuncResult {
    return Replace(a[0].string_value(), a[1].string_value(), a[2].string_value(), false);
  }));
  Both(m, "regexReplaceAllLiteral", Fn({P::kString, P::kString, P::kString},
                                       [](CallContext&, Args a) -> FuncResult {
    return Replace(a[0].string_value(), a[1].string_value(), a[2].string_value(), true);
  }));
  Both(m, "regexSplit", Fn({P::kString, P::kString, P::kInt},
                           [](CallContext&, Args a) -> FuncResult {
    const std::string& expr = a[0].string_value();
    const std::string& s = a[1].string_value();
    int64_t n = a[2].int_value();
    KSTACK_ASSIGN_OR_RETURN(auto re, Compile(expr));
    std::vector<std::string> out;
    if (n == 0) return Value::MakeList({}, Type::kListString);
    if (!expr.empty() && s.empty()) return Strings({""});
    size_t beg = 0, end = 0;
    for (const Match& mt : FindAll(*re, s, n)) {
      if (n > 0 && static_cast<int64_t>(out.size()) == n - 1) break;
      size_t ms = mt.groups[0].data() - s.data();
      size_t me = ms + mt.groups[0].size();
      end = ms;
      if (me != 0) out.push_back(s.substr(beg, end - beg));
      beg = me;
    }
    if (end != s.size()) out.push_back(s.substr(beg));
    return Strings(std::move(out));
  }));
  m->Add("regexQuoteMeta", Fn({P::kString}, [](CallContext&, Args a) -> FuncResult {
    std::string out;
    for (char c : a[0].string_value()) {
      if (std::strchr("\\.+*?()|[]{}^$", c) && c != 0) out.push_back('\\');
      out.push_back(c);
    }
    return Str(out);
  }));
}

}  // namespace kstack::tmpl::sprig
