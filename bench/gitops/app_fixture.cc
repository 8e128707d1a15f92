#include "bench/gitops/app_fixture.h"

#include <fmt/core.h>

#include "core/base64.h"
#include "core/yaml.h"

namespace kstack::bench {

std::string DesiredYaml(int i) {
  int kind = i % 10;  // 0-3 Deployment, 4-6 Service, 7-8 ConfigMap, 9 Secret
  if (kind < 4) {
    return fmt::format(R"(apiVersion: apps/v1
kind: Deployment
metadata:
  name: web-{0}
  labels: {{app.kubernetes.io/name: web-{0}, app.kubernetes.io/part-of: shop}}
  annotations: {{argocd.argoproj.io/sync-wave: "{1}"}}
spec:
  replicas: {2}
  selector: {{matchLabels: {{app.kubernetes.io/name: web-{0}}}}}
  template:
    metadata:
      labels: {{app.kubernetes.io/name: web-{0}}}
    spec:
      serviceAccountName: web
      containers:
      - name: web
        image: registry.example.com/shop/web:1.{0}.3
        args: ["--port=8080", "--log-level=info"]
        ports:
        - {{name: http, containerPort: 8080}}
        env:
        - {{name: WORKERS, value: "4"}}
        - name: DATABASE_URL
          valueFrom: {{secretKeyRef: {{name: db-{0}, key: url}}}}
        resources:
          requests: {{cpu: 100m, memory: 128Mi}}
          limits: {{cpu: 1000m, memory: 0.5Gi}}
        readinessProbe:
          httpGet: {{path: /healthz, port: http}}
          periodSeconds: 10
        volumeMounts:
        - {{name: config, mountPath: /etc/web, readOnly: true}}
      volumes:
      - name: config
        configMap: {{name: web-{0}}}
)",
                       i, i % 5, 1 + i % 4);
  }
  if (kind < 7) {
    return fmt::format(R"(apiVersion: v1
kind: Service
metadata:
  name: web-{0}
spec:
  selector: {{app.kubernetes.io/name: web-{0}}}
  ports:
  - {{name: http, port: 80, targetPort: "8080"}}
)",
                       i);
  }
  if (kind < 9) {
    return fmt::format(R"(apiVersion: v1
kind: ConfigMap
metadata:
  name: web-{0}
data:
  enabled: "true"
  config.yaml: |
    server:
      port: 8080
      timeout: 30s
    cache: {{size: 256, ttl: 5m}}
)",
                       i);
  }
  return fmt::format(R"(apiVersion: v1
kind: Secret
metadata:
  name: db-{0}
type: Opaque
stringData:
  url: postgres://shop:secret-{0}@db:5432/shop
)",
                     i);
}

Json DesiredObject(int i) { return ParseYaml(DesiredYaml(i)).value(); }

namespace {

Json Yaml(const std::string& text) { return ParseYaml(text).value(); }

void Merge(Json& into, const Json& from) {
  if (!into.is_object() || !from.is_object()) {
    into = from;
    return;
  }
  for (const auto& m : from.get_object()) Merge(into.get_object()[m.key()], m.value());
}

}  // namespace

// What the API server returns for `desired` once applied with kubectl and reconciled.
Json LiveObject(const Json& desired, const std::string& app) {
  Json live = desired;
  std::string kind(FindString(desired, "kind"));
  Json last = desired;
  Merge(last, Yaml(fmt::format("metadata: {{annotations: {{}}, namespace: shop, labels: "
                               "{{app.kubernetes.io/instance: {}}}}}",
                               app)));
  Merge(live, Yaml(fmt::format(R"(metadata:
  namespace: shop
  uid: 0c7f0a44-5a3d-4c8e-9f1b-2f9e1d3c4b5a
  resourceVersion: "183734"
  creationTimestamp: "2024-05-01T10:00:00Z"
  labels: {{app.kubernetes.io/instance: {}}}
  managedFields:
  - apiVersion: v1
    fieldsType: FieldsV1
    fieldsV1:
      f:metadata:
        f:annotations: {{".": {{}}, "f:kubectl.kubernetes.io/last-applied-configuration": {{}}}}
    manager: kubectl-client-side-apply
    operation: Update
    time: "2024-05-01T10:00:00Z"
)",
                               app)));
  live.at("metadata")
      .as_object()["annotations"]
      .emplace_object()["kubectl.kubernetes.io/last-applied-configuration"] =
      WriteJson(last) + "\n";
  if (const Json* a = FindMember(desired.at("metadata"), "annotations")) {
    for (const auto& m : a->as_object()) {
      live.at("metadata").at("annotations").as_object()[m.key()] = m.value();
    }
  }
  if (kind == "Deployment") {
    live.at("metadata").as_object()["generation"] = 3;
    Merge(live, Yaml(R"(spec:
  progressDeadlineSeconds: 600
  revisionHistoryLimit: 10
  strategy: {type: RollingUpdate, rollingUpdate: {maxSurge: 25%, maxUnavailable: 25%}}
  template:
    metadata: {creationTimestamp: null}
    spec: {dnsPolicy: ClusterFirst, restartPolicy: Always, schedulerName: default-scheduler,
           securityContext: {}, terminationGracePeriodSeconds: 30, serviceAccount: web}
status: {observedGeneration: 3, replicas: 2, readyReplicas: 2, availableReplicas: 2,
         updatedReplicas: 2, conditions: [{type: Available, status: "True",
         reason: MinimumReplicasAvailable, lastTransitionTime: "2024-05-01T10:00:05Z"}]}
)"));
    Json& c = live.at("spec").at("template").at("spec").at("containers").as_array()[0];
    Merge(c, Yaml(R"({imagePullPolicy: IfNotPresent, terminationMessagePath: /dev/termination-log,
        terminationMessagePolicy: File, resources: {limits: {cpu: "1", memory: 512Mi}},
        readinessProbe: {failureThreshold: 3, successThreshold: 1, timeoutSeconds: 1,
                         httpGet: {scheme: HTTP}}})"));
    c.as_object()["ports"].as_array()[0].as_object()["protocol"] = "TCP";
    live.at("spec")
        .at("template")
        .at("spec")
        .at("volumes")
        .as_array()[0]
        .at("configMap")
        .as_object()["defaultMode"] = 420;
  } else if (kind == "Service") {
    Merge(live, Yaml(R"(spec: {clusterIP: 10.43.12.7, clusterIPs: [10.43.12.7], type: ClusterIP,
        sessionAffinity: None, ipFamilies: [IPv4], ipFamilyPolicy: SingleStack,
        internalTrafficPolicy: Cluster}
status: {loadBalancer: {}})"));
    Json& port = live.at("spec").at("ports").as_array()[0];
    port.as_object()["protocol"] = "TCP";
    port.as_object()["targetPort"] = 8080;
  } else if (kind == "Secret") {
    // The API server keeps stringData as base64 data.
    std::string url(FindString(desired.at("stringData"), "url"));
    live.as_object().erase("stringData");
    live.as_object()["data"] = JsonObject{{"url", EncodeBase64(url)}};
  }
  return live;
}

}  // namespace kstack::bench
