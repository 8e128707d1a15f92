#include "machinery/protobuf_object.h"

#include "core/base64.h"

#include <fmt/format.h>

#include <bit>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "machinery/internal/protobuf_types.h"
#include "machinery/protobuf_wire.h"

namespace kstack::machinery {
namespace {

using protobuf::Cardinality;
using protobuf::FieldKind;
using protobuf::FieldType;
using protobuf::MessageType;
using protobuf::WireField;
using protobuf::WireReader;
using protobuf::WireType;

constexpr std::string_view kMagic{"k8s\0", 4};
// Go's zero time.Time in Unix seconds (January 1, year 1): metav1.Time's zero value.
constexpr int64_t kZeroTimeSeconds = -62135596800;
// The time_point of kstack's clock counts nanoseconds in 64 bits: about 292 years either side
// of 1970. Times outside it are refused rather than wrapped.
constexpr int64_t kMaxAbsSeconds = 9'000'000'000;

bool ValidUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    size_t n;
    uint32_t cp;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xe0) == 0xc0) {
      n = 1;
      cp = c & 0x1f;
    } else if ((c & 0xf0) == 0xe0) {
      n = 2;
      cp = c & 0x0f;
    } else if ((c & 0xf8) == 0xf0) {
      n = 3;
      cp = c & 0x07;
    } else {
      return false;
    }
    for (size_t k = 1; k <= n; ++k) {
      if (i + k >= s.size()) return false;
      auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xc0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3f);
    }
    // Overlong forms, surrogates and values past U+10FFFF are not UTF-8.
    if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
        cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
      return false;
    }
    i += n + 1;
  }
  return true;
}

bool IsScalar(FieldKind kind) {
  switch (kind) {
    case FieldKind::kString:
    case FieldKind::kBool:
    case FieldKind::kInt32:
    case FieldKind::kInt64:
    case FieldKind::kDouble:
    case FieldKind::kBytes:
      return true;
    default:
      return false;
  }
}

// What Go's omitempty calls empty, for the scalars (structs are never empty to it).
bool IsEmptyScalar(const Json& v) {
  if (v.is_string()) return v.as_string().empty();
  if (v.is_bool()) return !v.as_bool();
  if (v.is_int64()) return v.as_int64() == 0;
  if (v.is_double()) return v.as_double() == 0;
  return v.is_null();
}

WireType ExpectedWireType(FieldKind kind) {
  switch (kind) {
    case FieldKind::kBool:
    case FieldKind::kInt32:
    case FieldKind::kInt64:
      return WireType::kVarint;
    case FieldKind::kDouble:
      return WireType::kFixed64;
    default:
      return WireType::kLengthDelimited;
  }
}

// Decodes messages of the table; `path` (the JSON path of the message) names the place of an
// error.
class Decoder {
 public:
  Status Message(const MessageType& type, std::string_view bytes, const std::string& path,
                 int depth, JsonObject* out);

 private:
  // What the wire held for one field of a message.
  struct Seen {
    bool present = false;
    WireField last;      // the last occurrence of a scalar (proto: the last one wins)
    std::string merged;  // every occurrence of a message-like value, concatenated (proto:
                         // occurrences merge, which concatenation does)
    JsonArray list;
    JsonObject map;
  };

  Result<Json> Value(const MessageType& parent, const FieldType& f, const WireField& w,
                     const std::string& path, int depth);
  Result<Json> Scalar(const MessageType& parent, const FieldType& f, const WireField& w,
                      const std::string& path);
  Result<Json> MessageLike(const FieldType& f, std::string_view bytes, const std::string& path,
                           int depth);
  Result<Json> Time(std::string_view bytes, bool micro, const std::string& path);
  Status MapEntry(const MessageType& parent, const FieldType& f, std::string_view bytes,
                  const std::string& path, int depth, JsonObject* map);
  Status Repeated(const MessageType& parent, const FieldType& f, const WireField& w,
                  const std::string& path, int depth, JsonArray* list);
};

std::string Join(const std::string& path, std::string_view name) {
  if (path.empty()) return std::string(name);
  return name.empty() ? path : fmt::format("{}.{}", path, name);
}

Status WrongWireType(const MessageType& m, uint32_t number, const std::string& path) {
  return BadRequestError(
      fmt::format("protobuf: field {} of message {} (at {}) has an unexpected wire type", number,
                  m.name, path.empty() ? "the object" : path));
}

Result<Json> Decoder::Scalar(const MessageType& parent, const FieldType& f, const WireField& w,
                             const std::string& path) {
  if (w.type != ExpectedWireType(f.kind)) return WrongWireType(parent, f.number, path);
  switch (f.kind) {
    case FieldKind::kString:
      if (!ValidUtf8(w.bytes)) {
        return BadRequestError(fmt::format("protobuf: {} is not valid UTF-8", path));
      }
      return Json(JsonString(w.bytes));
    case FieldKind::kBytes:
      return Json(EncodeBase64(w.bytes));
    case FieldKind::kBool:
      return Json(w.value != 0);
    case FieldKind::kInt32:
      return Json(static_cast<int64_t>(static_cast<int32_t>(static_cast<uint32_t>(w.value))));
    case FieldKind::kInt64:
      return Json(static_cast<int64_t>(w.value));
    case FieldKind::kDouble:
      return Json(std::bit_cast<double>(w.value));
    default:
      return InternalError("protobuf: not a scalar kind");
  }
}

Result<Json> Decoder::Time(std::string_view bytes, bool micro, const std::string& path) {
  int64_t seconds = 0;
  int64_t nanos = 0;
  WireReader r(bytes);
  while (!r.AtEnd()) {
    WireField w;
    KSTACK_RETURN_IF_ERROR(r.Next(&w));
    if ((w.number != 1 && w.number != 2) || w.type != WireType::kVarint) {
      return BadRequestError(fmt::format("protobuf: field {} of message {} (at {}) is not known",
                                         w.number, micro ? "MicroTime" : "Time", path));
    }
    if (w.number == 1) {
      seconds = static_cast<int64_t>(w.value);
    } else {
      nanos = static_cast<int32_t>(static_cast<uint32_t>(w.value));
    }
  }
  if (bytes.empty() || (seconds == kZeroTimeSeconds && nanos == 0)) return Json(nullptr);
  if (seconds > kMaxAbsSeconds || seconds < -kMaxAbsSeconds || nanos < 0 ||
      nanos >= 1'000'000'000) {
    return BadRequestError(fmt::format("protobuf: {} is out of range", path));
  }
  Clock::WallTime t{std::chrono::duration_cast<Clock::WallTime::duration>(
      std::chrono::seconds(seconds) + std::chrono::nanoseconds(nanos))};
  return Json(micro ? FormatRfc3339Micro(t) : FormatRfc3339(t));
}

Result<Json> Decoder::MessageLike(const FieldType& f, std::string_view bytes,
                                  const std::string& path, int depth) {
  // The small wrapper messages of apimachinery, each written as JSON its own way.
  auto fields = [&](std::string_view name, auto&& on_field) -> Status {
    WireReader r(bytes);
    while (!r.AtEnd()) {
      WireField w;
      KSTACK_RETURN_IF_ERROR(r.Next(&w));
      if (!on_field(w)) {
        return BadRequestError(fmt::format(
            "protobuf: field {} of message {} (at {}) is not known or has an unexpected wire type",
            w.number, name, path));
      }
    }
    return Status::Ok();
  };
  switch (f.kind) {
    case FieldKind::kTime:
    case FieldKind::kMicroTime:
      return Time(bytes, f.kind == FieldKind::kMicroTime, path);
    case FieldKind::kQuantity: {
      std::string_view text = "0";
      KSTACK_RETURN_IF_ERROR(fields("Quantity", [&](const WireField& w) {
        if (w.number != 1 || w.type != WireType::kLengthDelimited) return false;
        text = w.bytes;
        return true;
      }));
      if (!ValidUtf8(text)) return BadRequestError(fmt::format("protobuf: {} is not UTF-8", path));
      return Json(JsonString(text));
    }
    case FieldKind::kIntOrString: {
      uint64_t type = 0;
      int64_t int_val = 0;
      std::string_view str_val;
      KSTACK_RETURN_IF_ERROR(fields("IntOrString", [&](const WireField& w) {
        if (w.number == 1 && w.type == WireType::kVarint) {
          type = w.value;
        } else if (w.number == 2 && w.type == WireType::kVarint) {
          int_val = static_cast<int32_t>(static_cast<uint32_t>(w.value));
        } else if (w.number == 3 && w.type == WireType::kLengthDelimited) {
          str_val = w.bytes;
        } else {
          return false;
        }
        return true;
      }));
      if (type == 1) {
        if (!ValidUtf8(str_val)) {
          return BadRequestError(fmt::format("protobuf: {} is not UTF-8", path));
        }
        return Json(JsonString(str_val));
      }
      return Json(int_val);
    }
    case FieldKind::kRawExtension:
    case FieldKind::kFieldsV1: {
      std::string_view raw;
      bool present = false;
      KSTACK_RETURN_IF_ERROR(fields(f.kind == FieldKind::kFieldsV1 ? "FieldsV1" : "RawExtension",
                                    [&](const WireField& w) {
                                      if (w.number != 1 || w.type != WireType::kLengthDelimited) {
                                        return false;
                                      }
                                      raw = w.bytes;
                                      present = true;
                                      return true;
                                    }));
      if (!present) return Json(nullptr);
      Result<Json> json = ParseJson(raw, path);
      if (!json.ok()) {
        return BadRequestError(
            fmt::format("protobuf: {} does not hold JSON: {}", path, json.status().message()));
      }
      return std::move(*json);
    }
    case FieldKind::kMessage: {
      JsonObject out;
      KSTACK_RETURN_IF_ERROR(Message(*f.message, bytes, path, depth + 1, &out));
      return Json(std::move(out));
    }
    default:
      return InternalError("protobuf: not a message kind");
  }
}

Result<Json> Decoder::Value(const MessageType& parent, const FieldType& f, const WireField& w,
                            const std::string& path, int depth) {
  if (IsScalar(f.kind)) return Scalar(parent, f, w, path);
  if (w.type != WireType::kLengthDelimited) return WrongWireType(parent, f.number, path);
  return MessageLike(f, w.bytes, path, depth);
}

Status Decoder::MapEntry(const MessageType& parent, const FieldType& f, std::string_view bytes,
                         const std::string& path, int depth, JsonObject* map) {
  std::string_view key;
  std::string value_bytes;
  std::optional<WireField> scalar;
  WireReader r(bytes);
  while (!r.AtEnd()) {
    WireField w;
    KSTACK_RETURN_IF_ERROR(r.Next(&w));
    if (w.number == 1 && w.type == WireType::kLengthDelimited) {
      key = w.bytes;
    } else if (w.number == 2) {
      if (IsScalar(f.kind)) {
        scalar = w;
      } else if (w.type == WireType::kLengthDelimited) {
        value_bytes.append(w.bytes);
      } else {
        return WrongWireType(parent, f.number, path);
      }
    } else {
      return BadRequestError(
          fmt::format("protobuf: field {} of a map entry of {} (at {}) is not known", w.number,
                      parent.name, path));
    }
  }
  if (!ValidUtf8(key))
    return BadRequestError(fmt::format("protobuf: a key of {} is not UTF-8", path));
  std::string entry_path = fmt::format("{}[{}]", path, key);
  Json value;
  if (IsScalar(f.kind)) {
    if (scalar) {
      KSTACK_ASSIGN_OR_RETURN(value, Scalar(parent, f, *scalar, entry_path));
    } else if (f.kind == FieldKind::kString || f.kind == FieldKind::kBytes) {
      value = "";
    } else if (f.kind == FieldKind::kBool) {
      value = false;
    } else {
      value = 0;
    }
  } else {
    KSTACK_ASSIGN_OR_RETURN(value, MessageLike(f, value_bytes, entry_path, depth));
  }
  map->insert_or_assign(key, std::move(value));
  return Status::Ok();
}

Status Decoder::Repeated(const MessageType& parent, const FieldType& f, const WireField& w,
                         const std::string& path, int depth, JsonArray* list) {
  std::string item_path = fmt::format("{}[{}]", path, list->size());
  WireType want = ExpectedWireType(f.kind);
  if (w.type == WireType::kLengthDelimited && want != WireType::kLengthDelimited) {
    // A packed list of numbers.
    std::string_view data = w.bytes;
    while (!data.empty()) {
      WireField item{.number = w.number, .type = want};
      if (want == WireType::kVarint) {
        KSTACK_RETURN_IF_ERROR(WireReader::ReadVarint(&data, &item.value));
      } else {
        if (data.size() < 8) return BadRequestError(fmt::format("protobuf: {} is truncated", path));
        for (int b = 7; b >= 0; --b) {
          item.value = (item.value << 8) | static_cast<unsigned char>(data[static_cast<size_t>(b)]);
        }
        data.remove_prefix(8);
      }
      KSTACK_ASSIGN_OR_RETURN(Json v, Scalar(parent, f, item, item_path));
      list->push_back(std::move(v));
    }
    return Status::Ok();
  }
  KSTACK_ASSIGN_OR_RETURN(Json v, Value(parent, f, w, item_path, depth));
  list->push_back(std::move(v));
  return Status::Ok();
}

Status Decoder::Message(const MessageType& type, std::string_view bytes, const std::string& path,
                        int depth, JsonObject* out) {
  if (depth > 64) return BadRequestError(fmt::format("protobuf: {} is nested too deeply", path));
  std::vector<Seen> seen(type.fields.size());
  WireReader r(bytes);
  while (!r.AtEnd()) {
    WireField w;
    KSTACK_RETURN_IF_ERROR(r.Next(&w));
    const FieldType* f = type.Find(w.number);
    if (f == nullptr) {
      return BadRequestError(
          fmt::format("protobuf: field {} of message {} (at {}) is not known to kstack", w.number,
                      type.name, path.empty() ? "the object" : path));
    }
    Seen& s = seen[static_cast<size_t>(f - type.fields.data())];
    s.present = true;
    std::string field_path = Join(path, f->json_name);
    switch (f->cardinality) {
      case Cardinality::kRepeated:
        KSTACK_RETURN_IF_ERROR(Repeated(type, *f, w, field_path, depth, &s.list));
        break;
      case Cardinality::kMap: {
        if (w.type != WireType::kLengthDelimited) return WrongWireType(type, f->number, path);
        KSTACK_RETURN_IF_ERROR(MapEntry(type, *f, w.bytes, field_path, depth, &s.map));
        break;
      }
      case Cardinality::kSingle:
        if (w.type != ExpectedWireType(f->kind)) return WrongWireType(type, f->number, path);
        if (IsScalar(f->kind)) {
          s.last = w;
        } else {
          s.merged.append(w.bytes);
        }
        break;
    }
  }
  for (size_t i = 0; i < type.fields.size(); ++i) {
    const FieldType& f = type.fields[i];
    Seen& s = seen[i];
    std::string field_path = Join(path, f.json_name);
    if (f.Inline()) {
      JsonObject inner;
      KSTACK_RETURN_IF_ERROR(Message(*f.message, s.merged, path, depth + 1, &inner));
      for (auto& member : inner) out->insert_or_assign(member.key(), std::move(member.value()));
      continue;
    }
    if (f.cardinality != Cardinality::kSingle) {
      bool empty = f.cardinality == Cardinality::kRepeated ? s.list.empty() : s.map.empty();
      if (empty) {
        // A list or map that is not on the wire is nil in Go: null, or left out.
        if (!f.omitempty) out->insert_or_assign(f.json_name, nullptr);
      } else if (f.cardinality == Cardinality::kRepeated) {
        out->insert_or_assign(f.json_name, std::move(s.list));
      } else {
        out->insert_or_assign(f.json_name, std::move(s.map));
      }
      continue;
    }
    if (!s.present && f.pointer) {
      if (!f.omitempty) out->insert_or_assign(f.json_name, nullptr);
      continue;
    }
    Json value;
    if (IsScalar(f.kind)) {
      if (s.present) {
        KSTACK_ASSIGN_OR_RETURN(value, Scalar(type, f, s.last, field_path));
      } else if (f.kind == FieldKind::kString) {
        value = "";
      } else if (f.kind == FieldKind::kBool) {
        value = false;
      } else if (f.kind == FieldKind::kBytes) {
        value = nullptr;
      } else if (f.kind == FieldKind::kDouble) {
        value = 0.0;
      } else {
        value = 0;
      }
      if (f.omitempty && !f.pointer && IsEmptyScalar(value)) continue;
    } else {
      // Values that are structs in Go are in the JSON even when absent from the wire.
      KSTACK_ASSIGN_OR_RETURN(value, MessageLike(f, s.merged, field_path, depth));
    }
    out->insert_or_assign(f.json_name, std::move(value));
  }
  return Status::Ok();
}

}  // namespace

Result<Json> DecodeProtobufMessage(std::string_view message_name, std::string_view bytes) {
  const MessageType* type = protobuf::FindMessage(message_name);
  if (type == nullptr) {
    return NotFoundError(fmt::format("protobuf: no message {} in kstack's table", message_name));
  }
  JsonObject out;
  KSTACK_RETURN_IF_ERROR(Decoder().Message(*type, bytes, "", 0, &out));
  return Json(std::move(out));
}

Result<Json> DecodeProtobufObject(std::string_view body) {
  if (!body.starts_with(kMagic)) {
    return BadRequestError(
        "protobuf: the body does not start with the Kubernetes prefix \"k8s\\x00\"");
  }
  WireReader envelope(body.substr(kMagic.size()));
  std::string_view api_version, kind, raw, content_encoding;
  while (!envelope.AtEnd()) {
    WireField w;
    KSTACK_RETURN_IF_ERROR(envelope.Next(&w));
    if (w.type != WireType::kLengthDelimited || w.number > 4) {
      return BadRequestError(
          fmt::format("protobuf: field {} of message Unknown is not known to kstack", w.number));
    }
    if (w.number == 1) {
      WireReader type_meta(w.bytes);
      while (!type_meta.AtEnd()) {
        WireField t;
        KSTACK_RETURN_IF_ERROR(type_meta.Next(&t));
        if (t.type != WireType::kLengthDelimited || (t.number != 1 && t.number != 2)) {
          return BadRequestError(fmt::format(
              "protobuf: field {} of message TypeMeta is not known to kstack", t.number));
        }
        (t.number == 1 ? api_version : kind) = t.bytes;
      }
    } else if (w.number == 2) {
      raw = w.bytes;
    } else if (w.number == 3) {
      content_encoding = w.bytes;
    }
    // Field 4, contentType, names the encoding of `raw`, which is protobuf here.
  }
  if (!content_encoding.empty()) {
    return Status(
        Reason::kUnsupportedMediaType,
        fmt::format("protobuf: contentEncoding \"{}\" is not supported", content_encoding));
  }
  if (kind.empty() || api_version.empty()) {
    return BadRequestError("protobuf: the object has no apiVersion or kind");
  }
  const MessageType* type = protobuf::FindKindMessage(api_version, kind);
  if (type == nullptr) {
    return Status(Reason::kUnsupportedMediaType,
                  fmt::format("kstack does not decode {} {} from protobuf; send it as "
                              "application/json",
                              api_version, kind));
  }
  JsonObject out;
  out["kind"] = JsonString(kind);
  out["apiVersion"] = JsonString(api_version);
  KSTACK_RETURN_IF_ERROR(Decoder().Message(*type, raw, "", 0, &out));
  return Json(std::move(out));
}

}  // namespace kstack::machinery
