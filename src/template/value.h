#pragma once

// The data a template works on, shaped after the Go values that text/template reaches through
// reflection when Helm renders a chart: nil, bool, the integer types, float64, complex128,
// string, []interface{} (and []string, []int), map[string]interface{} (and map[string]string,
// map[string]int), and a few opaque objects with fields and methods (a semantic version, a
// time). The Go type is kept because Go's printing, comparison and function typing depend on it
// ("%T", eq 1 1.0 is an error, int vs int64 arguments).
//
// Lists and maps are shared, as Go's slices and maps are references: `set` on a dict changes it
// for every holder. Values are cheap to copy (a string copy at most). Not thread-safe when a
// list or map is shared between threads and one of them mutates it.

#include <cstdint>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/json.h"
#include "core/result.h"

namespace kstack::tmpl {

// The Go type of a value. kInvalid is the zero reflect.Value (Go prints it "<no value>"),
// kNil a nil interface{} (printed "<nil>").
enum class Type : uint8_t {
  kInvalid,
  kNil,
  kBool,
  kInt,
  kInt64,
  kInt32,  // rune constants: 'x'
  kUint8,  // bytes of a string: index "x" 0
  kUint,
  kUint64,
  kFloat64,
  kComplex128,
  kString,
  kListAny,     // []interface {}
  kListString,  // []string
  kListInt,     // []int
  kMapAny,      // map[string]interface {}
  kMapString,   // map[string]string
  kMapInt,      // map[string]int
  kObject,      // an Object: its own type name
};

// Go's reflect.Kind families used by comparison and printing.
enum class Kind : uint8_t { kInvalid, kNil, kBool, kInt, kUint, kFloat, kComplex, kString,
                            kList, kMap, kObject };

class Value;
using List = std::vector<Value>;
using Map = std::map<std::string, Value, std::less<>>;

// A value with Go fields and methods (semver.Version, time.Time). Immutable.
class Object {
 public:
  virtual ~Object() = default;
  // Go's type name, for %T and typeOf: "*semver.Version".
  virtual std::string_view TypeName() const = 0;
  // Go's reflect kind name, for kindOf: "ptr", "struct".
  virtual std::string_view KindName() const = 0;
  // What fmt's %v prints.
  virtual std::string String() const = 0;
  // Whether the value has a field or method `name`.
  virtual bool HasMember(std::string_view name) const = 0;
  // Reads field `name` or calls method `name` with `args`. Errors are the method's message.
  virtual Result<Value> Member(std::string_view name, std::span<const Value> args) const = 0;
};

class Value {
 public:
  Value() = default;  // kInvalid
  static Value Nil() { return Value(Type::kNil); }
  static Value Bool(bool b) { Value v(Type::kBool); v.i_ = b; return v; }
  static Value Int(int64_t i, Type t = Type::kInt) { Value v(t); v.i_ = i; return v; }
  static Value Uint(uint64_t u, Type t = Type::kUint) { Value v(t); v.i_ = static_cast<int64_t>(u); return v; }
  static Value Float(double f) { Value v(Type::kFloat64); v.f_ = f; return v; }
  static Value Complex(double re, double im) { Value v(Type::kComplex128); v.f_ = re; v.im_ = im; return v; }
  static Value String(std::string s) { Value v(Type::kString); v.s_ = std::move(s); return v; }
  static Value MakeList(List items, Type t = Type::kListAny);
  static Value MakeMap(Map entries, Type t = Type::kMapAny);
  static Value MakeObject(std::shared_ptr<const Object> object);

  Type type() const { return type_; }
  Kind kind() const;
  bool valid() const { return type_ != Type::kInvalid; }
  bool is_nil() const { return type_ == Type::kNil; }
  // A nil interface, or a list or map that is nil (Go's zero slice/map).
  bool IsNilLike() const;

  // REQUIRES: the kind matches.
  bool bool_value() const { return i_ != 0; }
  int64_t int_value() const { return i_; }
  uint64_t uint_value() const { return static_cast<uint64_t>(i_); }
  double float_value() const { return f_; }
  double imag_value() const { return im_; }
  const std::string& string_value() const { return s_; }
  // Null for a nil list or map.
  const std::shared_ptr<List>& list() const { return list_; }
  const std::shared_ptr<Map>& map() const { return map_; }
  const std::shared_ptr<const Object>& object() const { return object_; }
  // Number of elements of a list or map; 0 for nil ones.
  size_t size() const;

  // Go's type name as %T prints it ("int", "[]interface {}", "map[string]interface {}",
  // "<nil>" for nil and the zero Value).
  std::string_view TypeName() const;
  // reflect.Kind's name as Sprig's kindOf prints it ("int", "slice", "map", "invalid").
  std::string_view KindName() const;

  // Go's truth: false for the zero value of the type, empty strings, lists and maps, nil.
  bool Truth() const;

 private:
  explicit Value(Type t) : type_(t) {}

  Type type_ = Type::kInvalid;
  int64_t i_ = 0;
  double f_ = 0;
  double im_ = 0;
  std::string s_;
  std::shared_ptr<List> list_;
  std::shared_ptr<Map> map_;
  std::shared_ptr<const Object> object_;
};

struct FromJsonOptions {
  // Integers read as float64, as Helm reads values.yaml (sigs.k8s.io/yaml into interface{});
  // otherwise as int (a JSON integer) and float64 (anything else).
  bool integers_as_float = false;
};

// The template value of a JSON document: objects become map[string]interface{}, arrays
// []interface{}, null a nil interface.
Value FromJson(const Json& json, const FromJsonOptions& options = {});

// The JSON document of a value, as encoding/json marshals it (maps with sorted keys since
// Map is ordered). Objects without a JSON form and complex numbers are an error naming the
// Go type: "json: unsupported type: complex128".
Result<Json> ToJson(const Value& value);

// Copies a value deeply (lists and maps are not shared with the original).
Value DeepCopy(const Value& value);

}  // namespace kstack::tmpl
