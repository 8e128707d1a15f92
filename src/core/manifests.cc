#include "core/manifests.h"

#include <fmt/format.h>

#include "core/yaml.h"

namespace kstack {
namespace {

Status Expand(Json doc, std::string_view source, size_t index, std::vector<Json>* out) {
  if (!doc.is_object()) {
    return BadRequestError(fmt::format("{}: document {} is a {}, not an object", source,
                                       index + 1, JsonKindName(doc)));
  }
  JsonObject& obj = doc.get_object();
  Json* items = obj.if_contains("items");
  if (items == nullptr) {
    out->push_back(std::move(doc));
    return Status::Ok();
  }
  if (items->is_null()) {
    return Status::Ok();
  }
  if (!items->is_array()) {
    return BadRequestError(fmt::format("{}: document {}: items must be a list, not a {}", source,
                                       index + 1, JsonKindName(*items)));
  }
  for (Json& item : items->get_array()) {
    KSTACK_RETURN_IF_ERROR(Expand(std::move(item), source, index, out));
  }
  return Status::Ok();
}

}  // namespace

Result<std::vector<Json>> ReadManifests(std::string_view text, std::string_view source) {
  size_t first = text.find_first_not_of(" \t\r\n");
  std::vector<Json> docs;
  if (first != std::string_view::npos && text[first] == '{') {
    KSTACK_ASSIGN_OR_RETURN(docs, ParseJsonStream(text, source));
  } else {
    KSTACK_ASSIGN_OR_RETURN(docs, ParseYamlStream(text, source));
  }
  std::vector<Json> out;
  out.reserve(docs.size());
  for (size_t i = 0; i < docs.size(); ++i) {
    if (docs[i].is_null()) continue;
    KSTACK_RETURN_IF_ERROR(Expand(std::move(docs[i]), source, i, &out));
  }
  return out;
}

}  // namespace kstack
