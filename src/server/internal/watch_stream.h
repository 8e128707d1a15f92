#pragma once

// The body of a watch request (`?watch=true`): one JSON line per event, as the Kubernetes API
// server writes them: {"type":"ADDED|MODIFIED|DELETED|ERROR","object":{...}}. Fed by a store
// watcher whose readiness wakes the connection's event loop, so a thousand watches cost no
// thread at all.

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <span>
#include <string>

#include "core/clock.h"
#include "machinery/resource_types.h"
#include "machinery/selector.h"
#include "server/internal/request.h"
#include "store/store.h"

namespace kstack::server::internal {

// Where a watcher's readiness goes before and after the connection starts listening.
class WakeBox {
 public:
  void Fire();
  void Set(std::function<void()> wake);

 private:
  std::mutex mu_;
  std::function<void()> wake_;
  bool pending_ = false;
};

class WatchStream : public ResponseStream {
 public:
  // Turns objects into a meta.k8s.io Table (what `kubectl get -w` asks for).
  using TableFn = std::function<Json(std::span<const Json> objects, const Json& list_metadata)>;

  // `initial` holds lines written first (the synthetic ADDED events of a watch without a
  // resourceVersion). With `to_table`, objects are sent as one-row Tables. `keep_alive` owns
  // what `type` points into. REQUIRES: `watcher` was created with an on_ready that fires `box`.
  WatchStream(const machinery::ResourceType& type, std::unique_ptr<store::Watcher> watcher,
              std::shared_ptr<WakeBox> box, machinery::LabelSelector labels,
              machinery::FieldSelector fields, std::string initial,
              std::chrono::steady_clock::time_point deadline, TableFn to_table,
              std::shared_ptr<const void> keep_alive);

  void Start(std::function<void()> wake) override;
  bool Poll(std::string* out) override;
  std::chrono::steady_clock::time_point deadline() const override { return deadline_; }

  // One watch event line for `object`; with `to_table`, the object is sent as a one-row Table.
  static std::string Line(std::string_view type, const Json& object, const TableFn& to_table);

 private:
  bool Matches(const Json& object) const;

  std::shared_ptr<const void> keep_alive_;  // declared first: destroyed last
  const machinery::ResourceType& type_;
  std::unique_ptr<store::Watcher> watcher_;
  std::shared_ptr<WakeBox> box_;
  machinery::LabelSelector labels_;
  machinery::FieldSelector fields_;
  std::string initial_;
  std::chrono::steady_clock::time_point deadline_;
  TableFn to_table_;  // empty: objects as they are
  bool ended_ = false;
};

}  // namespace kstack::server::internal
