#pragma once

// CustomResourceDefinitions and the resources they define. As admission step of the object
// registry it:
// - validates CRDs as Kubernetes does (name = <plural>.<group>, names, scope, exactly one
//   storage version, a structural schema per version), defaults them (singular, listKind,
//   conversion None), adds the instance-cleanup finalizer and keeps their status (NamesAccepted
//   and Established conditions, acceptedNames, storedVersions);
// - serves a CRD as soon as it is written: the type catalog is rebuilt from the stored CRDs
//   after every CRD write, so the next request sees the new types;
// - deletes a CRD's custom resources when the CRD is deleted, then lets the CRD go;
// - prunes, defaults and validates custom resources against their version's schema, with
//   fieldValidation deciding what unknown fields do (Strict: 400, Warn: warning, Ignore).

#include "core/clock.h"
#include "machinery/openapi_schema.h"
#include "server/object_registry.h"
#include "server/type_catalog.h"

namespace kstack::server {

inline constexpr std::string_view kCrdCleanupFinalizer =
    "customresourcecleanup.apiextensions.k8s.io";

class CustomResources : public Admission {
 public:
  // REQUIRES: all three outlive this object.
  CustomResources(TypeCatalog* catalog, ObjectRegistry* registry, const Clock* clock);

  // Builds the catalog from the stored CRDs (at start), and finishes the cleanup of CRDs that
  // were being deleted when the server stopped.
  Status Load();

  Status Admit(const ResourceType& type, const Json* old, Json& object,
               const WriteOptions& options) override;
  void Written(const ResourceType& type, const Json& object, bool deleted) override;

 private:
  Status AdmitDefinition(const Json* old, Json& object);
  Status AdmitResource(const ResourceType& type, Json& object, const WriteOptions& options);
  Status Reload();
  void Cleanup(const Json& crd);

  TypeCatalog* catalog_;
  ObjectRegistry* registry_;
  const Clock* clock_;
};

// The problems of a CustomResourceDefinition (after defaulting); empty when it is valid. `old`
// is the stored CRD on updates.
std::vector<machinery::FieldError> ValidateCustomResourceDefinition(const Json& crd,
                                                                    const Json* old);

}  // namespace kstack::server
