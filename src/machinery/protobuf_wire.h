#pragma once

// The protocol buffers wire format, read and written by hand: a tag (field number and wire
// type) as a varint, then a varint, a fixed 32- or 64-bit value, or a length and that many
// bytes. kstack decodes and encodes messages from its own field tables (protobuf_object.h,
// server/openapi_v2.h), so it needs the wire format only, not protoc-generated classes or
// libprotobuf's runtime descriptors; the format fits in a page.

#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.h"

namespace kstack::machinery::protobuf {

enum class WireType : uint8_t {
  kVarint = 0,
  kFixed64 = 1,
  kLengthDelimited = 2,
  kFixed32 = 5,
};

// One field as it is on the wire. `value` holds a varint or a fixed value (its bits, for
// doubles and floats); `bytes` points into the reader's input for length-delimited fields.
struct WireField {
  uint32_t number = 0;
  WireType type = WireType::kVarint;
  uint64_t value = 0;
  std::string_view bytes;
};

// Reads the fields of one message in order. The reader does not copy: `data` must outlive it
// and the fields it returns. Not thread-safe.
class WireReader {
 public:
  explicit WireReader(std::string_view data) : data_(data) {}

  bool AtEnd() const { return pos_ >= data_.size(); }

  // Reads the next field into *field. BadRequest naming the byte offset when the input is
  // truncated, a varint is longer than 10 bytes, the field number is 0, or the wire type is a
  // group (3, 4) or undefined (6, 7). REQUIRES: !AtEnd().
  [[nodiscard]] Status Next(WireField* field);

  // Reads one varint from the front of `*data` and removes it (packed repeated fields).
  [[nodiscard]] static Status ReadVarint(std::string_view* data, uint64_t* out);

 private:
  std::string_view data_;
  size_t pos_ = 0;
};

// Appends fields to a message. Proto3 writers leave out zero values; these functions write
// what they are given, so the caller decides. Not thread-safe.
class WireWriter {
 public:
  void Varint(uint32_t number, uint64_t value);
  void Int64(uint32_t number, int64_t value) { Varint(number, static_cast<uint64_t>(value)); }
  void Bool(uint32_t number, bool value) { Varint(number, value ? 1 : 0); }
  void Double(uint32_t number, double value);
  // A string, bytes or an embedded message already encoded.
  void Bytes(uint32_t number, std::string_view bytes);

  const std::string& data() const { return out_; }
  std::string Take() { return std::move(out_); }

 private:
  void Tag(uint32_t number, WireType type);
  void RawVarint(uint64_t value);
  std::string out_;
};

}  // namespace kstack::machinery::protobuf
