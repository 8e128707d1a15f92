#include "server/workloads/controller_revisions.h"

#include <fmt/format.h>

#include "server/workloads/objects.h"

namespace kstack::server::workloads {
namespace {

const ResourceType& RevisionsType() {
  return *machinery::FindBuiltinResource("apps", "v1", "controllerrevisions");
}

}  // namespace

Result<RevisionRef> EnsureRevision(ObjectRegistry* registry, const Json& owner,
                                   std::string_view api_version, std::string_view kind) {
  std::string ns(Meta(owner, "namespace"));
  const Json* tmpl = At(owner, {"spec", "template"});
  Json data = JsonObject{
      {"spec", JsonObject{{"template", tmpl ? *tmpl : Json(JsonObject{})}, {"$patch", "replace"}}}};
  KSTACK_ASSIGN_OR_RETURN(Json list, registry->List(RevisionsType(), ns, {}));
  std::string uid(Meta(owner, "uid"));
  int64_t highest = 0;
  const Json* same = nullptr;
  for (const Json& rev : list.at("items").as_array()) {
    if (!ControlledBy(rev, kind, uid)) continue;
    highest = std::max(highest, IntAt(rev, {"revision"}, 0));
    if (const Json* d = FindMember(rev, "data"); d && *d == data) same = &rev;
  }
  if (same != nullptr) {
    RevisionRef ref{.name = std::string(Meta(*same, "name")),
                    .revision = IntAt(*same, {"revision"}, 0)};
    if (ref.revision < highest) {
      Json renumbered = *same;
      renumbered.as_object()["revision"] = highest + 1;
      KSTACK_ASSIGN_OR_RETURN(Json written,
                              registry->Update(RevisionsType(), ns, ref.name, renumbered));
      (void)written;
      ref.revision = highest + 1;
    }
    return ref;
  }
  // The hash Kubernetes writes is a short one of the template; a stable one of ours serves.
  std::string hash = TemplateHash(data);
  RevisionRef ref{.name = fmt::format("{}-{}", Meta(owner, "name"), hash), .revision = highest + 1};
  JsonObject labels;
  if (const Json* match = At(owner, {"spec", "selector", "matchLabels"});
      match && match->is_object()) {
    labels = match->get_object();
  }
  labels["controller.kubernetes.io/hash"] = hash;
  Json revision = JsonObject{
      {"metadata",
       JsonObject{{"name", ref.name},
                  {"labels", std::move(labels)},
                  {"ownerReferences", JsonArray{ControllerReference(owner, api_version, kind)}}}},
      {"data", std::move(data)},
      {"revision", ref.revision}};
  Result<Json> created = registry->Create(RevisionsType(), ns, std::move(revision));
  if (!created.ok() && created.status().reason() != Reason::kAlreadyExists) {
    return created.status();
  }
  return ref;
}

}  // namespace kstack::server::workloads
