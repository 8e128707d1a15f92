// What the golden table cannot show: the objects a plan carries, the parts (waves, hooks,
// kind order, sort key) one by one, and refusals of input that YAML files cannot spell.

#include "gitops/sync/plan.h"

#include <gtest/gtest.h>

#include "core/yaml.h"
#include "gitops/sync/deletion.h"
#include "gitops/sync/hooks.h"
#include "gitops/sync/kind_order.h"
#include "gitops/sync/waves.h"

namespace kstack::gitops::sync {
namespace {

std::vector<Json> Objects(std::string_view yaml) {
  Result<std::vector<Json>> docs = ParseYamlStream(yaml);
  EXPECT_TRUE(docs.ok()) << docs.status().message();
  return docs.ok() ? *docs : std::vector<Json>{};
}

Json Object(std::string_view yaml) { return Objects(yaml).at(0); }

TEST(ParseWave, ReadsWhatStrconvAtoiReads) {
  EXPECT_EQ(*ParseWave("0"), 0);
  EXPECT_EQ(*ParseWave("-3"), -3);
  EXPECT_EQ(*ParseWave("+7"), 7);
  EXPECT_EQ(*ParseWave("007"), 7);
  EXPECT_EQ(*ParseWave("9223372036854775807"), INT64_MAX);
  EXPECT_EQ(*ParseWave("-9223372036854775808"), INT64_MIN);
  for (std::string_view bad : {"", "-", "1.5", " 1", "1 ", "1e3", "one", "0x10",
                               "9223372036854775808", "-9223372036854775809"}) {
    Result<int64_t> got = ParseWave(bad);
    EXPECT_FALSE(got.ok()) << bad;
    if (!got.ok()) {
      EXPECT_EQ(got.status().reason(), Reason::kInvalid);
    }
  }
}

TEST(WaveOf, PrefersTheSyncWaveThenTheHelmWeight) {
  EXPECT_EQ(*WaveOf(Object("metadata: {name: a}")), 0);
  EXPECT_EQ(*WaveOf(Object("metadata: {annotations: {helm.sh/hook-weight: '-2'}}")), -2);
  EXPECT_EQ(*WaveOf(Object(R"(metadata: {annotations: {helm.sh/hook-weight: '-2',
                                 argocd.argoproj.io/sync-wave: '5'}})")),
            5);
  Result<int64_t> bad =
      WaveOf(Object("metadata: {annotations: {argocd.argoproj.io/sync-wave: x}}"));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(), "argocd.argoproj.io/sync-wave: \"x\" is not an integer");
  // A live object's bad wave falls back as Argo CD falls back.
  EXPECT_EQ(LiveWaveOf(Object(R"(metadata: {annotations: {argocd.argoproj.io/sync-wave: x,
                                   helm.sh/hook-weight: '4'}})")),
            4);
}

TEST(KindOrder, FollowsTheInstallOrderWithUnknownKindsLast) {
  std::vector<std::string_view> in_order = {"Namespace",
                                            "NetworkPolicy",
                                            "ResourceQuota",
                                            "LimitRange",
                                            "PodSecurityPolicy",
                                            "PodDisruptionBudget",
                                            "ServiceAccount",
                                            "Secret",
                                            "SecretList",
                                            "ConfigMap",
                                            "StorageClass",
                                            "PersistentVolume",
                                            "PersistentVolumeClaim",
                                            "CustomResourceDefinition",
                                            "ClusterRole",
                                            "ClusterRoleList",
                                            "ClusterRoleBinding",
                                            "ClusterRoleBindingList",
                                            "Role",
                                            "RoleList",
                                            "RoleBinding",
                                            "RoleBindingList",
                                            "Service",
                                            "DaemonSet",
                                            "Pod",
                                            "ReplicationController",
                                            "ReplicaSet",
                                            "Deployment",
                                            "HorizontalPodAutoscaler",
                                            "StatefulSet",
                                            "Job",
                                            "CronJob",
                                            "IngressClass",
                                            "Ingress",
                                            "APIService"};
  for (size_t i = 0; i + 1 < in_order.size(); ++i) {
    EXPECT_LT(KindOrder(in_order[i]), KindOrder(in_order[i + 1])) << in_order[i];
  }
  EXPECT_LT(KindOrder("APIService"), 0);
  EXPECT_EQ(KindOrder("Rollout"), 0);
  EXPECT_EQ(KindOrder("Application"), 0);
  EXPECT_EQ(KindOrder("namespace"), 0);  // kinds are case-sensitive
}

TEST(ReadHook, ArgoCdAnnotations) {
  Result<HookInfo> none = ReadHook(Object("metadata: {name: a}"));
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->is_hook);
  EXPECT_FALSE(none->skip);

  Result<HookInfo> multi = ReadHook(Object(R"(metadata: {annotations: {
      argocd.argoproj.io/hook: 'PostSync, PreSync,PreSync',
      argocd.argoproj.io/hook-delete-policy: 'HookFailed,HookSucceeded'}})"));
  ASSERT_TRUE(multi.ok()) << multi.status().message();
  EXPECT_TRUE(multi->is_hook);
  EXPECT_EQ(multi->phases, (std::vector<Phase>{Phase::kPreSync, Phase::kPostSync}));
  EXPECT_EQ(multi->delete_policies,
            (std::vector<HookDeletePolicy>{HookDeletePolicy::kHookFailed,
                                           HookDeletePolicy::kHookSucceeded}));

  Result<HookInfo> skip =
      ReadHook(Object("metadata: {annotations: {argocd.argoproj.io/hook: Skip}}"));
  ASSERT_TRUE(skip.ok());
  EXPECT_TRUE(skip->skip);
  EXPECT_FALSE(skip->is_hook);

  Result<HookInfo> skip_and_sync =
      ReadHook(Object("metadata: {annotations: {argocd.argoproj.io/hook: 'Skip,Sync'}}"));
  ASSERT_TRUE(skip_and_sync.ok());
  EXPECT_TRUE(skip_and_sync->is_hook);
  EXPECT_EQ(skip_and_sync->phases, std::vector<Phase>{Phase::kSync});
  EXPECT_EQ(skip_and_sync->delete_policies,
            std::vector<HookDeletePolicy>{HookDeletePolicy::kBeforeHookCreation});

  Result<HookInfo> post_delete =
      ReadHook(Object("metadata: {annotations: {argocd.argoproj.io/hook: PostDelete}}"));
  ASSERT_TRUE(post_delete.ok());
  EXPECT_TRUE(post_delete->is_hook);
  EXPECT_TRUE(post_delete->phases.empty());
}

TEST(ReadHook, HelmAnnotations) {
  Result<HookInfo> pre = ReadHook(Object(R"(metadata: {annotations: {
      helm.sh/hook: 'pre-install,pre-upgrade,post-upgrade',
      helm.sh/hook-delete-policy: 'hook-succeeded,before-hook-creation'}})"));
  ASSERT_TRUE(pre.ok()) << pre.status().message();
  EXPECT_TRUE(pre->is_hook);
  EXPECT_EQ(pre->phases, (std::vector<Phase>{Phase::kPreSync, Phase::kPostSync}));
  EXPECT_EQ(pre->delete_policies,
            (std::vector<HookDeletePolicy>{HookDeletePolicy::kHookSucceeded,
                                           HookDeletePolicy::kBeforeHookCreation}));

  Result<HookInfo> crd = ReadHook(Object("metadata: {annotations: {helm.sh/hook: crd-install}}"));
  ASSERT_TRUE(crd.ok());
  EXPECT_FALSE(crd->is_hook);

  Result<HookInfo> test = ReadHook(Object("metadata: {annotations: {helm.sh/hook: test}}"));
  ASSERT_TRUE(test.ok());
  EXPECT_TRUE(test->is_hook);
  EXPECT_TRUE(test->phases.empty());

  // Argo CD's annotation names the phases; Helm's delete policy still counts.
  Result<HookInfo> both = ReadHook(Object(R"(metadata: {annotations: {
      argocd.argoproj.io/hook: SyncFail, helm.sh/hook: pre-install,
      helm.sh/hook-delete-policy: hook-failed}})"));
  ASSERT_TRUE(both.ok());
  EXPECT_EQ(both->phases, std::vector<Phase>{Phase::kSyncFail});
  EXPECT_EQ(both->delete_policies, std::vector<HookDeletePolicy>{HookDeletePolicy::kHookFailed});
}

TEST(ReadHook, RefusesUnknownNames) {
  struct Case {
    std::string yaml;
    std::string message;
  };
  for (const Case& c : std::vector<Case>{
           {"metadata: {annotations: {argocd.argoproj.io/hook: PreSnc}}",
            "argocd.argoproj.io/hook: unknown hook type \"PreSnc\""},
           {"metadata: {annotations: {argocd.argoproj.io/hook: ' , '}}",
            "argocd.argoproj.io/hook: names no hook type"},
           {"metadata: {annotations: {helm.sh/hook: pre-instal}}",
            "helm.sh/hook: unknown Helm hook \"pre-instal\""},
           {R"(metadata: {annotations: {argocd.argoproj.io/hook: Sync,
                argocd.argoproj.io/hook-delete-policy: OnSuccess}})",
            "unknown hook delete policy \"OnSuccess\""},
           {R"(metadata: {annotations: {helm.sh/hook: post-install,
                helm.sh/hook-delete-policy: HookSucceeded}})",
            "helm.sh/hook-delete-policy: unknown hook delete policy \"HookSucceeded\""},
       }) {
    Result<HookInfo> got = ReadHook(Object(c.yaml));
    ASSERT_FALSE(got.ok()) << c.yaml;
    EXPECT_EQ(got.status().reason(), Reason::kInvalid);
    EXPECT_NE(got.status().message().find(c.message), std::string::npos) << got.status().message();
  }
}

TEST(ReadLiveRole, IsLenient) {
  EXPECT_EQ(ReadLiveRole(Object("metadata: {name: a}")), LiveRole::kResource);
  EXPECT_EQ(ReadLiveRole(Object("metadata: {annotations: {argocd.argoproj.io/hook: Skip}}")),
            LiveRole::kSkip);
  EXPECT_EQ(ReadLiveRole(Object("metadata: {annotations: {argocd.argoproj.io/hook: Whatever}}")),
            LiveRole::kHook);
  EXPECT_EQ(ReadLiveRole(Object("metadata: {annotations: {helm.sh/hook: crd-install}}")),
            LiveRole::kResource);
  EXPECT_EQ(ReadLiveRole(Object("metadata: {annotations: {helm.sh/hook: post-delete}}")),
            LiveRole::kHook);
}

TEST(SortKey, ComparesPhaseThenWaveThenKindThenName) {
  SortKey pre{.phase = -1, .wave = 9, .kind_order = 0, .name = "z"};
  SortKey sync{.phase = 0, .wave = -9, .kind_order = -30, .name = "a"};
  SortKey later_wave{.phase = 0, .wave = -8, .kind_order = -35, .name = "a"};
  SortKey later_kind{.phase = 0, .wave = -8, .kind_order = 0, .name = "a"};
  SortKey later_name{.phase = 0, .wave = -8, .kind_order = 0, .name = "b"};
  EXPECT_LT(pre, sync);
  EXPECT_LT(sync, later_wave);
  EXPECT_LT(later_wave, later_kind);
  EXPECT_LT(later_kind, later_name);
}

TEST(PlanSync, TheTargetCarriesTheNamespaceAndHooksTheirNameAndFinalizer) {
  std::vector<Json> desired = Objects(R"(
apiVersion: v1
kind: ConfigMap
metadata: {name: settings}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: reader}
---
apiVersion: batch/v1
kind: Job
metadata:
  generateName: migrate-
  finalizers: [example.com/keep]
  annotations: {argocd.argoproj.io/hook: PreSync}
)");
  Result<Plan> plan = PlanSync(
      desired, {},
      PlanOptions{.namespace_ = "shop", .revision = "ABCDEF0123456789", .started_at = 1700000000});
  ASSERT_TRUE(plan.ok()) << plan.status().message();
  ASSERT_EQ(plan->tasks.size(), 3u);
  const Task& hook = plan->tasks[0];
  EXPECT_EQ(hook.resource,
            (ResourceKey{"batch", "Job", "shop", "migrate-abcdef0-presync-1700000000"}));
  EXPECT_EQ(WriteJson(hook.target.at("metadata")),
            R"({"generateName":"migrate-","finalizers":["example.com/keep",)"
            R"("argocd.argoproj.io/hook-finalizer"],"annotations":{"argocd.argoproj.io/hook":)"
            R"("PreSync"},"namespace":"shop","name":"migrate-abcdef0-presync-1700000000"})");
  EXPECT_TRUE(hook.live.is_null());
  const Task& config = plan->tasks[1];
  EXPECT_EQ(config.resource, (ResourceKey{"", "ConfigMap", "shop", "settings"}));
  EXPECT_EQ(FindString(config.target.at("metadata"), "namespace"), "shop");
  const Task& role = plan->tasks[2];
  EXPECT_EQ(role.resource.namespace_, "");
  EXPECT_EQ(FindMember(role.target.at("metadata"), "namespace"), nullptr);
  // The inputs are not changed.
  EXPECT_EQ(FindMember(desired[0].at("metadata"), "namespace"), nullptr);
}

TEST(PlanSync, PairsDesiredAndLiveWhateverTheVersion) {
  std::vector<Json> desired = Objects(R"(
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
)");
  std::vector<Json> live = Objects(R"(
apiVersion: apps/v1beta2
kind: Deployment
metadata: {name: web, namespace: shop, resourceVersion: "7"}
)");
  Result<Plan> plan = PlanSync(desired, live, {});
  ASSERT_TRUE(plan.ok()) << plan.status().message();
  ASSERT_EQ(plan->tasks.size(), 1u);
  EXPECT_EQ(FindString(plan->tasks[0].live.at("metadata"), "resourceVersion"), "7");
  EXPECT_EQ(plan->tasks[0].action, Action::kApply);
}

TEST(PlanSync, CreatesTheDestinationNamespaceWithItsManagedMetadata) {
  Result<Json> metadata = ParseYaml("{labels: {team: shop}, annotations: {owner: ops}}");
  ASSERT_TRUE(metadata.ok());
  Result<Plan> plan = PlanSync({}, {},
                               PlanOptions{.namespace_ = "shop",
                                           .sync_options = {"CreateNamespace=true"},
                                           .managed_namespace_metadata = *metadata});
  ASSERT_TRUE(plan.ok()) << plan.status().message();
  ASSERT_EQ(plan->tasks.size(), 1u);
  EXPECT_EQ(WriteJson(plan->tasks[0].target),
            R"({"apiVersion":"v1","kind":"Namespace","metadata":{"name":"shop",)"
            R"("labels":{"team":"shop"},"annotations":{"owner":"ops"}}})");
  EXPECT_EQ(plan->tasks[0].phase, Phase::kPreSync);
}

TEST(PlanSync, AsksTheCallerForScopesItDoesNotKnow) {
  std::vector<Json> desired = Objects(R"(
apiVersion: example.com/v1
kind: Widget
metadata: {name: w}
)");
  PlanOptions options{.namespace_ = "apps"};
  EXPECT_EQ(PlanSync(desired, {}, options)->tasks.at(0).resource.namespace_, "apps");
  options.is_namespaced = [](std::string_view group, std::string_view kind) {
    return group == "example.com" && kind == "Widget" ? std::optional<bool>(false) : std::nullopt;
  };
  Result<Plan> plan = PlanSync(desired, {}, options);
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(plan->tasks.at(0).resource.namespace_, "");
  EXPECT_EQ(FindMember(plan->tasks.at(0).target.at("metadata"), "namespace"), nullptr);
}

TEST(PlanSync, ErrorsNameTheObject) {
  struct Case {
    std::string desired;
    std::string live;
    std::string message;
  };
  for (const Case& c : std::vector<Case>{
           {"[1, 2]", "", "desired object 0: is a array, not an object"},
           {"{kind: ConfigMap, metadata: {name: a}}", "",
            "desired object 0 (ConfigMap a): apiVersion is missing or not a string"},
           {"{apiVersion: v1, kind: ConfigMap, metadata: {name: 5}}", "",
            "desired object 0 (ConfigMap <no name>): metadata.name is not a string"},
           {"{apiVersion: v1, kind: ConfigMap, metadata: {name: a, annotations: {x: 1}}}", "",
            "desired object 0 (ConfigMap a): metadata.annotations[\"x\"] is a number, not a "
            "string"},
           {"{apiVersion: v1, kind: ConfigMap, metadata: {generateName: a-}}", "",
            "desired object 0 (ConfigMap a-*): metadata.name is missing (only hooks may have "
            "generateName alone)"},
           {"", "{apiVersion: v1, kind: ConfigMap, metadata: {namespace: x}}",
            "live object 0 (ConfigMap x/<no name>): metadata.name is missing"},
           {"",
            "{apiVersion: v1, kind: Pod, metadata: {name: a}}\n---\n"
            "{apiVersion: v1, kind: Pod, metadata: {name: a}}",
            "live object 1 (Pod a): the same object as live object 0 (Pod a)"},
       }) {
    std::vector<Json> desired;
    if (!c.desired.empty()) {
      Result<std::vector<Json>> d = ParseYamlStream(c.desired);
      ASSERT_TRUE(d.ok());
      desired = *d;
    }
    std::vector<Json> live = c.live.empty() ? std::vector<Json>{} : Objects(c.live);
    Result<Plan> plan = PlanSync(desired, live, {});
    ASSERT_FALSE(plan.ok()) << c.message;
    EXPECT_EQ(plan.status().reason(), Reason::kInvalid);
    EXPECT_EQ(plan.status().message(), c.message);
  }
}

TEST(PlanSync, RefusesAnUnknownApplicationOption) {
  Result<Plan> plan = PlanSync({}, {}, PlanOptions{.sync_options = {"PruneFirst=true"}});
  ASSERT_FALSE(plan.ok());
  EXPECT_NE(plan.status().message().find("syncOptions: unknown sync option \"PruneFirst=true\""),
            std::string::npos);
}

TEST(PlanDeletion, KeepsWhatArgoCdKeeps) {
  std::vector<Json> live = Objects(R"(
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: root, namespace: argocd}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: a, namespace: shop}
)");
  Result<std::vector<Task>> tasks = PlanDeletion(
      live, DeletionOptions{.application = {"argoproj.io", "Application", "argocd", "root"}});
  ASSERT_TRUE(tasks.ok()) << tasks.status().message();
  EXPECT_EQ(FormatTasks(*tasks),
            "Sync 0 ConfigMap shop/a delete\n"
            "Sync 0 Application argocd/root keep\n");
}

TEST(FormatTask, WritesOneLine) {
  Task t;
  t.phase = Phase::kPostSync;
  t.wave = -2;
  t.resource = {"batch", "Job", "shop", "smoke"};
  t.action = Action::kDeleteHookBeforeCreate;
  t.hook = true;
  t.hook_delete_policies = {HookDeletePolicy::kBeforeHookCreation,
                            HookDeletePolicy::kHookSucceeded};
  t.options.server_side_apply = true;
  EXPECT_EQ(FormatTask(t),
            "PostSync -2 Job shop/smoke delete-hook-before-create "
            "hook=BeforeHookCreation,HookSucceeded ServerSideApply=true");
  t.resource.namespace_.clear();
  t.hook = false;
  t.options = {};
  t.action = Action::kPrune;
  EXPECT_EQ(FormatTask(t), "PostSync -2 Job smoke prune");
}

}  // namespace
}  // namespace kstack::gitops::sync
