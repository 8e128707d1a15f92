#include "machinery/protobuf_wire.h"

#include <fmt/format.h>

#include <bit>
#include <cstring>

namespace kstack::machinery::protobuf {
namespace {

Status Truncated(size_t at) {
  return BadRequestError(fmt::format("protobuf: input ends inside the field at byte {}", at));
}

uint64_t LittleEndian(std::string_view bytes) {
  uint64_t v = 0;
  for (size_t i = bytes.size(); i > 0; --i) {
    v = (v << 8) | static_cast<unsigned char>(bytes[i - 1]);
  }
  return v;
}

}  // namespace

Status WireReader::ReadVarint(std::string_view* data, uint64_t* out) {
  uint64_t v = 0;
  for (size_t i = 0; i < 10; ++i) {
    if (i >= data->size()) return BadRequestError("protobuf: input ends inside a varint");
    auto b = static_cast<unsigned char>((*data)[i]);
    v |= static_cast<uint64_t>(b & 0x7f) << (7 * i);
    if ((b & 0x80) == 0) {
      data->remove_prefix(i + 1);
      *out = v;
      return Status::Ok();
    }
  }
  return BadRequestError("protobuf: a varint is longer than 10 bytes");
}

Status WireReader::Next(WireField* field) {
  size_t start = pos_;
  std::string_view rest = data_.substr(pos_);
  uint64_t tag = 0;
  if (!ReadVarint(&rest, &tag).ok()) return Truncated(start);
  uint64_t number = tag >> 3;
  if (number == 0 || number > 0x1fffffff) {
    return BadRequestError(
        fmt::format("protobuf: invalid field number {} at byte {}", number, start));
  }
  field->number = static_cast<uint32_t>(number);
  field->bytes = {};
  field->value = 0;
  switch (tag & 7) {
    case 0:
      field->type = WireType::kVarint;
      if (Status s = ReadVarint(&rest, &field->value); !s.ok()) {
        return BadRequestError(fmt::format("{} (field {} at byte {})", s.message(), number, start));
      }
      break;
    case 1:
    case 5: {
      size_t n = (tag & 7) == 1 ? 8 : 4;
      if (rest.size() < n) return Truncated(start);
      field->type = n == 8 ? WireType::kFixed64 : WireType::kFixed32;
      field->value = LittleEndian(rest.substr(0, n));
      rest.remove_prefix(n);
      break;
    }
    case 2: {
      uint64_t length = 0;
      if (!ReadVarint(&rest, &length).ok() || length > rest.size()) return Truncated(start);
      field->type = WireType::kLengthDelimited;
      field->bytes = rest.substr(0, length);
      rest.remove_prefix(length);
      break;
    }
    default:
      return BadRequestError(fmt::format(
          "protobuf: unsupported wire type {} for field {} at byte {}", tag & 7, number, start));
  }
  pos_ = data_.size() - rest.size();
  return Status::Ok();
}

void WireWriter::RawVarint(uint64_t value) {
  while (value >= 0x80) {
    out_.push_back(static_cast<char>((value & 0x7f) | 0x80));
    value >>= 7;
  }
  out_.push_back(static_cast<char>(value));
}

void WireWriter::Tag(uint32_t number, WireType type) {
  RawVarint((static_cast<uint64_t>(number) << 3) | static_cast<uint64_t>(type));
}

void WireWriter::Varint(uint32_t number, uint64_t value) {
  Tag(number, WireType::kVarint);
  RawVarint(value);
}

void WireWriter::Double(uint32_t number, double value) {
  Tag(number, WireType::kFixed64);
  auto bits = std::bit_cast<uint64_t>(value);
  for (int i = 0; i < 8; ++i) out_.push_back(static_cast<char>((bits >> (8 * i)) & 0xff));
}

void WireWriter::Bytes(uint32_t number, std::string_view bytes) {
  Tag(number, WireType::kLengthDelimited);
  RawVarint(bytes.size());
  out_.append(bytes);
}

}  // namespace kstack::machinery::protobuf
