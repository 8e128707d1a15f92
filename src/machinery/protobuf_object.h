#pragma once

// Kubernetes objects in the protobuf encoding (Content-Type application/vnd.kubernetes.protobuf),
// as kubectl's generator commands (`kubectl create deployment`, `kubectl run`, ...) send them,
// decoded into the JSON object that a JSON client would have sent for the same object.
//
// The encoding: the 4 bytes "k8s\0", then a runtime.Unknown message {1 typeMeta {1 apiVersion,
// 2 kind}, 2 raw, 3 contentEncoding, 4 contentType} whose `raw` is the object's own message.
// The messages of the kinds kstack decodes are a table (internal/protobuf_types.h); the JSON
// follows Go's encoding/json for the same Go value: omitempty fields left out when zero, value
// structs always present, metav1.Time as RFC 3339 text (null when zero), resource.Quantity as
// its string, intstr.IntOrString as a number or a string, bytes in base64, RawExtension and
// FieldsV1 as the JSON they hold.

#include <string_view>

#include "core/json.h"
#include "core/result.h"

namespace kstack::machinery {

// The media type of Kubernetes protobuf bodies.
inline constexpr std::string_view kProtobufMediaType = "application/vnd.kubernetes.protobuf";

// Decodes one object: {"kind", "apiVersion", ...the fields of its message}. Errors:
// BadRequest when the prefix is missing, the input is not valid protobuf, a field has another
// wire type than the table says, a string is not UTF-8, or a message has a field number the
// table does not know (the message says which message and number: nothing is dropped
// silently); UnsupportedMediaType for a kind the table has no message for, or a
// contentEncoding.
Result<Json> DecodeProtobufObject(std::string_view body);

// Decodes one message of the table by name ("ObjectMeta"), without the envelope. Errors as
// above; NotFound when the table has no such message.
Result<Json> DecodeProtobufMessage(std::string_view message_name, std::string_view bytes);

}  // namespace kstack::machinery
