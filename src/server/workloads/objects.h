#pragma once

// Small pieces of object handling that every workload controller needs: keys, owner
// references, conditions, pod readiness, resource quantities and the pod-template hash.
// All functions are pure and thread-safe.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "core/json.h"

namespace kstack::server::workloads {

// "namespace/name" ("name" for cluster-scoped objects), the key of the work queues.
std::string KeyOf(const Json& object);
std::string KeyOf(std::string_view ns, std::string_view name);
// The namespace and name of a key.
std::pair<std::string, std::string> SplitKey(std::string_view key);

// metadata.<field> as text ("" when absent).
std::string_view Meta(const Json& object, std::string_view field);
// The member at a path of object keys, or null.
const Json* At(const Json& value, std::initializer_list<std::string_view> path);
// An integer member (a JSON number) at a path, or `fallback`.
int64_t IntAt(const Json& value, std::initializer_list<std::string_view> path, int64_t fallback);
// The object member `key` of `object`, created (or replaced when not an object) as needed.
JsonObject& EnsureObject(JsonObject& object, std::string_view key);

// The ownerReference that names `owner` (of `api_version`/`kind`) as the controller, with
// controller and blockOwnerDeletion true, as Kubernetes' controllers set it.
Json ControllerReference(const Json& owner, std::string_view api_version, std::string_view kind);
// The ownerReference with controller=true, or null.
const Json* ControllerOf(const Json& object);
// True when `object`'s controller is the object of `kind` with `uid`.
bool ControlledBy(const Json& object, std::string_view kind, std::string_view uid);

// Sets the condition `type` in `conditions` (an array, created when absent): lastTransitionTime
// changes only when the status does; lastUpdateTime (when `with_update_time`) on every change
// of status, reason or message. Returns true when something changed.
bool SetCondition(Json& conditions, std::string_view type, std::string_view status,
                  std::string_view reason, std::string_view message, const std::string& now,
                  bool with_update_time = false);
// The condition `type` of an object's status.conditions, or null.
const Json* FindCondition(const Json& object, std::string_view type);

// A pod's phase is Succeeded or Failed.
bool IsTerminal(const Json& pod);
// A pod is counted by its controller: not terminal and not being deleted.
bool IsActive(const Json& pod);
// The pod's Ready condition is True.
bool IsReady(const Json& pod);

// The value of a resource.Quantity in thousandths ("100m" is 100, "1" is 1000, "1Ki" is
// 1024000), rounded up as Quantity.MilliValue() does; nullopt when the text is not a quantity
// or does not fit. Written here because no Debian library reads Kubernetes quantities.
std::optional<int64_t> MilliValue(std::string_view quantity);
// A quantity member that may be a JSON string or number.
std::optional<int64_t> MilliValueOf(const Json& quantity);

// A stable short hash of a pod template (FNV-1a over its canonical JSON text), written with the
// alphabet Kubernetes uses for generated names, so it is a valid label value and name suffix.
std::string TemplateHash(const Json& pod_template, int64_t collision_count = 0);

// A value of an intstr field ("25%" or 3) resolved against `total`, rounding up or down.
int64_t ScaledValue(const Json* value, int64_t total, bool round_up, int64_t fallback);

}  // namespace kstack::server::workloads
