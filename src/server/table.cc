#include "server/table.h"

#include <fmt/format.h>

#include "server/internal/table_printer.h"

namespace kstack::server {
namespace {

using internal::Column;
using internal::Printer;
using internal::PrinterMap;
using machinery::ResourceType;

const PrinterMap& Printers() {
  static const PrinterMap* printers = [] {
    auto* map = new PrinterMap();
    internal::AddCorePrinters(map);
    internal::AddPodPrinters(map);
    internal::AddWorkloadPrinters(map);
    internal::AddNetworkingPrinters(map);
    internal::AddStoragePrinters(map);
    internal::AddClusterPrinters(map);
    return map;
  }();
  return *printers;
}

// Types without a printer of their own (roles, cluster roles, limit ranges, custom resource
// definitions) get the API server's default columns: the name and the creation time.
const Printer& DefaultPrinter() {
  static const Printer* printer = new Printer{
      {internal::kNameColumn,
       {"Created At", "date", "Time the object was created, in RFC 3339 form (UTC)."}},
      [](const internal::RowInput& in) {
        std::optional<Clock::WallTime> created =
            internal::ParseTime(internal::Str(in.object, {"metadata", "creationTimestamp"}));
        return JsonArray{internal::Str(in.object, {"metadata", "name"}),
                         created ? FormatRfc3339(*created) : "0001-01-01T00:00:00Z"};
      }};
  return *printer;
}

}  // namespace

std::string HumanDuration(std::chrono::seconds d) {
  int64_t s = d.count();
  if (s < -1) return "<invalid>";
  if (s < 0) return "0s";
  if (s < 120) return fmt::format("{}s", s);
  int64_t minutes = s / 60;
  if (minutes < 10) {
    return s % 60 == 0 ? fmt::format("{}m", minutes) : fmt::format("{}m{}s", minutes, s % 60);
  }
  if (minutes < 180) return fmt::format("{}m", minutes);
  int64_t hours = s / 3600;
  if (hours < 8) {
    return minutes % 60 == 0 ? fmt::format("{}h", hours)
                             : fmt::format("{}h{}m", hours, minutes % 60);
  }
  if (hours < 48) return fmt::format("{}h", hours);
  if (hours < 24 * 8) {
    return hours % 24 == 0 ? fmt::format("{}d", hours / 24)
                           : fmt::format("{}d{}h", hours / 24, hours % 24);
  }
  if (hours < 24 * 365 * 2) return fmt::format("{}d", hours / 24);
  if (hours < 24 * 365 * 8) {
    int64_t days = (hours / 24) % 365;
    return days == 0 ? fmt::format("{}y", hours / 24 / 365)
                     : fmt::format("{}y{}d", hours / 24 / 365, days);
  }
  return fmt::format("{}y", hours / 24 / 365);
}

Json ToTable(const ResourceType& type, std::span<const Json> objects, const Json& list_metadata,
             Clock::WallTime now) {
  std::string key = fmt::format("{}/{}", type.group, type.resource);
  const Printer* printer = &DefaultPrinter();
  if (auto it = Printers().find(key); it != Printers().end()) printer = &it->second;
  JsonArray columns;
  for (const Column& c : printer->columns) {
    columns.push_back(JsonObject{{"name", c.name},
                                 {"type", c.type},
                                 {"format", c.format},
                                 {"description", c.description},
                                 {"priority", c.priority}});
  }
  JsonArray rows;
  for (const Json& object : objects) {
    internal::RowInput in{
        object, now, internal::Since(internal::At(object, {"metadata", "creationTimestamp"}), now)};
    const Json& metadata = internal::At(object, {"metadata"});
    JsonObject row{{"cells", printer->row(in)}};
    if (printer->conditions != nullptr) {
      if (JsonArray conditions = printer->conditions(object); !conditions.empty()) {
        row["conditions"] = std::move(conditions);
      }
    }
    row["object"] = JsonObject{{"kind", "PartialObjectMetadata"},
                               {"apiVersion", "meta.k8s.io/v1"},
                               {"metadata", metadata.is_object() ? metadata : Json(JsonObject())}};
    rows.push_back(std::move(row));
  }
  return JsonObject{{"kind", "Table"},
                    {"apiVersion", "meta.k8s.io/v1"},
                    {"metadata", list_metadata.is_object() ? list_metadata : Json(JsonObject())},
                    {"columnDefinitions", std::move(columns)},
                    {"rows", std::move(rows)}};
}

}  // namespace kstack::server
