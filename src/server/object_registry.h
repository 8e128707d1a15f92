#pragma once

// Kubernetes object semantics over the store: what the API server does between decoding a
// request body and writing bytes, for every built-in type. Server-set metadata (uid,
// resourceVersion, creationTimestamp, generation, generateName), name validation, namespace
// existence, optimistic concurrency, status kept apart from the main resource, selectors and
// chunked lists. Objects are stored as JSON text without resourceVersion, which is the store's
// modification revision and is added on the way out.
//
// Errors are Kubernetes' own, with the messages kubectl shows: NotFound `configmaps "x" not
// found`, AlreadyExists, Conflict "the object has been modified; please apply your changes to the
// latest version and try again", Invalid naming the field, BadRequest for a body that does not
// fit the request, and the store's Expired for a compacted continue token.
//
// Thread safety: all methods may be called concurrently; consistency comes from the store's
// guarded writes.

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/json.h"
#include "core/result.h"
#include "machinery/resource_types.h"
#include "machinery/schema.h"
#include "store/store.h"

namespace kstack::server {

using machinery::ResourceType;

struct ListQuery {
  std::string label_selector{};
  std::string field_selector{};
  int64_t limit = 0;  // 0: everything
  std::string continue_token{};
  // resourceVersionMatch=Exact: the objects as they were at this revision; 0 is the latest.
  // Errors: kExpired when the revision was compacted away.
  int64_t revision = 0;
};

// JSON merge patch (RFC 7386), JSON patch (RFC 6902), strategic merge patch (built-in types).
enum class PatchType { kMerge, kJson, kStrategic };

struct WriteOptions {
  bool dry_run = false;  // validate and return the result, store nothing
  // fieldValidation: "Strict" refuses fields the type's schema does not declare, "Warn" (the
  // default) drops them with a warning, "Ignore" drops them silently.
  std::string field_validation{};
  // Where warnings for the client go (the Warning header); may be null.
  std::vector<std::string>* warnings = nullptr;
  // The manager recorded in metadata.managedFields for what the write changes (operation
  // Update); "" records nothing (the server's own controllers).
  std::string field_manager{};
  // The schema of a custom resource (its list types); built-in types find their own.
  const machinery::Schema* schema = nullptr;
};

// The admission step between a request and the store: defaulting, pruning and validation that
// depend on more than the built-in table (custom resources and their definitions), and what
// follows a write (serving a new CRD). Implementations must be thread-safe.
class Admission {
 public:
  virtual ~Admission() = default;
  // Called with the object about to be written (after the registry's own metadata handling);
  // `old` is the stored object on updates, null on create. May change `object` or refuse it.
  virtual Status Admit(const ResourceType& type, const Json* old, Json& object,
                       const WriteOptions& options) = 0;
  // Called after `object` was written, or removed when `deleted`.
  virtual void Written(const ResourceType& type, const Json& object, bool deleted) = 0;
};

// Several admission steps in order: the first refusal wins; every step hears of every write.
class AdmissionChain : public Admission {
 public:
  // REQUIRES: the steps outlive the chain.
  void Add(Admission* step) { steps_.push_back(step); }
  Status Admit(const ResourceType& type, const Json* old, Json& object,
               const WriteOptions& options) override {
    for (Admission* step : steps_) {
      KSTACK_RETURN_IF_ERROR(step->Admit(type, old, object, options));
    }
    return Status::Ok();
  }
  void Written(const ResourceType& type, const Json& object, bool deleted) override {
    for (Admission* step : steps_) step->Written(type, object, deleted);
  }

 private:
  std::vector<Admission*> steps_;
};

// DeleteOptions.propagationPolicy: what happens to the dependents of a deleted object (objects
// whose metadata.ownerReferences name its uid). kDefault keeps the object's own GC finalizers.
enum class Propagation { kDefault, kBackground, kForeground, kOrphan };

// The finalizers the garbage collector acts on.
inline constexpr std::string_view kOrphanFinalizer = "orphan";
inline constexpr std::string_view kForegroundFinalizer = "foregroundDeletion";

struct DeleteOptions {
  bool dry_run = false;
  // Foreground adds the `foregroundDeletion` finalizer, Orphan the `orphan` one (each removing
  // the other), Background removes both; the object is then held while finalizers remain.
  Propagation propagation = Propagation::kDefault;
  std::string uid_precondition{};               // preconditions.uid
  std::string resource_version_precondition{};  // preconditions.resourceVersion
  // gracePeriodSeconds; -1 when not given (a pod's spec.terminationGracePeriodSeconds).
  int64_t grace_period_seconds = -1;
};

// DeleteOptions.propagationPolicy ("" when absent) and the legacy orphanDependents ("true",
// "false", "" when absent) as Kubernetes validates them. Errors: kInvalid naming
// propagationPolicy for an unknown value or when both are set.
Result<Propagation> ParsePropagation(std::string_view policy, std::string_view orphan_dependents);

class ObjectRegistry {
 public:
  // REQUIRES: `store` and `clock` outlive the registry.
  ObjectRegistry(store::Store* store, const Clock* clock);

  // Installs the admission step (null: none). REQUIRES: called before the first request;
  // `admission` outlives the registry.
  void SetAdmission(Admission* admission) { admission_ = admission; }

  // POST: creates `object` in namespace `ns` ("" for cluster-scoped types).
  Result<Json> Create(const ResourceType& type, std::string_view ns, Json object,
                      const WriteOptions& options = {});
  // GET of one object.
  Result<Json> Get(const ResourceType& type, std::string_view ns, std::string_view name);
  // GET of a collection: a `<Kind>List` with metadata.resourceVersion and, when more remain,
  // metadata.continue. `ns` "" lists every namespace. May return fewer than `limit` items
  // while more remain (the selectors filter each page), as Kubernetes allows.
  Result<Json> List(const ResourceType& type, std::string_view ns, const ListQuery& query);
  // PUT: replaces the object; its status is kept when the type has a status subresource.
  Result<Json> Update(const ResourceType& type, std::string_view ns, std::string_view name,
                      Json object, const WriteOptions& options = {});
  // PUT of the status subresource: replaces only the status.
  Result<Json> UpdateStatus(const ResourceType& type, std::string_view ns, std::string_view name,
                            Json object, const WriteOptions& options = {});
  // PATCH with a JSON merge patch, a JSON patch or a strategic merge patch, applied to the
  // current object and written as an update; a concurrent write in between makes it retry on
  // the newer object. With `status` it patches the status subresource. Errors: kInvalid when
  // the patch fails; kUnsupportedMediaType for a strategic merge patch of a custom resource.
  Result<Json> Patch(const ResourceType& type, std::string_view ns, std::string_view name,
                     PatchType patch_type, const Json& patch, bool status,
                     const WriteOptions& options = {});
  // PATCH with application/apply-patch+yaml (server-side apply, machinery/field_manager.h) of
  // `applied` by `options.field_manager` (REQUIRES: not empty); creates the object when it does
  // not exist (`*created` tells); with `status` it applies the status subresource (only the
  // configuration's status counts) of an existing object. `force` takes conflicting fields from
  // their managers. A concurrent write in between makes it retry.
  // Errors: kConflict naming each conflicting field and its manager; kBadRequest when the
  // configuration's kind, name or namespace is not the request's or it carries managedFields;
  // kInvalid for a list item without its keys; kNotFound for the status of a missing object.
  Result<Json> Apply(const ResourceType& type, std::string_view ns, std::string_view name,
                     const Json& applied, bool force, bool status, const WriteOptions& options,
                     bool* created);
  // GET of the scale subresource: an autoscaling/v1 Scale (spec.replicas, status.replicas and
  // the selector as text). Errors: kNotFound also when the type has no scale subresource.
  Result<Json> GetScale(const ResourceType& type, std::string_view ns, std::string_view name);
  // PUT of the scale subresource: sets spec.replicas from `scale` (its resourceVersion, when
  // set, is a precondition). Returns the new Scale.
  Result<Json> UpdateScale(const ResourceType& type, std::string_view ns, std::string_view name,
                           const Json& scale, const WriteOptions& options = {});
  // PATCH of the scale subresource.
  Result<Json> PatchScale(const ResourceType& type, std::string_view ns, std::string_view name,
                          PatchType patch_type, const Json& patch,
                          const WriteOptions& options = {});
  // DELETE: removes the object, or with finalizers marks it (deletionTimestamp) and keeps it
  // until they are gone. A pod bound to a node and not finished is deleted gracefully, as
  // Kubernetes does: marked with deletionTimestamp (now + the grace period) and
  // deletionGracePeriodSeconds, and removed when its kubelet (or a client with
  // gracePeriodSeconds 0) deletes it again with a grace period of 0. Returns the object as it
  // was last. Without preconditions, a write that lands between reading the object and
  // deleting it does not fail the delete: it is tried again on the new version, as the API
  // server does.
  Result<Json> Delete(const ResourceType& type, std::string_view ns, std::string_view name,
                      const DeleteOptions& options = {});

  // A watch of the objects of `type` in `ns` ("" = all namespaces), delivering the store's
  // events after `after_revision`; `on_ready` as in store::WatchOptions.
  Result<std::unique_ptr<store::Watcher>> Watch(const ResourceType& type, std::string_view ns,
                                                int64_t after_revision,
                                                std::function<void()> on_ready);

  // A stored value as clients see it: resourceVersion `revision`, and the apiVersion of
  // `type` (custom resources are read through any served version, conversion None).
  static Result<Json> DecodeStored(const ResourceType& type, const store::KeyValue& kv,
                                   int64_t revision);

  // The store key of an object, and the prefix of a collection (ns "" = all namespaces).
  static std::string Key(const ResourceType& type, std::string_view ns, std::string_view name);
  static std::string Prefix(const ResourceType& type, std::string_view ns);

 private:
  Result<Json> DeleteOnce(const ResourceType& type, std::string_view ns, std::string_view name,
                          const DeleteOptions& options);
  Result<Json> Decode(const ResourceType& type, const store::KeyValue& kv) const {
    return DecodeStored(type, kv, kv.mod_revision);
  }
  // The namespace of a new object exists and is not being deleted.
  Status CheckNamespace(const ResourceType& type, std::string_view ns, std::string_view name);
  Result<Json> Write(const ResourceType& type, std::string_view ns, std::string_view name,
                     const Json& old, int64_t old_revision, Json object, const WriteOptions& o,
                     std::string_view subresource = "");
  // PUT with the subresource recorded in managedFields ("" for the main resource).
  Result<Json> UpdateObject(const ResourceType& type, std::string_view ns, std::string_view name,
                            Json object, const WriteOptions& options, std::string_view subresource);
  // PUT of the status; with `keep_managed_fields` the body's managedFields are stored as they
  // are (a server-side apply computed them).
  Result<Json> UpdateStatusObject(const ResourceType& type, std::string_view ns,
                                  std::string_view name, Json object, const WriteOptions& options,
                                  bool keep_managed_fields);
  // Records the Update of `object` over `old` (null: a create) by o.field_manager.
  void RecordManagedFields(const ResourceType& type, const Json& old, Json& object,
                           const WriteOptions& o, std::string_view subresource) const;

  store::Store* store_;
  const Clock* clock_;
  Admission* admission_ = nullptr;
};

}  // namespace kstack::server
