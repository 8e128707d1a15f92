#include "render/internal/manifest_file.h"

#include <fmt/format.h>

#include "core/yaml.h"

namespace kstack::render::internal {
namespace {

// What decides whether an undecodable YAML file is an error or an unrelated file.
bool LooksLikeManifest(std::string_view text) {
  return text.find("apiVersion:") != std::string_view::npos &&
         text.find("kind:") != std::string_view::npos &&
         text.find("metadata:") != std::string_view::npos;
}

bool NonEmptyString(const Json& object, std::string_view key) {
  return !FindString(object, key).empty();
}

// Why a document cannot be read as a Kubernetes object at all; "" when it can. (A document
// that can is checked further once lists are expanded.)
std::string Undecodable(const Json& doc) {
  if (!doc.is_object()) return fmt::format("is {}, not an object", KindWithArticle(doc));
  if (!NonEmptyString(doc, "kind")) return "missing kind";
  return "";
}

// Why a single object cannot be applied; "" when it can.
std::string Unnamed(const Json& object) {
  if (!object.is_object()) return fmt::format("is {}, not an object", KindWithArticle(object));
  if (!NonEmptyString(object, "apiVersion")) return "missing apiVersion";
  if (!NonEmptyString(object, "kind")) return "missing kind";
  const Json* metadata = FindMember(object, "metadata");
  if (metadata == nullptr || !metadata->is_object()) return "missing metadata.name";
  if (!NonEmptyString(*metadata, "name") && !NonEmptyString(*metadata, "generateName")) {
    return "missing metadata.name";
  }
  return "";
}

// "FILE: document 2: missing kind", "FILE: document 2 is a string, not an object".
Status Fault(std::string_view where, std::string_view why) {
  return BadRequestError(why.starts_with("is ") ? fmt::format("{} {}", where, why)
                                                : fmt::format("{}: {}", where, why));
}

Status Flatten(Json value, std::string_view file, std::vector<Json>* out) {
  if (value.is_null()) return Status::Ok();
  if (value.is_array()) {
    for (Json& element : value.get_array()) {
      KSTACK_RETURN_IF_ERROR(Flatten(std::move(element), file, out));
    }
    return Status::Ok();
  }
  if (!value.is_object()) {
    return BadRequestError(
        fmt::format("{}: the Jsonnet value holds {} where an object was expected", file,
                    KindWithArticle(value)));
  }
  out->push_back(std::move(value));
  return Status::Ok();
}

}  // namespace

std::string KindWithArticle(const Json& value) {
  if (value.is_null()) return "null";
  if (value.is_array() || value.is_object()) return fmt::format("an {}", JsonKindName(value));
  return fmt::format("a {}", JsonKindName(value));
}

Result<std::vector<Json>> DecodeYamlFile(std::string_view text, std::string_view file) {
  size_t first = text.find_first_not_of(" \t\r\n");
  bool json = first != std::string_view::npos && text[first] == '{';
  Result<std::vector<Json>> parsed =
      json ? ParseJsonStream(text, file) : ParseYamlStream(text, file);
  if (!parsed.ok()) {
    if (!LooksLikeManifest(text)) return std::vector<Json>();
    return parsed.status();
  }
  std::vector<Json> docs;
  docs.reserve(parsed->size());
  for (Json& doc : *parsed) {
    if (doc.is_null()) continue;
    std::string why = Undecodable(doc);
    if (!why.empty()) {
      if (docs.empty() && !LooksLikeManifest(text)) return std::vector<Json>();
      return Fault(fmt::format("{}: document {}", file, docs.size() + 1), why);
    }
    docs.push_back(std::move(doc));
  }
  return docs;
}

Result<std::vector<Json>> DecodeJsonFile(std::string_view text, std::string_view file) {
  KSTACK_ASSIGN_OR_RETURN(std::vector<Json> values, ParseJsonStream(text, file));
  if (values.empty()) {
    return BadRequestError(fmt::format("{}: no JSON object in the file", file));
  }
  if (values.size() > 1) {
    return BadRequestError(fmt::format(
        "{}: {} JSON values in the file; a .json file holds a single object", file, values.size()));
  }
  std::string why = Undecodable(values[0]);
  if (!why.empty()) {
    return Fault(fmt::format("{}: document 1", file), why);
  }
  return values;
}

Result<std::vector<Json>> FlattenJsonnetValue(Json value, std::string_view file) {
  std::vector<Json> out;
  KSTACK_RETURN_IF_ERROR(Flatten(std::move(value), file, &out));
  return out;
}

Status AppendObjects(std::vector<Json> documents, std::string_view file, std::string_view unit,
                     std::vector<RenderedObject>* out) {
  for (size_t i = 0; i < documents.size(); ++i) {
    Json& doc = documents[i];
    std::string where = fmt::format("{}: {} {}", file, unit, i + 1);
    JsonObject* object = doc.if_object();
    if (object == nullptr) {
      return Fault(where, fmt::format("is {}, not an object", KindWithArticle(doc)));
    }
    if (!NonEmptyString(doc, "kind")) return Fault(where, "missing kind");
    Json* items = object->if_contains("items");
    if (items != nullptr && items->is_array()) {
      JsonArray& list = items->get_array();
      for (size_t j = 0; j < list.size(); ++j) {
        std::string why = Unnamed(list[j]);
        if (!why.empty()) {
          return Fault(fmt::format("{}, item {}", where, j + 1), why);
        }
        out->push_back({std::move(list[j]), std::string(file)});
      }
      continue;
    }
    if (items != nullptr && items->is_null() && !object->contains("spec") &&
        !object->contains("status")) {
      continue;
    }
    std::string why = Unnamed(doc);
    if (!why.empty()) {
      return Fault(where, why);
    }
    out->push_back({std::move(doc), std::string(file)});
  }
  return Status::Ok();
}

}  // namespace kstack::render::internal
