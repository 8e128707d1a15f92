#pragma once

// The protobuf messages of the Kubernetes kinds kstack decodes (protobuf_object.h), as data:
// field numbers and wire types as Kubernetes' generated.proto files give them, and for each
// field what Go's encoding/json does with it (JSON name, pointer or value, omitempty, inline
// embedding), because the JSON a Go client would have sent is the result wanted.

#include <cstdint>
#include <string_view>
#include <vector>

namespace kstack::machinery::protobuf {

// What a field holds on the wire and how it becomes JSON.
enum class FieldKind : uint8_t {
  kString,        // length-delimited text
  kBool,          // varint
  kInt32,         // varint (negative numbers sign-extended to 64 bits)
  kInt64,         // varint
  kDouble,        // fixed64
  kBytes,         // length-delimited; JSON holds it in base64
  kTime,          // metav1.Time {1 seconds, 2 nanos}: RFC 3339 text, null when zero
  kMicroTime,     // metav1.MicroTime: the same with microseconds
  kQuantity,      // resource.Quantity {1 string}: its string
  kIntOrString,   // intstr.IntOrString {1 type, 2 intVal, 3 strVal}: a number or a string
  kRawExtension,  // runtime.RawExtension {1 raw}: the JSON it holds
  kFieldsV1,      // metav1.FieldsV1 {1 Raw}: the JSON it holds
  kMessage,       // another message of the table
};

enum class Cardinality : uint8_t {
  kSingle,
  kRepeated,
  kMap,  // map<string, value>: entries {1 key, 2 value}
};

struct MessageType;

struct FieldType {
  uint32_t number = 0;
  // "" when the Go field is embedded inline: its message's fields join the parent's JSON.
  std::string_view json_name;
  FieldKind kind = FieldKind::kString;
  Cardinality cardinality = Cardinality::kSingle;
  // A Go pointer: in JSON whenever it was on the wire, even when zero.
  bool pointer = false;
  // Go's omitempty: a zero scalar, empty list or empty map is left out (structs never are).
  bool omitempty = true;
  const MessageType* message = nullptr;  // kMessage only

  bool Inline() const { return json_name.empty(); }
};

struct MessageType {
  std::string_view name;
  std::vector<FieldType> fields;  // in Go struct order, which is the order of the JSON

  // The field with `number`; null when the message has none.
  const FieldType* Find(uint32_t number) const;
};

// The message of a top-level kind ("apps/v1", "Deployment"); null when the table has none.
const MessageType* FindKindMessage(std::string_view api_version, std::string_view kind);

// A message by name ("ObjectMeta"); null when the table has none.
const MessageType* FindMessage(std::string_view name);

// The names of every message of the table, in table order.
std::vector<std::string_view> MessageNames();

}  // namespace kstack::machinery::protobuf
