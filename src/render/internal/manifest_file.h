#pragma once

// Turning the text of one manifest file, or the value of one Jsonnet file, into objects with
// Argo CD's rules (see directory.h for the rules themselves).

#include <string>
#include <string_view>
#include <vector>

#include "core/json.h"
#include "core/result.h"
#include "render/directory.h"

namespace kstack::render::internal {

// "an array", "a string", "null": a value's kind for messages.
std::string KindWithArticle(const Json& value);

// The documents of a YAML file (or a JSON stream in one), each a mapping with a kind. Empty
// vector and ok when the file is taken for an unrelated, non-manifest file.
Result<std::vector<Json>> DecodeYamlFile(std::string_view text, std::string_view file);

// The one object of a .json file.
Result<std::vector<Json>> DecodeJsonFile(std::string_view text, std::string_view file);

// The objects of a Jsonnet value: an object, or arrays of them nested to any depth; nulls are
// skipped.
Result<std::vector<Json>> FlattenJsonnetValue(Json value, std::string_view file);

// Expands lists among `documents` into their items, checks that each object names itself, and
// appends them with `file` to `out`. `unit` names a document in errors ("document", "item").
Status AppendObjects(std::vector<Json> documents, std::string_view file, std::string_view unit,
                     std::vector<RenderedObject>* out);

}  // namespace kstack::render::internal
