#pragma once

// The body of a watch request (`?watch=true`): one JSON line per event, as the Kubernetes API
// server writes them: {"type":"ADDED|MODIFIED|DELETED|ERROR","object":{...}}. Fed by a store
// watcher whose readiness wakes the connection's event loop, so a thousand watches cost no
// thread at all.

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
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

  struct Options {
    // Lines written first: the synthetic ADDED events of a watch without a resourceVersion.
    std::string initial;
    // The revision the watch starts after (the list's, or the client's resourceVersion).
    int64_t start_revision = 0;
    // When the watch ends by itself (timeoutSeconds).
    std::chrono::steady_clock::time_point end;
    // allowWatchBookmarks: BOOKMARK events carrying the latest revision, about once a minute
    // and shortly before the end.
    bool bookmarks = false;
    // sendInitialEvents with bookmarks: a BOOKMARK annotated k8s.io/initial-events-end once the
    // initial events are out.
    bool initial_events_end = false;
    // When set, objects are sent as one-row Tables.
    TableFn to_table;
    // Owns what `type` points into.
    std::shared_ptr<const void> keep_alive;
  };

  // REQUIRES: `watcher` was created with an on_ready that fires `box`.
  WatchStream(const machinery::ResourceType& type, std::unique_ptr<store::Watcher> watcher,
              std::shared_ptr<WakeBox> box, machinery::LabelSelector labels,
              machinery::FieldSelector fields, Options options);

  void Start(std::function<void()> wake) override;
  bool Poll(std::string* out) override;
  // The end, or the next bookmark when that comes first.
  std::chrono::steady_clock::time_point deadline() const override;

  // One watch event line for `object`; with `to_table`, the object is sent as a one-row Table.
  static std::string Line(std::string_view type, const Json& object, const TableFn& to_table);

 private:
  bool Matches(const Json& object) const;
  std::string Bookmark(bool initial_events_end) const;
  // The object of a store event with its resourceVersion set to `revision`.
  std::optional<Json> Decode(const store::KeyValue& kv, int64_t revision) const;

  std::shared_ptr<const void> keep_alive_;  // declared first: destroyed last
  const machinery::ResourceType& type_;
  std::unique_ptr<store::Watcher> watcher_;
  std::shared_ptr<WakeBox> box_;
  machinery::LabelSelector labels_;
  machinery::FieldSelector fields_;
  Options options_;
  int64_t revision_;  // the latest revision sent
  std::chrono::steady_clock::time_point next_bookmark_;
  bool ended_ = false;
};

}  // namespace kstack::server::internal
