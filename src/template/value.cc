#include "template/value.h"

namespace kstack::tmpl {

Value Value::MakeList(List items, Type t) {
  Value v(t);
  v.list_ = std::make_shared<List>(std::move(items));
  return v;
}

Value Value::MakeMap(Map entries, Type t) {
  Value v(t);
  v.map_ = std::make_shared<Map>(std::move(entries));
  return v;
}

Value Value::MakeObject(std::shared_ptr<const Object> object) {
  Value v(Type::kObject);
  v.object_ = std::move(object);
  return v;
}

Kind Value::kind() const {
  switch (type_) {
    case Type::kInvalid: return Kind::kInvalid;
    case Type::kNil: return Kind::kNil;
    case Type::kBool: return Kind::kBool;
    case Type::kInt: case Type::kInt64: case Type::kInt32: return Kind::kInt;
    case Type::kUint8: case Type::kUint: case Type::kUint64: return Kind::kUint;
    case Type::kFloat64: return Kind::kFloat;
    case Type::kComplex128: return Kind::kComplex;
    case Type::kString: return Kind::kString;
    case Type::kListAny: case Type::kListString: case Type::kListInt: return Kind::kList;
    case Type::kMapAny: case Type::kMapString: case Type::kMapInt: return Kind::kMap;
    case Type::kObject: return Kind::kObject;
  }
  return Kind::kInvalid;
}

bool Value::IsNilLike() const {
  switch (kind()) {
    case Kind::kNil: return true;
    case Kind::kList: return list_ == nullptr;
    case Kind::kMap: return map_ == nullptr;
    case Kind::kObject: return object_ == nullptr;
    default: return false;
  }
}

size_t Value::size() const {
  if (kind() == Kind::kList) return list_ ? list_->size() : 0;
  if (kind() == Kind::kMap) return map_ ? map_->size() : 0;
  return 0;
}

std::string_view Value::TypeName() const {
  switch (type_) {
    case Type::kInvalid: case Type::kNil: return "<nil>";
    case Type::kBool: return "bool";
    case Type::kInt: return "int";
    case Type::kInt64: return "int64";
    case Type::kInt32: return "int32";
    case Type::kUint8: return "uint8";
    case Type::kUint: return "uint";
    case Type::kUint64: return "uint64";
    case Type::kFloat64: return "float64";
    case Type::kComplex128: return "complex128";
    case Type::kString: return "string";
    case Type::kListAny: return "[]interface {}";
    case Type::kListString: return "[]string";
    case Type::kListInt: return "[]int";
    case Type::kMapAny: return "map[string]interface {}";
    case Type::kMapString: return "map[string]string";
    case Type::kMapInt: return "map[string]int";
    case Type::kObject: return object_ ? object_->TypeName() : "<nil>";
  }
  return "<nil>";
}

std::string_view Value::KindName() const {
  switch (kind()) {
    case Kind::kInvalid: case Kind::kNil: return "invalid";
    case Kind::kList: return "slice";
    case Kind::kMap: return "map";
    case Kind::kObject: return object_ ? object_->KindName() : "ptr";
    default: return TypeName();
  }
}

bool Value::Truth() const {
  switch (kind()) {
    case Kind::kInvalid: case Kind::kNil: return false;
    case Kind::kBool: case Kind::kInt: case Kind::kUint: return i_ != 0;
    case Kind::kFloat: return f_ != 0;
    case Kind::kComplex: return f_ != 0 || im_ != 0;
    case Kind::kString: return !s_.empty();
    case Kind::kList: case Kind::kMap: return size() > 0;
    case Kind::kObject: return object_ != nullptr;
  }
  return false;
}

Value FromJson(const Json& json, const FromJsonOptions& options) {
  switch (json.kind()) {
    case boost::json::kind::null: return Value::Nil();
    case boost::json::kind::bool_: return Value::Bool(json.get_bool());
    case boost::json::kind::int64:
      if (options.integers_as_float) return Value::Float(static_cast<double>(json.get_int64()));
      return Value::Int(json.get_int64());
    case boost::json::kind::uint64:
      if (options.integers_as_float) return Value::Float(static_cast<double>(json.get_uint64()));
      return Value::Uint(json.get_uint64(), Type::kUint64);
    case boost::json::kind::double_: return Value::Float(json.get_double());
    case boost::json::kind::string: return Value::String(std::string(json.get_string()));
    case boost::json::kind::array: {
      List items;
      items.reserve(json.get_array().size());
      for (const Json& item : json.get_array()) items.push_back(FromJson(item, options));
      return Value::MakeList(std::move(items));
    }
    case boost::json::kind::object: {
      Map entries;
      for (const auto& member : json.get_object()) {
        entries.insert_or_assign(std::string(member.key()), FromJson(member.value(), options));
      }
      return Value::MakeMap(std::move(entries));
    }
  }
  return Value::Nil();
}

Result<Json> ToJson(const Value& value) {
  switch (value.kind()) {
    case Kind::kInvalid: case Kind::kNil: return Json(nullptr);
    case Kind::kBool: return Json(value.bool_value());
    case Kind::kInt: return Json(value.int_value());
    case Kind::kUint: return Json(value.uint_value());
    case Kind::kFloat: return Json(value.float_value());
    case Kind::kString: return Json(value.string_value());
    case Kind::kList: {
      if (!value.list()) return Json(nullptr);
      JsonArray out;
      out.reserve(value.list()->size());
      for (const Value& item : *value.list()) {
        KSTACK_ASSIGN_OR_RETURN(Json j, ToJson(item));
        out.push_back(std::move(j));
      }
      return Json(std::move(out));
    }
    case Kind::kMap: {
      if (!value.map()) return Json(nullptr);
      JsonObject out;
      for (const auto& [key, item] : *value.map()) {
        KSTACK_ASSIGN_OR_RETURN(Json j, ToJson(item));
        out.emplace(key, std::move(j));
      }
      return Json(std::move(out));
    }
    case Kind::kObject:
      if (value.object()) return Json(value.object()->String());
      return Json(nullptr);
    case Kind::kComplex: break;
  }
  return BadRequestError("json: unsupported type: " + std::string(value.TypeName()));
}

Value DeepCopy(const Value& value) {
  if (value.kind() == Kind::kList && value.list()) {
    List items;
    items.reserve(value.list()->size());
    for (const Value& item : *value.list()) items.push_back(DeepCopy(item));
    return Value::MakeList(std::move(items), value.type());
  }
  if (value.kind() == Kind::kMap && value.map()) {
    Map entries;
    for (const auto& [key, item] : *value.map()) entries.emplace(key, DeepCopy(item));
    return Value::MakeMap(std::move(entries), value.type());
  }
  return value;
}

}  // namespace kstack::tmpl
