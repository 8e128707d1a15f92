#pragma once

// What the table files of the server share: a printer per resource (its columns and a row
// function), the registries each API area fills, and the cell texts Kubernetes' printers build
// from objects (label maps, selectors, quantities, times, container lists). Pure functions.
//
// A printer always computes the wide cells too: the Kubernetes API server does, and kubectl
// drops the columns of priority 1 unless asked for `-o wide`.

#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/clock.h"
#include "core/json.h"

namespace kstack::server::internal {

struct Column {
  std::string_view name;
  std::string_view type;  // string, integer, boolean, date
  std::string_view description;
  int priority = 0;           // 1: shown only with -o wide
  std::string_view format{};  // "name" for the column holding the object's name
};

// The columns most printers share.
inline constexpr Column kNameColumn{"Name", "string", "Name of the object, unique in its scope.", 0,
                                    "name"};
inline constexpr Column kAgeColumn{"Age", "string", "Time since the object was created."};
inline constexpr Column kContainersColumn{"Containers", "string",
                                          "Names of the containers of the pod template.", 1};
inline constexpr Column kImagesColumn{"Images", "string",
                                      "Images of the containers of the pod template.", 1};
inline constexpr Column kSelectorColumn{"Selector", "string",
                                        "Label selector of the pods the object manages.", 1};

struct RowInput {
  const Json& object;
  Clock::WallTime now;
  std::string age;  // since metadata.creationTimestamp; "<unknown>" without one
};

struct Printer {
  std::vector<Column> columns;
  // One cell per column, in column order.
  JsonArray (*row)(const RowInput& in) = nullptr;
  // The row's conditions (meta.k8s.io TableRowCondition); null when the printer has none.
  JsonArray (*conditions)(const Json& object) = nullptr;
};

// Printers by "group/resource" ("apps/deployments", "/pods").
using PrinterMap = std::map<std::string, Printer, std::less<>>;

// Each API area adds its printers (table_core.cc, table_pods.cc, table_workloads.cc,
// table_networking.cc, table_storage.cc, table_cluster.cc).
void AddCorePrinters(PrinterMap* printers);
void AddPodPrinters(PrinterMap* printers);
void AddWorkloadPrinters(PrinterMap* printers);
void AddNetworkingPrinters(PrinterMap* printers);
void AddStoragePrinters(PrinterMap* printers);
void AddClusterPrinters(PrinterMap* printers);

// ---- Reading objects; none of these throws, a missing or mistyped field reads as absent.

// The value at `path`; a null value when any step is missing.
const Json& At(const Json& v, std::initializer_list<std::string_view> path);
// The string at `path`, or `fallback` when it is absent, empty or not a string.
std::string Str(const Json& v, std::initializer_list<std::string_view> path,
                std::string_view fallback = "");
// The integer at `path` (an integral double counts), or `fallback`.
int64_t Int(const Json& v, std::initializer_list<std::string_view> path, int64_t fallback = 0);
// The integer at `path`, or nothing when absent.
std::optional<int64_t> OptInt(const Json& v, std::initializer_list<std::string_view> path);
// True when the value at `path` is the boolean true.
bool IsTrue(const Json& v, std::initializer_list<std::string_view> path);
// The array at `path`; an empty array when absent.
const JsonArray& Items(const Json& v, std::initializer_list<std::string_view> path);
// Members of the object or elements of the array at `path`; 0 otherwise.
int64_t Count(const Json& v, std::initializer_list<std::string_view> path);

// ---- Cell texts, as Kubernetes formats them.

std::string Join(const std::vector<std::string>& parts, std::string_view sep);

// A string map as "k1=v1,k2=v2" in key order, "<none>" when empty (labels.FormatLabels).
std::string LabelsText(const Json& map);

// A metav1.LabelSelector in its canonical text ("app=web,tier in (a,b)"), "<none>" when it
// selects everything or nothing, "<error>" when it is invalid (metav1.FormatLabelSelector).
std::string SelectorText(const Json& selector);
// The same without the "<none>" placeholder and with "<invalid>" for an invalid selector, as
// the deployment printer shows it.
std::string SelectorString(const Json& selector);

// Names and images of the containers of a pod spec, each joined with ",".
std::pair<std::string, std::string> ContainerCells(const Json& pod_spec);

// A resource.Quantity (a string such as "1024Mi" or a JSON number) in Kubernetes' canonical
// form ("1Gi"); "0" for a missing quantity, the text itself when it does not parse.
std::string QuantityText(const Json& quantity);

// An int-or-string value (PodDisruptionBudget minAvailable, ports) as text.
std::string IntOrStringText(const Json& v);

// "True" or "False".
std::string BoolText(bool b);

// Parses metav1.Time / MicroTime text (RFC 3339, optional fraction, "Z" or an offset).
std::optional<Clock::WallTime> ParseTime(std::string_view text);
// The age of the time at `time` (a metav1.Time string), "<unknown>" when absent or invalid.
std::string Since(const Json& time, Clock::WallTime now);

}  // namespace kstack::server::internal
