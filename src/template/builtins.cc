// text/template's builtin functions, with Go's comparison rules and error texts.

#include <cstdio>

#include "template/funcs.h"
#include "template/go_fmt.h"
#include "template/internal/runes.h"

namespace kstack::tmpl {
namespace {

enum class BasicKind { kInvalid, kBool, kComplex, kInt, kFloat, kString, kUint };

BasicKind Basic(const Value& v) {
  switch (v.kind()) {
    case Kind::kBool: return BasicKind::kBool;
    case Kind::kInt: return BasicKind::kInt;
    case Kind::kUint: return BasicKind::kUint;
    case Kind::kFloat: return BasicKind::kFloat;
    case Kind::kComplex: return BasicKind::kComplex;
    case Kind::kString: return BasicKind::kString;
    default: return BasicKind::kInvalid;
  }
}

const char kBadComparisonType[] = "invalid type for comparison";
const char kBadComparison[] = "incompatible types for comparison";
const char kNoComparison[] = "missing argument for comparison";

// Go's "lovely" unwrapping: a nil interface is the zero Value.
Value Indirect(const Value& v) { return v.is_nil() ? Value() : v; }

Result<bool> Eq(const Value& a_in, std::span<const Value> others) {
  Value a = Indirect(a_in);
  if (others.empty()) return BadRequestError(kNoComparison);
  BasicKind k1 = Basic(a);
  for (const Value& b_in : others) {
    Value b = Indirect(b_in);
    BasicKind k2 = Basic(b);
    bool truth = false;
    if (k1 != k2) {
      if (k1 == BasicKind::kInt && k2 == BasicKind::kUint) {
        truth = a.int_value() >= 0 && static_cast<uint64_t>(a.int_value()) == b.uint_value();
      } else if (k1 == BasicKind::kUint && k2 == BasicKind::kInt) {
        truth = b.int_value() >= 0 && a.uint_value() == static_cast<uint64_t>(b.int_value());
      } else if (a.valid() && b.valid()) {
        return BadRequestError(kBadComparison);
      }
    } else {
      switch (k1) {
        case BasicKind::kBool: truth = a.bool_value() == b.bool_value(); break;
        case BasicKind::kComplex:
          truth = a.float_value() == b.float_value() && a.imag_value() == b.imag_value();
          break;
        case BasicKind::kFloat: truth = a.float_value() == b.float_value(); break;
        case BasicKind::kInt: truth = a.int_value() == b.int_value(); break;
        case BasicKind::kString: truth = a.string_value() == b.string_value(); break;
        case BasicKind::kUint: truth = a.uint_value() == b.uint_value(); break;
        case BasicKind::kInvalid:
          if (!a.valid() || !b.valid()) {
            truth = !a.valid() && !b.valid();
            break;
          }
          if (a.IsNilLike() || b.IsNilLike()) {
            truth = a.IsNilLike() == b.IsNilLike();
            break;
          }
          if (a.type() != b.type()) {
            return BadRequestError("non-comparable types " + GoString(a) + ": " +
                                   std::string(a.TypeName()) + ", " +
                                   std::string(b.TypeName()) + ": " + GoString(b));
          }
          return BadRequestError("non-comparable type " + GoString(b) + ": " +
                                 std::string(b.TypeName()));
      }
    }
    if (truth) return true;
  }
  return false;
}

Result<bool> Lt(const Value& a_in, const Value& b_in) {
  Value a = Indirect(a_in), b = Indirect(b_in);
  BasicKind k1 = Basic(a), k2 = Basic(b);
  if (k1 == BasicKind::kInvalid || k2 == BasicKind::kInvalid) {
    return BadRequestError(kBadComparisonType);
  }
  if (k1 != k2) {
    if (k1 == BasicKind::kInt && k2 == BasicKind::kUint) {
      return a.int_value() < 0 || static_cast<uint64_t>(a.int_value()) < b.uint_value();
    }
    if (k1 == BasicKind::kUint && k2 == BasicKind::kInt) {
      return b.int_value() >= 0 && a.uint_value() < static_cast<uint64_t>(b.int_value());
    }
    return BadRequestError(kBadComparison);
  }
  switch (k1) {
    case BasicKind::kBool:
    case BasicKind::kComplex: return BadRequestError(kBadComparisonType);
    case BasicKind::kFloat: return a.float_value() < b.float_value();
    case BasicKind::kInt: return a.int_value() < b.int_value();
    case BasicKind::kString: return a.string_value() < b.string_value();
    case BasicKind::kUint: return a.uint_value() < b.uint_value();
    case BasicKind::kInvalid: break;
  }
  return BadRequestError(kBadComparisonType);
}

Result<bool> Le(const Value& a, const Value& b) {
  KSTACK_ASSIGN_OR_RETURN(bool lt, Lt(a, b));
  if (lt) return true;
  Value bs[] = {b};
  return Eq(a, bs);
}

FuncResult FromBool(Result<bool> r) {
  if (!r.ok()) return r.status();
  return Value::Bool(*r);
}

// Go's evalArgs: a single string as is, otherwise fmt.Sprint of the operands.
std::string EvalArgs(std::span<const Value> args) {
  if (args.size() == 1 && args[0].kind() == Kind::kString) return args[0].string_value();
  // text/template's printableValue: a nil operand prints as "<no value>", a string.
  std::vector<Value> printable(args.begin(), args.end());
  for (Value& v : printable) {
    if (!v.valid() || v.is_nil()) v = Value::String("<no value>");
  }
  return GoSprint(printable);
}

std::string HtmlEscape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '\0': out += "\uFFFD"; break;
      case '"': out += "&#34;"; break;
      case '\'': out += "&#39;"; break;
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string JsEscape(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size();) {
    size_t start = i;
    char32_t r = internal::DecodeRune(s, &i);
    char buf[16];
    if (r < 0x80) {
      char c = static_cast<char>(r);
      switch (c) {
        case '\\': out += "\\\\"; continue;
        case '\'': out += "\\'"; continue;
        case '"': out += "\\\""; continue;
        case '<': out += "\\u003C"; continue;
        case '>': out += "\\u003E"; continue;
        case '&': out += "\\u0026"; continue;
        case '=': out += "\\u003D"; continue;
        default: break;
      }
      if (r < ' ') {
        std::snprintf(buf, sizeof(buf), "\\u%04X", static_cast<unsigned>(r));
        out += buf;
      } else {
        out += c;
      }
      continue;
    }
    if (internal::IsPrintRune(r)) {
      out.append(s.substr(start, i - start));
    } else {
      std::snprintf(buf, sizeof(buf), "\\u%04X", static_cast<unsigned>(r));
      out += buf;
    }
  }
  return out;
}

std::string QueryEscape(std::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else if (c == ' ') {
      out += '+';
    } else {
      char buf[4];
      std::snprintf(buf, sizeof(buf), "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

Result<int64_t> IndexArg(const Value& index_in, size_t cap) {
  Value index = Indirect(index_in);
  int64_t x = 0;
  if (index.kind() == Kind::kInt) {
    x = index.int_value();
  } else if (index.kind() == Kind::kUint) {
    x = static_cast<int64_t>(index.uint_value());
  } else if (!index.valid()) {
    return BadRequestError("cannot index slice/array with nil");
  } else {
    return BadRequestError("cannot index slice/array with type " + std::string(index.TypeName()));
  }
  if (x < 0 || static_cast<uint64_t>(x) > cap) {
    return BadRequestError("index out of range: " + std::to_string(x));
  }
  return x;
}

FuncResult Index(std::span<const Value> args) {
  Value item = Indirect(args[0]);
  if (!item.valid()) return BadRequestError("index of untyped nil");
  for (size_t i = 1; i < args.size(); ++i) {
    switch (item.kind()) {
      case Kind::kList:
      case Kind::kString: {
        size_t len = item.kind() == Kind::kString ? item.string_value().size() : item.size();
        KSTACK_ASSIGN_OR_RETURN(int64_t x, IndexArg(args[i], len));
        if (static_cast<size_t>(x) >= len) {
          return BadRequestError("index out of range: " + std::to_string(x));
        }
        if (item.kind() == Kind::kString) {
          item = Value::Uint(static_cast<unsigned char>(item.string_value()[x]), Type::kUint8);
        } else {
          item = (*item.list())[x];
        }
        break;
      }
      case Kind::kMap: {
        Value key = Indirect(args[i]);
        if (!key.valid()) return BadRequestError("value is nil; should be of type string");
        if (key.kind() != Kind::kString) {
          return BadRequestError("value has type " + std::string(key.TypeName()) +
                                 "; should be string");
        }
        Value found;
        if (item.map()) {
          auto it = item.map()->find(key.string_value());
          if (it != item.map()->end()) found = it->second;
        }
        if (!found.valid()) {
          if (item.type() == Type::kMapString) {
            found = Value::String("");
          } else if (item.type() == Type::kMapInt) {
            found = Value::Int(0);
          } else {
            found = Value::Nil();
          }
        }
        item = found;
        break;
      }
      case Kind::kNil:
        return BadRequestError("index of nil pointer");
      default:
        return BadRequestError("can't index item of type " + std::string(item.TypeName()));
    }
  }
  return item;
}

FuncResult Slice(std::span<const Value> args) {
  Value item = Indirect(args[0]);
  if (!item.valid()) return BadRequestError("slice of untyped nil");
  size_t nidx = args.size() - 1;
  if (nidx > 3) return BadRequestError("too many slice indexes: " + std::to_string(nidx));
  size_t len = 0;
  if (item.kind() == Kind::kString) {
    if (nidx == 3) return BadRequestError("cannot 3-index slice a string");
    len = item.string_value().size();
  } else if (item.kind() == Kind::kList) {
    len = item.size();
  } else {
    return BadRequestError("can't slice item of type " + std::string(item.TypeName()));
  }
  int64_t idx[3] = {0, static_cast<int64_t>(len), static_cast<int64_t>(len)};
  for (size_t i = 0; i < nidx; ++i) {
    KSTACK_ASSIGN_OR_RETURN(idx[i], IndexArg(args[i + 1], len));
  }
  if (idx[0] > idx[1]) {
    return BadRequestError("invalid slice index: " + std::to_string(idx[0]) + " > " +
                           std::to_string(idx[1]));
  }
  if (nidx == 3 && idx[1] > idx[2]) {
    return BadRequestError("invalid slice index: " + std::to_string(idx[1]) + " > " +
                           std::to_string(idx[2]));
  }
  if (item.kind() == Kind::kString) {
    return Value::String(item.string_value().substr(idx[0], idx[1] - idx[0]));
  }
  List out(item.list()->begin() + idx[0], item.list()->begin() + idx[1]);
  return Value::MakeList(std::move(out), item.type());
}

FuncResult Len(const Value& v_in) {
  Value v = Indirect(v_in);
  switch (v.kind()) {
    case Kind::kString: return Value::Int(static_cast<int64_t>(v.string_value().size()));
    case Kind::kList:
    case Kind::kMap: return Value::Int(static_cast<int64_t>(v.size()));
    case Kind::kInvalid: return BadRequestError("len of nil pointer");
    default: return BadRequestError("len of type " + std::string(v.TypeName()));
  }
}

}  // namespace

void AddBuiltinFuncs(FuncMap* map) {
  using P = Param;
  Func and_fn = VarFn({P::kRaw}, P::kRaw, nullptr);
  and_fn.short_circuit = 1;
  map->Add("and", and_fn);
  Func or_fn = VarFn({P::kRaw}, P::kRaw, nullptr);
  or_fn.short_circuit = 2;
  map->Add("or", or_fn);
  map->Add("not", Fn({P::kRaw}, [](CallContext&, std::span<const Value> a) -> FuncResult {
    return Value::Bool(!a[0].Truth());
  }));
  map->Add("eq", VarFn({P::kRaw}, P::kRaw, [](CallContext&, std::span<const Value> a) {
    return FromBool(Eq(a[0], a.subspan(1)));
  }));
  map->Add("ne", Fn({P::kRaw, P::kRaw}, [](CallContext&, std::span<const Value> a) -> FuncResult {
    KSTACK_ASSIGN_OR_RETURN(bool eq, Eq(a[0], a.subspan(1)));
    return Value::Bool(!eq);
  }));
  map->Add("lt", Fn({P::kRaw, P::kRaw}, [](CallContext&, std::span<const Value> a) {
    return FromBool(Lt(a[0], a[1]));
  }));
  map->Add("le", Fn({P::kRaw, P::kRaw}, [](CallContext&, std::span<const Value> a) {
    return FromBool(Le(a[0], a[1]));
  }));
  map->Add("gt", Fn({P::kRaw, P::kRaw}, [](CallContext&, std::span<const Value> a) -> FuncResult {
    KSTACK_ASSIGN_OR_RETURN(bool le, Le(a[0], a[1]));
    return Value::Bool(!le);
  }));
  map->Add("ge", Fn({P::kRaw, P::kRaw}, [](CallContext&, std::span<const Value> a) -> FuncResult {
    KSTACK_ASSIGN_OR_RETURN(bool lt, Lt(a[0], a[1]));
    return Value::Bool(!lt);
  }));
  map->Add("len", Fn({P::kRaw}, [](CallContext&, std::span<const Value> a) { return Len(a[0]); }));
  map->Add("index", VarFn({P::kRaw}, P::kRaw, [](CallContext&, std::span<const Value> a) {
    return Index(a);
  }));
  map->Add("slice", VarFn({P::kRaw}, P::kRaw, [](CallContext&, std::span<const Value> a) {
    return Slice(a);
  }));
  map->Add("print", VarFn({}, P::kAny, [](CallContext&, std::span<const Value> a) -> FuncResult {
    return Value::String(GoSprint(a));
  }));
  map->Add("println", VarFn({}, P::kAny, [](CallContext&, std::span<const Value> a) -> FuncResult {
    return Value::String(GoSprintln(a));
  }));
  map->Add("printf", VarFn({P::kString}, P::kAny,
                           [](CallContext&, std::span<const Value> a) -> FuncResult {
    return Value::String(GoSprintf(a[0].string_value(), a.subspan(1)));
  }));
  map->Add("html", VarFn({}, P::kAny, [](CallContext&, std::span<const Value> a) -> FuncResult {
    return Value::String(HtmlEscape(EvalArgs(a)));
  }));
  map->Add("js", VarFn({}, P::kAny, [](CallContext&, std::span<const Value> a) -> FuncResult {
    return Value::String(JsEscape(EvalArgs(a)));
  }));
  map->Add("urlquery", VarFn({}, P::kAny, [](CallContext&, std::span<const Value> a) -> FuncResult {
    return Value::String(QueryEscape(EvalArgs(a)));
  }));
  // Template data holds no function values, so call always fails as Go's does on a
  // non-function.
  map->Add("call", VarFn({P::kRaw}, P::kRaw, [](CallContext&, std::span<const Value> a) -> FuncResult {
    Value fn = Indirect(a[0]);
    if (!fn.valid()) return BadRequestError("call of nil");
    return BadRequestError("non-function of type " + std::string(fn.TypeName()));
  }));
}

}  // namespace kstack::tmpl
