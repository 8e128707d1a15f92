#include "server/custom_table.h"

#include <cmath>

#include "machinery/json_path.h"
#include "server/table.h"

namespace kstack::server {
namespace {

const std::vector<PrinterColumn>& AgeOnly() {
  static const auto* columns = new std::vector<PrinterColumn>{
      {.name = "Age",
       .type = "date",
       .description = "Time since the object was created.",
       .json_path = ".metadata.creationTimestamp"}};
  return *columns;
}

// The text of a value as a JSONPath printer writes it: strings bare, the rest as JSON.
std::string Text(const Json& v) {
  if (v.is_string()) return std::string(v.get_string());
  return WriteJson(v, {.escape_html = false});
}

Json Cell(const PrinterColumn& column, const Json& object, Clock::WallTime now) {
  Result<std::vector<const Json*>> found = machinery::EvaluateJsonPath(object, column.json_path);
  if (!found.ok() || found->empty() || (*found)[0]->is_null()) return nullptr;
  const Json& v = *(*found)[0];
  if (column.type == "string") return Json(Text(v));
  if (column.type == "integer") {
    if (v.is_int64() || v.is_uint64()) return v;
    if (v.is_double()) return static_cast<int64_t>(v.get_double());
    return nullptr;
  }
  if (column.type == "number") return v.is_number() ? Json(v.to_number<double>()) : Json(nullptr);
  if (column.type == "boolean") return v.is_bool() ? v : Json(nullptr);
  if (column.type == "date") {
    if (!v.is_string()) return nullptr;
    Clock::WallTime t;
    if (!ParseRfc3339(v.get_string(), &t)) return "<invalid>";
    return Json(HumanDuration(std::chrono::duration_cast<std::chrono::seconds>(now - t)));
  }
  return nullptr;
}

}  // namespace

Json CustomResourceTable(const std::vector<PrinterColumn>& custom, std::span<const Json> objects,
                         const Json& list_metadata, Clock::WallTime now) {
  const std::vector<PrinterColumn>& columns = custom.empty() ? AgeOnly() : custom;
  JsonArray definitions{JsonObject{{"name", "Name"},
                                   {"type", "string"},
                                   {"format", "name"},
                                   {"description", "The name of the object."},
                                   {"priority", 0}}};
  for (const PrinterColumn& c : columns) {
    definitions.push_back(JsonObject{{"name", c.name},
                                     {"type", c.type},
                                     {"format", c.format},
                                     {"description", c.description},
                                     {"priority", c.priority}});
  }
  JsonArray rows;
  for (const Json& object : objects) {
    const Json* metadata = FindMember(object, "metadata");
    JsonArray cells{metadata ? Json(FindString(*metadata, "name")) : Json("")};
    for (const PrinterColumn& c : columns) cells.push_back(Cell(c, object, now));
    rows.push_back(JsonObject{
        {"cells", std::move(cells)},
        {"object", JsonObject{{"kind", "PartialObjectMetadata"},
                              {"apiVersion", "meta.k8s.io/v1"},
                              {"metadata", metadata ? *metadata : Json(JsonObject())}}}});
  }
  return JsonObject{{"kind", "Table"},
                    {"apiVersion", "meta.k8s.io/v1"},
                    {"metadata", list_metadata.is_object() ? list_metadata : Json(JsonObject())},
                    {"columnDefinitions", std::move(definitions)},
                    {"rows", std::move(rows)}};
}

}  // namespace kstack::server
