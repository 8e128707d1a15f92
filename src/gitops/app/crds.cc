#include "gitops/app/crds.h"

#include "core/yaml.h"

namespace kstack::gitops::app {
namespace {

// Every field beyond those Argo CD requires is kept as written: Argo CD's own schema lists them
// all, and a structural schema that preserves unknown fields accepts exactly the same objects
// for the fields that are not validated here.
constexpr std::string_view kApplicationCrd = R"(
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: applications.argoproj.io
  labels:
    app.kubernetes.io/name: applications.argoproj.io
    app.kubernetes.io/part-of: argocd
spec:
  group: argoproj.io
  names:
    kind: Application
    listKind: ApplicationList
    plural: applications
    singular: application
    shortNames: [app, apps]
  scope: Namespaced
  versions:
  - name: v1alpha1
    served: true
    storage: true
    additionalPrinterColumns:
    - {name: Sync Status, type: string, jsonPath: .status.sync.status}
    - {name: Health Status, type: string, jsonPath: .status.health.status}
    - {name: Revision, type: string, jsonPath: .status.sync.revision, priority: 10}
    - {name: Project, type: string, jsonPath: .spec.project, priority: 10}
    schema:
      openAPIV3Schema:
        description: Application is a definition of Application resource.
        type: object
        required: [metadata, spec]
        properties:
          apiVersion: {type: string}
          kind: {type: string}
          metadata: {type: object}
          spec:
            type: object
            required: [destination, project]
            x-kubernetes-preserve-unknown-fields: true
            properties:
              project: {type: string}
              destination:
                type: object
                x-kubernetes-preserve-unknown-fields: true
                properties:
                  server: {type: string}
                  name: {type: string}
                  namespace: {type: string}
          operation:
            type: object
            x-kubernetes-preserve-unknown-fields: true
          status:
            type: object
            x-kubernetes-preserve-unknown-fields: true
)";

constexpr std::string_view kAppProjectCrd = R"(
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: appprojects.argoproj.io
  labels:
    app.kubernetes.io/name: appprojects.argoproj.io
    app.kubernetes.io/part-of: argocd
spec:
  group: argoproj.io
  names:
    kind: AppProject
    listKind: AppProjectList
    plural: appprojects
    singular: appproject
    shortNames: [appproj, appprojs]
  scope: Namespaced
  versions:
  - name: v1alpha1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        description: AppProject provides a logical grouping of applications.
        type: object
        required: [metadata]
        properties:
          apiVersion: {type: string}
          kind: {type: string}
          metadata: {type: object}
          spec:
            type: object
            x-kubernetes-preserve-unknown-fields: true
          status:
            type: object
            x-kubernetes-preserve-unknown-fields: true
)";

}  // namespace

std::vector<Json> ArgoCdCrds() {
  // The texts are constants of this file: a parse error is a bug here, caught by its tests.
  return {ParseYaml(kApplicationCrd, "applications.argoproj.io").value(),
          ParseYaml(kAppProjectCrd, "appprojects.argoproj.io").value()};
}

Json DefaultAppProject(std::string_view ns) {
  return JsonObject{
      {"apiVersion", "argoproj.io/v1alpha1"},
      {"kind", "AppProject"},
      {"metadata", JsonObject{{"name", "default"}, {"namespace", ns}}},
      {"spec",
       JsonObject{
           {"sourceRepos", JsonArray{"*"}},
           {"destinations", JsonArray{JsonObject{{"server", "*"}, {"namespace", "*"}}}},
           {"clusterResourceWhitelist", JsonArray{JsonObject{{"group", "*"}, {"kind", "*"}}}}}}};
}

}  // namespace kstack::gitops::app
