// Sprig's semver and semverCompare, with Masterminds/semver v3's parsing (a leading "v",
// missing minor and patch), ordering (prerelease identifiers) and constraints (^ ~ x-ranges,
// hyphen ranges, comparisons joined by "," or spaces, alternatives joined by "||").

#include <optional>
#include <vector>

#include "template/sprig/util.h"

namespace kstack::tmpl::sprig {
namespace {

struct Version {
  uint64_t major = 0, minor = 0, patch = 0;
  std::string pre, meta, original;
  // For constraints: which parts were given (x, X, * or absent count as wildcards).
  bool has_minor = true, has_patch = true;
  bool any = false;  // "*" or "x"
};

bool ParseNumber(std::string_view s, uint64_t* out) {
  if (s.empty() || s.size() > 19) return false;
  uint64_t n = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    n = n * 10 + (c - '0');
  }
  *out = n;
  return true;
}

std::optional<Version> Parse(std::string_view text, bool wildcards) {
  Version v;
  v.original = std::string(text);
  std::string_view s = text;
  if (!s.empty() && (s[0] == 'v' || s[0] == 'V')) s.remove_prefix(1);
  if (size_t plus = s.find('+'); plus != std::string_view::npos) {
    v.meta = std::string(s.substr(plus + 1));
    if (v.meta.empty()) return std::nullopt;
    s = s.substr(0, plus);
  }
  if (size_t dash = s.find('-'); dash != std::string_view::npos) {
    v.pre = std::string(s.substr(dash + 1));
    if (v.pre.empty()) return std::nullopt;
    s = s.substr(0, dash);
  }
  std::vector<std::string_view> parts;
  size_t pos = 0;
  while (true) {
    size_t dot = s.find('.', pos);
    parts.push_back(s.substr(pos, dot == std::string_view::npos ? std::string_view::npos : dot - pos));
    if (dot == std::string_view::npos) break;
    pos = dot + 1;
  }
  if (parts.empty() || parts.size() > 3) return std::nullopt;
  auto wild = [](std::string_view p) { return p == "x" || p == "X" || p == "*"; };
  uint64_t* fields[] = {&v.major, &v.minor, &v.patch};
  for (size_t i = 0; i < parts.size(); ++i) {
    if (wildcards && wild(parts[i])) {
      if (i == 0) v.any = true;
      if (i <= 1) v.has_minor = false;
      v.has_patch = false;
      break;
    }
    if (parts[i].size() > 1 && parts[i][0] == '0') return std::nullopt;
    if (!ParseNumber(parts[i], fields[i])) return std::nullopt;
  }
  if (parts.size() < 2) v.has_minor = false;
  if (parts.size() < 3) v.has_patch = false;
  if (!v.has_minor) v.has_patch = false;
  return v;
}

int ComparePre(const std::string& a, const std::string& b) {
  if (a == b) return 0;
  if (a.empty()) return 1;
  if (b.empty()) return -1;
  size_t i = 0, j = 0;
  while (true) {
    size_t ea = a.find('.', i), eb = b.find('.', j);
    std::string pa = a.substr(i, ea == std::string::npos ? std::string::npos : ea - i);
    std::string pb = b.substr(j, eb == std::string::npos ? std::string::npos : eb - j);
    uint64_t na = 0, nb = 0;
    bool da = ParseNumber(pa, &na), db = ParseNumber(pb, &nb);
    int c = 0;
    if (da && db) {
      c = na < nb ? -1 : na > nb ? 1 : 0;
    } else if (da) {
      c = -1;
    } else if (db) {
      c = 1;
    } else {
      c = pa < pb ? -1 : pa > pb ? 1 : 0;
    }
    if (c != 0) return c;
    if (ea == std::string::npos || eb == std::string::npos) {
      if (ea == eb) return 0;
      return ea == std::string::npos ? -1 : 1;
    }
    i = ea + 1;
    j = eb + 1;
  }
}

int Compare(const Version& a, const Version& b) {
  if (a.major != b.major) return a.major < b.major ? -1 : 1;
  if (a.minor != b.minor) return a.minor < b.minor ? -1 : 1;
  if (a.patch != b.patch) return a.patch < b.patch ? -1 : 1;
  return ComparePre(a.pre, b.pre);
}

std::string ToString(const Version& v) {
  std::string s = std::to_string(v.major) + "." + std::to_string(v.minor) + "." +
                  std::to_string(v.patch);
  if (!v.pre.empty()) s += "-" + v.pre;
  if (!v.meta.empty()) s += "+" + v.meta;
  return s;
}

class VersionObject : public Object {
 public:
  explicit VersionObject(Version v) : v_(std::move(v)) {}
  std::string_view TypeName() const override { return "*semver.Version"; }
  std::string_view KindName() const override { return "ptr"; }
  std::string String() const override { return ToString(v_); }
  bool HasMember(std::string_view n) const override {
    for (const char* m : {"Major", "Minor", "Patch", "Prerelease", "Metadata", "Original",
                          "String", "Compare", "LessThan", "GreaterThan", "Equal", "IncMajor",
                          "IncMinor", "IncPatch"}) {
      if (n == m) return true;
    }
    return false;
  }
  Result<Value> Member(std::string_view n, std::span<const Value> args) const override {
    auto want = [&](size_t k) -> Status {
      if (args.size() != k) {
        return BadRequestError("wrong number of args for " + std::string(n) + ": want " +
                               std::to_string(k) + " got " + std::to_string(args.size()));
      }
      return Status::Ok();
    };
    if (n == "Major" || n == "Minor" || n == "Patch") {
      KSTACK_RETURN_IF_ERROR(want(0));
      uint64_t x = n == "Major" ? v_.major : n == "Minor" ? v_.minor : v_.patch;
      return Value::Uint(x, Type::kUint64);
    }
    if (n == "Prerelease" || n == "Metadata" || n == "Original" || n == "String") {
      KSTACK_RETURN_IF_ERROR(want(0));
      return Str(n == "Prerelease" ? v_.pre : n == "Metadata" ? v_.meta
                 : n == "Original" ? v_.original : ToString(v_));
    }
    if (n == "IncMajor" || n == "IncMinor" || n == "IncPatch") {
      KSTACK_RETURN_IF_ERROR(want(0));
      Version v = v_;
      v.pre.clear();
      v.meta.clear();
      if (n == "IncMajor") { ++v.major; v.minor = v.patch = 0; }
      else if (n == "IncMinor") { ++v.minor; v.patch = 0; }
      else if (v_.pre.empty()) { ++v.patch; }
      v.original = ToString(v);
      return Value::MakeObject(std::make_shared<VersionObject>(v));
    }
    KSTACK_RETURN_IF_ERROR(want(1));
    auto* other = args[0].kind() == Kind::kObject
                      ? dynamic_cast<const VersionObject*>(args[0].object().get())
                      : nullptr;
    if (!other) {
      return BadRequestError("wrong type for value; expected *semver.Version; got " +
                             std::string(args[0].TypeName()));
    }
    int c = Compare(v_, other->v_);
    if (n == "Compare") return Value::Int(c);
    if (n == "LessThan") return Value::Bool(c < 0);
    if (n == "GreaterThan") return Value::Bool(c > 0);
    return Value::Bool(c == 0);
  }

 private:
  Version v_;
};

// One comparison of a constraint.
struct Check {
  std::string op;
  Version v;
};

bool Bump(Version* v) {  // the first version past the wildcard range of v
  if (!v->has_minor) {
    ++v->major;
    v->minor = v->patch = 0;
  } else if (!v->has_patch) {
    ++v->minor;
    v->patch = 0;
  } else {
    return false;
  }
  return true;
}

bool Satisfies(const Check& c, const Version& v) {
  const Version& cv = c.v;
  if (cv.any) return v.pre.empty();
  if (!v.pre.empty() && cv.pre.empty()) return false;
  if (!v.pre.empty() && (v.major != cv.major || v.minor != cv.minor || v.patch != cv.patch) &&
      c.op != "!=") {
    return false;
  }
  Version upper = cv;
  bool wild = Bump(&upper);
  int lo = Compare(v, cv);
  int hi = wild ? Compare(v, upper) : 0;
  if (c.op == "" || c.op == "=") return wild ? lo >= 0 && hi < 0 : lo == 0;
  if (c.op == "!=") return wild ? !(lo >= 0 && hi < 0) : lo != 0;
  if (c.op == ">") return wild ? hi >= 0 : lo > 0;
  if (c.op == ">=") return lo >= 0;
  if (c.op == "<") return lo < 0;
  if (c.op == "<=") return wild ? hi < 0 : lo <= 0;
  if (c.op == "~" || c.op == "~>") {
    if (lo < 0) return false;
    if (v.major != cv.major) return false;
    if (cv.has_minor && v.minor != cv.minor) return false;
    return true;
  }
  if (c.op == "^") {
    if (lo < 0) return false;
    if (cv.major > 0 || !cv.has_minor) return v.major == cv.major;
    if (cv.minor > 0 || !cv.has_patch) return v.major == 0 && v.minor == cv.minor;
    return v.major == 0 && v.minor == 0 && v.patch == cv.patch;
  }
  return false;
}

Result<std::vector<std::vector<Check>>> ParseConstraint(const std::string& text) {
  std::vector<std::vector<Check>> alternatives;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t bar = text.find("||", pos);
    std::string alt = text.substr(pos, bar == std::string::npos ? std::string::npos : bar - pos);
    pos = bar == std::string::npos ? text.size() + 1 : bar + 2;
    // Tokens separated by commas and spaces; an operator may be separated from its version.
    std::vector<std::string> tokens;
    std::string cur;
    for (char c : alt) {
      if (c == ',' || c == ' ' || c == '\t') {
        if (!cur.empty()) tokens.push_back(cur);
        cur.clear();
      } else {
        cur += c;
      }
    }
    if (!cur.empty()) tokens.push_back(cur);
    std::vector<Check> checks;
    for (size_t i = 0; i < tokens.size(); ++i) {
      if (i + 2 < tokens.size() && tokens[i + 1] == "-") {
        auto a = Parse(tokens[i], true), b = Parse(tokens[i + 2], true);
        if (!a || !b) return BadRequestError("improper constraint: " + text);
        checks.push_back({">=", *a});
        checks.push_back({"<=", *b});
        i += 2;
        continue;
      }
      std::string t = tokens[i];
      size_t k = 0;
      while (k < t.size() && std::strchr("<>=!~^", t[k])) ++k;
      std::string op = t.substr(0, k);
      std::string ver = t.substr(k);
      if (ver.empty() && i + 1 < tokens.size()) ver = tokens[++i];
      auto v = Parse(ver, true);
      if (!v) return BadRequestError("improper constraint: " + text);
      checks.push_back({op, *v});
    }
    if (checks.empty()) return BadRequestError("improper constraint: " + text);
    alternatives.push_back(std::move(checks));
  }
  return alternatives;
}

}  // namespace

void AddSemver(FuncMap* m) {
  m->Add("semver", Fn({P::kString}, [](CallContext&, Args a) -> FuncResult {
    auto v = Parse(a[0].string_value(), false);
    if (!v) return BadRequestError("Invalid Semantic Version");
    return Value::MakeObject(std::make_shared<VersionObject>(*v));
  }));
  m->Add("semverCompare", Fn({P::kString, P::kString}, [](CallContext&, Args a) -> FuncResult {
    KSTACK_ASSIGN_OR_RETURN(auto alternatives, ParseConstraint(a[0].string_value()));
    auto v = Parse(a[1].string_value(), false);
    if (!v) return BadRequestError("Invalid Semantic Version");
    for (const auto& checks : alternatives) {
      bool all = true;
      for (const Check& c : checks) all = all && Satisfies(c, *v);
      if (all) return Value::Bool(true);
    }
    return Value::Bool(false);
  }));
}

}  // namespace kstack::tmpl::sprig
