#include "template/sprig/util.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>

#include "template/go_fmt.h"

namespace kstack::tmpl::sprig {

std::string StrVal(const Value& v) {
  if (v.kind() == Kind::kString) return v.string_value();
  return GoString(v);
}

int64_t ToInt64(const Value& v) {
  switch (v.kind()) {
    case Kind::kInt: return v.int_value();
    case Kind::kUint: return static_cast<int64_t>(v.uint_value());
    case Kind::kFloat: return static_cast<int64_t>(v.float_value());
    case Kind::kBool: return v.bool_value() ? 1 : 0;
    case Kind::kString: {
      const std::string& s = v.string_value();
      if (s.empty()) return 0;
      errno = 0;
      char* end = nullptr;
      long long n = std::strtoll(s.c_str(), &end, 0);
      if (errno != 0 || end != s.c_str() + s.size()) return 0;
      return n;
    }
    default: return 0;
  }
}

double ToFloat64(const Value& v) {
  switch (v.kind()) {
    case Kind::kInt: return static_cast<double>(v.int_value());
    case Kind::kUint: return static_cast<double>(v.uint_value());
    case Kind::kFloat: return v.float_value();
    case Kind::kBool: return v.bool_value() ? 1 : 0;
    case Kind::kString: {
      const std::string& s = v.string_value();
      if (s.empty()) return 0;
      char* end = nullptr;
      double d = std::strtod(s.c_str(), &end);
      if (end != s.c_str() + s.size()) return 0;
      return d;
    }
    default: return 0;
  }
}

bool IsEmpty(const Value& v) {
  switch (v.kind()) {
    case Kind::kInvalid: case Kind::kNil: return true;
    case Kind::kObject: return v.object() == nullptr;
    default: return !v.Truth();
  }
}

bool DeepEqual(const Value& a, const Value& b) {
  if (a.type() != b.type()) return false;
  switch (a.kind()) {
    case Kind::kInvalid: case Kind::kNil: return true;
    case Kind::kBool: case Kind::kInt: case Kind::kUint: return a.int_value() == b.int_value();
    case Kind::kFloat: return a.float_value() == b.float_value();
    case Kind::kComplex:
      return a.float_value() == b.float_value() && a.imag_value() == b.imag_value();
    case Kind::kString: return a.string_value() == b.string_value();
    case Kind::kList: {
      if (a.IsNilLike() != b.IsNilLike()) return false;
      if (a.size() != b.size()) return false;
      for (size_t i = 0; i < a.size(); ++i) {
        if (!DeepEqual((*a.list())[i], (*b.list())[i])) return false;
      }
      return true;
    }
    case Kind::kMap: {
      if (a.IsNilLike() != b.IsNilLike()) return false;
      if (a.size() != b.size()) return false;
      if (a.size() == 0) return true;
      for (const auto& [k, v] : *a.map()) {
        auto it = b.map()->find(k);
        if (it == b.map()->end() || !DeepEqual(v, it->second)) return false;
      }
      return true;
    }
    case Kind::kObject: return a.object() == b.object() ||
                               (a.object() && b.object() && a.object()->String() == b.object()->String());
  }
  return false;
}

Result<List> ListArg(const Value& v, std::string_view what) {
  if (v.kind() == Kind::kList) return v.list() ? *v.list() : List{};
  return BadRequestError("Cannot " + std::string(what) + " on type " +
                         std::string(v.TypeName()));
}

FuncResult ListOrPanic(const Value& v, std::string_view what) {
  KSTACK_ASSIGN_OR_RETURN(List l, ListArg(v, what));
  return MakeList(std::move(l));
}

}  // namespace kstack::tmpl::sprig
