#pragma once

// kube::Client: the Kubernetes API as a client sees it, independent of how requests travel
// (HTTP to any cluster: http_client.h; in process to the server's registry: server module).
//
// Every call names its objects with a ResourceRef. Objects and lists are JSON as the API
// returns them. A request the server refuses gives the Status of the response body: its
// reason (NotFound, AlreadyExists, Conflict, Invalid, Gone/Expired, ...), message and details,
// so callers act on `status.reason()`. A request that never got an answer gives kUnavailable
// (connection refused, TLS failure) or kTimeout.
//
// Thread safety: implementations are safe for concurrent calls from any number of threads. A
// WatchStream belongs to one reader thread; only Cancel() may be called from another thread.

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/json.h"
#include "core/result.h"
#include "kube/resource_ref.h"

namespace kstack::kube {

struct ListOptions {
  std::string label_selector;
  std::string field_selector;
  int64_t limit = 0;                   // 0: no limit
  std::string continue_token;          // from metadata.continue of the previous page
  std::string resource_version;        // "" most recent; "0" any; a number per match
  std::string resource_version_match;  // "", "NotOlderThan" or "Exact"
};

struct WriteOptions {
  bool dry_run = false;          // dryRun=All: validated, not stored
  std::string field_manager;     // fieldManager
  std::string field_validation;  // "", "Ignore", "Warn" or "Strict"
};

enum class PatchType {
  kMerge,      // application/merge-patch+json (RFC 7386)
  kJson,       // application/json-patch+json (RFC 6902)
  kStrategic,  // application/strategic-merge-patch+json
  kApply,      // application/apply-patch+yaml: server-side apply; needs a field manager
};

struct PatchOptions {
  bool dry_run = false;
  std::string field_manager;  // required for kApply
  bool force = false;         // kApply only: take over conflicting fields
  std::string field_validation;
  std::string subresource;  // "" or "status", "scale"
};

struct DeleteOptions {
  bool dry_run = false;
  std::string propagation_policy;  // "", "Orphan", "Background" or "Foreground"
  std::optional<int64_t> grace_period_seconds;
  // Preconditions: the delete fails with Conflict unless the object still has them.
  std::string precondition_uid;
  std::string precondition_resource_version;
};

struct WatchOptions {
  std::string label_selector;
  std::string field_selector;
  // Events after this version; "" or "0" start with the current objects as ADDED events.
  std::string resource_version;
  bool allow_bookmarks = true;
  // Starts with the current objects as ADDED events, then a BOOKMARK that ends them
  // (sendInitialEvents=true, resourceVersionMatch=NotOlderThan: a list streamed as a watch).
  bool send_initial_events = false;
  int64_t timeout_seconds = 0;  // 0: the server's default
};

struct WatchEvent {
  enum class Type { kAdded, kModified, kDeleted, kBookmark };
  Type type = Type::kAdded;
  Json object;
  // metadata.resourceVersion of the object (of the bookmark for kBookmark).
  std::string resource_version;
  // A bookmark that ends the initial events of send_initial_events (annotation
  // k8s.io/initial-events-end: "true").
  bool initial_events_end = false;
};

// "ADDED", "MODIFIED", "DELETED", "BOOKMARK".
std::string_view WatchEventTypeName(WatchEvent::Type type);

class WatchStream {
 public:
  virtual ~WatchStream() = default;

  // The next event, waiting up to `timeout`; nullopt when none arrived in that time.
  // Errors end the stream (every later call returns the same error):
  //   the Status of an ERROR event (kExpired or kGone for a too old resourceVersion: the caller
  //   lists again and watches from the list's version);
  //   kTimeout "watch closed" when the server ended the stream (its timeout): watch again from
  //   the last version seen;
  //   kUnavailable when the connection broke or the stream was cancelled.
  virtual Result<std::optional<WatchEvent>> Next(std::chrono::milliseconds timeout) = 0;

  // Ends the stream from any thread; Next() then returns kUnavailable "watch cancelled" at
  // once. Idempotent.
  virtual void Cancel() = 0;
};

class Client {
 public:
  virtual ~Client() = default;

  // GET of one object. REQUIRES: ref.name set.
  virtual Result<Json> Get(const ResourceRef& ref) = 0;
  // A list (kind ...List) with metadata.resourceVersion and metadata.continue.
  virtual Result<Json> List(const ResourceRef& ref, const ListOptions& options = {}) = 0;
  // POST of `object` into ref's collection (ref.name is ignored); the created object.
  virtual Result<Json> Create(const ResourceRef& ref, const Json& object,
                              const WriteOptions& options = {}) = 0;
  // PUT of `object`; its metadata.resourceVersion, when set, must be current (else Conflict).
  // ref.name defaults to the object's metadata.name.
  virtual Result<Json> Update(const ResourceRef& ref, const Json& object,
                              const WriteOptions& options = {}) = 0;
  // PUT to the status subresource.
  virtual Result<Json> UpdateStatus(const ResourceRef& ref, const Json& object,
                                    const WriteOptions& options = {}) = 0;
  // PATCH with `patch` (a JSON value; for kApply the object to apply).
  virtual Result<Json> Patch(const ResourceRef& ref, PatchType type, const Json& patch,
                             const PatchOptions& options = {}) = 0;
  // DELETE; the deleted object (or, for a delete that waits on finalizers, the object as it
  // now is, or a Success Status).
  virtual Result<Json> Delete(const ResourceRef& ref, const DeleteOptions& options = {}) = 0;
  // A watch of ref's collection (ref.name set: of that one object). Runs on its own
  // connection; see WatchStream.
  virtual Result<std::unique_ptr<WatchStream>> Watch(const ResourceRef& ref,
                                                     const WatchOptions& options = {}) = 0;

  // GET of an API path ("/api", "/apis/apps/v1", "/version") with an Accept header; the
  // parsed body. For discovery and diagnostics.
  virtual Result<Json> GetPath(const std::string& path,
                               const std::string& accept = "application/json") = 0;
};

}  // namespace kstack::kube
