// The workload controllers through the real kubectl: ReplicaSets keep their pods, Deployments
// roll out (rollout status, history, undo, restart, set image, scale, wait for Available).

#include <thread>

#include "tests/e2e/server_fixture.h"

namespace kstack::e2e {
namespace {

class KubectlWorkloadsTest : public ServerE2eTest {
 protected:
  void SetUp() override {
    ServerE2eTest::SetUp();
    server_args_ = {"--nodes", "2", "--simulation-delay", "0"};
    StartServer();
  }
  std::string Ok(std::vector<std::string> args) {
    RunResult r = Kubectl(args);
    EXPECT_EQ(r.exit_code, 0) << "kubectl " << args[0] << ": " << r.err << "\n" << ServerLog();
    return r.out;
  }
  std::string Get(const std::string& what, const std::string& jsonpath) {
    return Ok({"get", what, "-o", "jsonpath=" + jsonpath});
  }
  std::string Eventually(const std::vector<std::string>& args, const std::string& want) {
    std::string got;
    for (int i = 0; i < 200; ++i) {
      got = Kubectl(args).out;
      if (got == want) break;
      std::this_thread::sleep_for(milliseconds(50));
    }
    return got;
  }
  // The number of lines of a `-o name` listing.
  static int Lines(const std::string& text) {
    return static_cast<int>(std::count(text.begin(), text.end(), '\n'));
  }
};

TEST_F(KubectlWorkloadsTest, AReplicaSetKeepsItsPods) {
  WriteFile(root_ / "rs.yaml", R"(apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: web}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: c, image: nginx}]}
)");
  Ok({"create", "-f", (root_ / "rs.yaml").string()});
  EXPECT_EQ(Eventually({"get", "rs", "web", "-o", "jsonpath={.status.readyReplicas}"}, "3"), "3");
  EXPECT_EQ(Get("rs/web",
                "{.status.replicas} {.status.availableReplicas} "
                "{.status.fullyLabeledReplicas} {.status.observedGeneration}"),
            "3 3 3 1");
  std::string pods = Ok({"get", "pods", "-l", "app=web", "-o", "name"});
  EXPECT_EQ(Lines(pods), 3) << pods;
  EXPECT_TRUE(pods.starts_with("pod/web-")) << pods;
  std::string uid = Get("rs/web", "{.metadata.uid}");
  EXPECT_EQ(Ok({"get", "pods", "-l", "app=web", "-o",
                "jsonpath={range .items[*]}{.metadata.ownerReferences[0].kind}/"
                "{.metadata.ownerReferences[0].uid}/{.metadata.ownerReferences[0].controller}/"
                "{.metadata.ownerReferences[0].blockOwnerDeletion} {end}"}),
            "ReplicaSet/" + uid + "/true/true ReplicaSet/" + uid + "/true/true ReplicaSet/" + uid +
                "/true/true ");
  // A deleted pod is replaced.
  std::string first = pods.substr(0, pods.find('\n'));
  Ok({"delete", first, "--wait=false"});
  EXPECT_EQ(Eventually({"get", "pods", "-l", "app=web", "-o", "jsonpath={.items[*].status.phase}"},
                       "Running Running Running"),
            "Running Running Running");
  EXPECT_EQ(Ok({"get", first, "--ignore-not-found", "-o", "name"}), "");
  // Scaled down, the surplus goes.
  Ok({"scale", "rs/web", "--replicas=1"});
  EXPECT_EQ(Eventually({"get", "pods", "-l", "app=web", "-o", "jsonpath={.items[*].status.phase}"},
                       "Running"),
            "Running");
  EXPECT_EQ(Eventually({"get", "rs", "web", "-o", "jsonpath={.status.replicas}"}, "1"), "1");
  EXPECT_EQ(Get("rs/web", "{.status.observedGeneration}"), "2");
}

TEST_F(KubectlWorkloadsTest, ADeploymentRollsOutAndBack) {
  Ok({"create", "deployment", "web", "--image=nginx:1.26", "--replicas=3"});
  Ok({"rollout", "status", "deployment/web", "--timeout=20s"});
  Ok({"wait", "--for=condition=Available", "deployment/web", "--timeout=10s"});
  EXPECT_EQ(Get("deployment/web",
                "{.status.replicas} {.status.updatedReplicas} "
                "{.status.readyReplicas} {.status.availableReplicas} "
                "{.status.observedGeneration}"),
            "3 3 3 3 1");
  EXPECT_EQ(Get("deployment/web", "{.metadata.annotations.deployment\\.kubernetes\\.io/revision}"),
            "1");
  EXPECT_EQ(Eventually({"get", "deployment/web", "-o",
                        "jsonpath={.status.conditions[?(@.type==\"Progressing\")].reason}"},
                       "NewReplicaSetAvailable"),
            "NewReplicaSetAvailable");
  std::string rs = Ok({"get", "rs", "-l", "app=web", "-o", "name"});
  ASSERT_EQ(Lines(rs), 1) << rs;
  std::string rs_name = rs.substr(std::string("replicaset.apps/").size(), rs.size() - 17);
  std::string hash = Get("rs/" + rs_name, "{.metadata.labels.pod-template-hash}");
  EXPECT_EQ(rs_name, "web-" + hash);
  EXPECT_EQ(Get("deployment/web", "{.status.conditions[?(@.type==\"Progressing\")].message}"),
            "ReplicaSet \"" + rs_name + "\" has successfully progressed.");
  EXPECT_EQ(Get("deployment/web", "{.status.conditions[?(@.type==\"Available\")].reason}"),
            "MinimumReplicasAvailable");
  EXPECT_EQ(Get("rs/" + rs_name,
                "{.metadata.ownerReferences[0].kind} "
                "{.metadata.ownerReferences[0].controller} "
                "{.spec.selector.matchLabels.pod-template-hash}"),
            "Deployment true " + hash);

  // A new image: a second ReplicaSet takes over.
  Ok({"set", "image", "deployment/web", "nginx=nginx:1.27"});
  Ok({"rollout", "status", "deployment/web", "--timeout=20s"});
  EXPECT_EQ(Get("deployment/web", "{.metadata.annotations.deployment\\.kubernetes\\.io/revision}"),
            "2");
  EXPECT_EQ(Eventually({"get", "pods", "-l", "app=web", "-o",
                        "jsonpath={.items[*].spec.containers[0].image}"},
                       "nginx:1.27 nginx:1.27 nginx:1.27"),
            "nginx:1.27 nginx:1.27 nginx:1.27");
  EXPECT_EQ(Lines(Ok({"get", "rs", "-l", "app=web", "-o", "name"})), 2);
  EXPECT_EQ(Get("rs/" + rs_name, "{.spec.replicas}"), "0");
  std::string history = Ok({"rollout", "history", "deployment/web"});
  EXPECT_NE(history.find("1         <none>"), std::string::npos) << history;
  EXPECT_NE(history.find("2         <none>"), std::string::npos) << history;

  // Back to the first template: its ReplicaSet returns as revision 3.
  Ok({"rollout", "undo", "deployment/web"});
  Ok({"rollout", "status", "deployment/web", "--timeout=20s"});
  EXPECT_EQ(Get("deployment/web", "{.spec.template.spec.containers[0].image}"), "nginx:1.26");
  EXPECT_EQ(Get("rs/" + rs_name,
                "{.spec.replicas} "
                "{.metadata.annotations.deployment\\.kubernetes\\.io/revision}"),
            "3 3");
  EXPECT_EQ(Get("deployment/web", "{.metadata.annotations.deployment\\.kubernetes\\.io/revision}"),
            "3");

  // A restart is a new template too.
  Ok({"rollout", "restart", "deployment/web"});
  Ok({"rollout", "status", "deployment/web", "--timeout=20s"});
  EXPECT_EQ(Lines(Ok({"get", "rs", "-l", "app=web", "-o", "name"})), 3);
  EXPECT_EQ(Get("deployment/web", "{.metadata.annotations.deployment\\.kubernetes\\.io/revision}"),
            "4");

  // Back to a named revision; `rollout history --revision` shows its template.
  EXPECT_NE(Ok({"rollout", "history", "deployment/web", "--revision=2"}).find("nginx:1.27"),
            std::string::npos);
  Ok({"rollout", "undo", "deployment/web", "--to-revision=2"});
  Ok({"rollout", "status", "deployment/web", "--timeout=20s"});
  EXPECT_EQ(Get("deployment/web",
                "{.spec.template.spec.containers[0].image} "
                "{.metadata.annotations.deployment\\.kubernetes\\.io/revision}"),
            "nginx:1.27 5");

  // Scaled, the new ReplicaSet follows.
  Ok({"scale", "deployment/web", "--replicas=5"});
  Ok({"rollout", "status", "deployment/web", "--timeout=20s"});
  EXPECT_EQ(
      Eventually({"get", "deployment/web", "-o", "jsonpath={.status.availableReplicas}"}, "5"),
      "5");
  EXPECT_EQ(Lines(Ok({"get", "pods", "-l", "app=web", "--field-selector=status.phase=Running", "-o",
                      "name"})),
            5);
}

TEST_F(KubectlWorkloadsTest, RecreateAndPausedDeployments) {
  WriteFile(root_ / "d.yaml", R"(apiVersion: apps/v1
kind: Deployment
metadata: {name: db}
spec:
  replicas: 2
  strategy: {type: Recreate}
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec: {containers: [{name: db, image: postgres:16}]}
)");
  Ok({"create", "-f", (root_ / "d.yaml").string()});
  Ok({"rollout", "status", "deployment/db", "--timeout=20s"});
  Ok({"set", "image", "deployment/db", "db=postgres:17"});
  Ok({"rollout", "status", "deployment/db", "--timeout=20s"});
  EXPECT_EQ(Eventually({"get", "pods", "-l", "app=db", "-o",
                        "jsonpath={.items[*].spec.containers[0].image}"},
                       "postgres:17 postgres:17"),
            "postgres:17 postgres:17");
  // Paused: a template change makes no new ReplicaSet until resumed.
  Ok({"rollout", "pause", "deployment/db"});
  EXPECT_EQ(Eventually({"get", "deployment/db", "-o",
                        "jsonpath={.status.conditions[?(@.type==\"Progressing\")].reason}"},
                       "DeploymentPaused"),
            "DeploymentPaused");
  Ok({"set", "image", "deployment/db", "db=postgres:18"});
  std::this_thread::sleep_for(milliseconds(300));
  EXPECT_EQ(Lines(Ok({"get", "rs", "-l", "app=db", "-o", "name"})), 2);
  Ok({"rollout", "resume", "deployment/db"});
  Ok({"rollout", "status", "deployment/db", "--timeout=20s"});
  EXPECT_EQ(Lines(Ok({"get", "rs", "-l", "app=db", "-o", "name"})), 3);
  EXPECT_EQ(Eventually({"get", "pods", "-l", "app=db", "-o",
                        "jsonpath={.items[*].spec.containers[0].image}"},
                       "postgres:18 postgres:18"),
            "postgres:18 postgres:18");
}

TEST_F(KubectlWorkloadsTest, RevisionHistoryLimitKeepsThatManyOldReplicaSets) {
  Ok({"create", "deployment", "web", "--image=nginx:1"});
  Ok({"patch", "deployment", "web", "--type=merge", "-p",
      R"({"spec":{"revisionHistoryLimit":1}})"});
  for (const char* tag : {"2", "3", "4"}) {
    Ok({"set", "image", "deployment/web", std::string("nginx=nginx:") + tag});
    Ok({"rollout", "status", "deployment/web", "--timeout=20s"});
  }
  // The ReplicaSets list by name (their hashes): the images are compared as a set.
  std::string images;
  for (int i = 0; i < 200; ++i) {
    images =
        Ok({"get", "rs", "-l", "app=web", "-o",
            "jsonpath={range .items[*]}{.spec.template.spec.containers[0].image}{\"\\n\"}{end}"});
    if (Lines(images) == 2) break;
    std::this_thread::sleep_for(milliseconds(50));
  }
  std::vector<std::string> list;
  std::istringstream in(images);
  for (std::string line; std::getline(in, line);) list.push_back(line);
  std::sort(list.begin(), list.end());
  EXPECT_EQ(list, (std::vector<std::string>{"nginx:3", "nginx:4"})) << images;
}

TEST_F(KubectlWorkloadsTest, JobsCompleteOrFail) {
  Ok({"create", "job", "once", "--image=busybox", "--", "true"});
  Ok({"wait", "--for=condition=complete", "job/once", "--timeout=20s"});
  EXPECT_EQ(Get("job/once", "{.status.succeeded}"), "1");
  EXPECT_FALSE(Get("job/once", "{.status.completionTime}").empty());
  EXPECT_EQ(Get("job/once", "{.status.conditions[?(@.type==\"Complete\")].reason}"),
            "CompletionsReached");
  std::string uid = Get("job/once", "{.metadata.uid}");
  EXPECT_EQ(Ok({"get", "pods", "-l", "batch.kubernetes.io/controller-uid=" + uid, "-o",
                "jsonpath={.items[*].status.phase}"}),
            "Succeeded");

  WriteFile(root_ / "jobs.yaml", R"(apiVersion: batch/v1
kind: Job
metadata: {name: many}
spec:
  completions: 3
  parallelism: 2
  template:
    spec:
      restartPolicy: Never
      containers: [{name: c, image: busybox}]
---
apiVersion: batch/v1
kind: Job
metadata: {name: broken}
spec:
  backoffLimit: 1
  template:
    metadata:
      annotations: {kstack.dev/simulated-exit-code: "2"}
    spec:
      restartPolicy: Never
      containers: [{name: c, image: busybox}]
)");
  Ok({"create", "-f", (root_ / "jobs.yaml").string()});
  Ok({"wait", "--for=condition=complete", "job/many", "--timeout=20s"});
  EXPECT_EQ(Get("job/many", "{.status.succeeded}"), "3");
  EXPECT_EQ(Lines(Ok({"get", "pods", "-l", "job-name=many", "-o", "name"})), 3);
  Ok({"wait", "--for=condition=failed", "job/broken", "--timeout=20s"});
  EXPECT_EQ(Get("job/broken",
                "{.status.failed} "
                "{.status.conditions[?(@.type==\"Failed\")].reason}"),
            "2 BackoffLimitExceeded");
}

TEST_F(KubectlWorkloadsTest, AnIndexedJobRunsEveryIndexOnce) {
  WriteFile(root_ / "job.yaml", R"(apiVersion: batch/v1
kind: Job
metadata: {name: shards}
spec:
  completions: 3
  parallelism: 2
  completionMode: Indexed
  template:
    spec:
      restartPolicy: Never
      containers: [{name: c, image: busybox}]
)");
  Ok({"create", "-f", (root_ / "job.yaml").string()});
  Ok({"wait", "--for=condition=complete", "job/shards", "--timeout=20s"});
  EXPECT_EQ(Get("job/shards", "{.status.completedIndexes} {.status.succeeded}"), "0-2 3");
  std::string pods = Ok({"get", "pods", "-l", "job-name=shards", "-o",
                         "jsonpath={range .items[*]}{.metadata.annotations.batch\\.kubernetes\\.io/"
                         "job-completion-index}={.spec.hostname}={.spec.containers[0].env[0].name}"
                         "\n{end}"});
  std::vector<std::string> lines;
  std::istringstream in(pods);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  std::sort(lines.begin(), lines.end());
  EXPECT_EQ(lines, (std::vector<std::string>{"0=shards-0=JOB_COMPLETION_INDEX",
                                             "1=shards-1=JOB_COMPLETION_INDEX",
                                             "2=shards-2=JOB_COMPLETION_INDEX"}));
}

TEST_F(KubectlWorkloadsTest, ADaemonSetRunsAPodOnEveryNode) {
  WriteFile(root_ / "ds.yaml", R"(apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec: {containers: [{name: agent, image: fluentd:1}]}
)");
  Ok({"create", "-f", (root_ / "ds.yaml").string()});
  Ok({"rollout", "status", "daemonset/agent", "--timeout=20s"});
  EXPECT_EQ(Get("ds/agent",
                "{.status.desiredNumberScheduled} {.status.currentNumberScheduled} "
                "{.status.numberReady} {.status.updatedNumberScheduled}"),
            "2 2 2 2");
  EXPECT_EQ(Ok({"get", "pods", "-l", "app=agent", "-o",
                "jsonpath={range .items[*]}{.spec.nodeName}{\"\\n\"}{end}"}) ==
                    "kstack-node-0\nkstack-node-1\n" ||
                Ok({"get", "pods", "-l", "app=agent", "-o",
                    "jsonpath={range .items[*]}{.spec.nodeName}{\"\\n\"}{end}"}) ==
                    "kstack-node-1\nkstack-node-0\n",
            true);
  Ok({"set", "image", "daemonset/agent", "agent=fluentd:2"});
  Ok({"rollout", "status", "daemonset/agent", "--timeout=20s"});
  EXPECT_EQ(Eventually({"get", "pods", "-l", "app=agent", "-o",
                        "jsonpath={.items[*].spec.containers[0].image}"},
                       "fluentd:2 fluentd:2"),
            "fluentd:2 fluentd:2");
  EXPECT_EQ(Lines(Ok({"get", "controllerrevisions", "-l", "app=agent", "-o", "name"})), 2);
  // Restricted to the control-plane node: the other pod goes.
  Ok({"patch", "daemonset", "agent", "--type=merge", "-p",
      R"({"spec":{"template":{"spec":{"nodeSelector":{"node-role.kubernetes.io/control-plane":"true"}}}}})"});
  EXPECT_EQ(
      Eventually({"get", "pods", "-l", "app=agent", "-o", "jsonpath={.items[*].spec.nodeName}"},
                 "kstack-node-0"),
      "kstack-node-0");
  EXPECT_EQ(
      Eventually({"get", "ds", "agent", "-o", "jsonpath={.status.desiredNumberScheduled}"}, "1"),
      "1");
}

TEST_F(KubectlWorkloadsTest, AStatefulSetHasOrderedPodsAndRevisions) {
  WriteFile(root_ / "sts.yaml", R"(apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  replicas: 3
  serviceName: db
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec: {containers: [{name: db, image: postgres:16}]}
)");
  Ok({"create", "-f", (root_ / "sts.yaml").string()});
  Ok({"rollout", "status", "statefulset/db", "--timeout=20s"});
  EXPECT_EQ(Ok({"get", "pods", "-l", "app=db", "-o", "name"}), "pod/db-0\npod/db-1\npod/db-2\n");
  EXPECT_EQ(Get("pod/db-1",
                "{.spec.hostname} {.spec.subdomain} "
                "{.metadata.labels.statefulset\\.kubernetes\\.io/pod-name}"),
            "db-1 db db-1");
  std::string first = Get("sts/db", "{.status.updateRevision}");
  EXPECT_EQ(Get("sts/db", "{.status.currentRevision}"), first);
  EXPECT_EQ(Get("pod/db-2", "{.metadata.labels.controller-revision-hash}"), first);
  EXPECT_EQ(Get("sts/db", "{.status.readyReplicas} {.status.replicas}"), "3 3");
  // The pods were created in order: each after the one before was ready.
  EXPECT_LE(Get("pod/db-0", "{.metadata.creationTimestamp}"),
            Get("pod/db-1", "{.metadata.creationTimestamp}"));
  Ok({"set", "image", "statefulset/db", "db=postgres:17"});
  Ok({"rollout", "status", "statefulset/db", "--timeout=20s"});
  std::string second = Get("sts/db", "{.status.updateRevision}");
  EXPECT_NE(second, first);
  EXPECT_EQ(Get("sts/db", "{.status.currentRevision}"), second);
  EXPECT_EQ(
      Ok({"get", "pods", "-l", "app=db", "-o", "jsonpath={.items[*].spec.containers[0].image}"}),
      "postgres:17 postgres:17 postgres:17");
  EXPECT_EQ(Lines(Ok({"get", "controllerrevisions", "-l", "app=db", "-o", "name"})), 2);
  Ok({"scale", "statefulset/db", "--replicas=1"});
  EXPECT_EQ(Eventually({"get", "pods", "-l", "app=db", "-o", "name"}, "pod/db-0\n"), "pod/db-0\n");
}

TEST_F(KubectlWorkloadsTest, ACronJobWithABadScheduleIsRefused) {
  RunResult refused =
      Kubectl({"create", "cronjob", "bad", "--image=busybox", "--schedule=61 * * * *"});
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_NE(refused.err.find("CronJob.batch \"bad\" is invalid: spec.schedule: Invalid value: "
                             "\"61 * * * *\": end of range (61) "
                             "above maximum (59)"),
            std::string::npos)
      << refused.err;
  EXPECT_EQ(Ok({"get", "cronjobs", "-o", "name"}), "");
  Ok({"create", "cronjob", "good", "--image=busybox", "--schedule=*/5 * * * *"});
  EXPECT_EQ(Get("cronjob/good",
                "{.spec.concurrencyPolicy} {.spec.successfulJobsHistoryLimit} "
                "{.spec.failedJobsHistoryLimit} {.spec.suspend}"),
            "Allow 3 1 false");
}

TEST_F(KubectlWorkloadsTest, BadWorkloadsAreRefusedNamingTheField) {
  WriteFile(root_ / "bad.yaml", R"(apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: api}}
    spec: {containers: [{name: c, image: nginx}]}
)");
  RunResult r = Kubectl({"create", "-f", (root_ / "bad.yaml").string()});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("The Deployment \"web\" is invalid: spec.template.metadata.labels: Invalid "
                       "value: map[string]string{\"app\":\"api\"}: `selector` does not match "
                       "template `labels`"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(Ok({"get", "deployments", "-o", "name"}), "");

  WriteFile(root_ / "job.yaml", R"(apiVersion: batch/v1
kind: Job
metadata: {name: j}
spec:
  template:
    spec:
      restartPolicy: Always
      containers: [{name: c, image: busybox}]
)");
  r = Kubectl({"create", "-f", (root_ / "job.yaml").string()});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("spec.template.spec.restartPolicy: Unsupported value: \"Always\": "
                       "supported values: \"OnFailure\", \"Never\""),
            std::string::npos)
      << r.err;
  EXPECT_EQ(Ok({"get", "jobs", "-o", "name"}), "");

  Ok({"create", "deployment", "ok", "--image=nginx", "--replicas=2"});
  r = Kubectl({"patch", "deployment", "ok", "--type=merge", "-p", R"({"spec":{"replicas":-1}})"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("spec.replicas: Invalid value: -1: must be greater than or equal to 0"),
            std::string::npos)
      << r.err;
  r = Kubectl(
      {"patch", "deployment", "ok", "--type=merge", "-p",
       R"({"spec":{"selector":{"matchLabels":{"app":"other"}},"template":{"metadata":{"labels":{"app":"other"}}}}})"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("spec.selector: Invalid value: "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("field is immutable"), std::string::npos) << r.err;
  EXPECT_EQ(Get("deployment/ok", "{.spec.replicas} {.spec.selector.matchLabels.app}"), "2 ok");
}

TEST_F(KubectlWorkloadsTest, AnAutoscalerKeepsItsTargetWithinRange) {
  Ok({"create", "deployment", "web", "--image=nginx"});
  // autoscaling/v2 (kubectl autoscale writes autoscaling/v1, which is not served yet).
  WriteFile(root_ / "hpa.yaml", R"(apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 3
  maxReplicas: 5
  metrics:
  - type: Resource
    resource: {name: cpu, target: {type: Utilization, averageUtilization: 80}}
)");
  Ok({"create", "-f", (root_ / "hpa.yaml").string()});
  EXPECT_EQ(Eventually({"get", "deployment", "web", "-o", "jsonpath={.spec.replicas}"}, "3"), "3");
  Ok({"rollout", "status", "deployment/web", "--timeout=20s"});
  EXPECT_EQ(Eventually({"get", "hpa", "web", "-o",
                        "jsonpath={.status.currentReplicas} {.status.desiredReplicas}"},
                       "3 3"),
            "3 3");
  EXPECT_EQ(Get("hpa/web", "{.status.conditions[?(@.type==\"ScalingActive\")].reason}"),
            "FailedGetResourceMetric");
  EXPECT_EQ(Get("hpa/web", "{.status.conditions[?(@.type==\"AbleToScale\")].status}"), "True");
}

TEST_F(KubectlWorkloadsTest, ARolloutThatCannotProgressExceedsItsDeadline) {
  WriteFile(root_ / "d.yaml", R"(apiVersion: apps/v1
kind: Deployment
metadata: {name: big}
spec:
  replicas: 1
  progressDeadlineSeconds: 1
  selector: {matchLabels: {app: big}}
  template:
    metadata: {labels: {app: big}}
    spec:
      containers:
      - name: c
        image: nginx
        resources: {requests: {cpu: "64"}}
)");
  Ok({"create", "-f", (root_ / "d.yaml").string()});
  RunResult status = Kubectl({"rollout", "status", "deployment/big", "--timeout=20s"});
  EXPECT_NE(status.exit_code, 0);
  EXPECT_NE(status.err.find("deployment \"big\" exceeded its progress deadline"), std::string::npos)
      << status.err;
  EXPECT_EQ(Get("deployment/big",
                "{.status.conditions[?(@.type==\"Progressing\")].status} "
                "{.status.conditions[?(@.type==\"Progressing\")].reason}"),
            "False ProgressDeadlineExceeded");
  EXPECT_EQ(Get("deployment/big", "{.status.conditions[?(@.type==\"Available\")].reason}"),
            "MinimumReplicasUnavailable");
}

// With pods that take a while to start, a rolling update stays within its bounds.
class KubectlRolloutPaceTest : public KubectlWorkloadsTest {
 protected:
  void SetUp() override {
    ServerE2eTest::SetUp();
    server_args_ = {"--nodes", "2", "--simulation-delay", "300"};
    StartServer();
  }
};

TEST_F(KubectlRolloutPaceTest, ARollingUpdateHonoursMaxSurgeAndMaxUnavailable) {
  WriteFile(root_ / "d.yaml", R"(apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 4
  strategy: {type: RollingUpdate, rollingUpdate: {maxSurge: 1, maxUnavailable: 0}}
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: nginx:1}]}
)");
  Ok({"create", "-f", (root_ / "d.yaml").string()});
  Ok({"rollout", "status", "deployment/web", "--timeout=20s"});
  Ok({"set", "image", "deployment/web", "web=nginx:2"});
  int most = 0, fewest_ready = 100, samples = 0;
  bool done = false;
  for (int i = 0; i < 300 && !done; ++i) {
    // One listing is one consistent snapshot of the pods.
    std::string out = Ok({"get", "pods", "-l", "app=web", "-o",
                          "jsonpath={range .items[*]}{.metadata.deletionTimestamp}/"
                          "{.spec.containers[0].image} "
                          "{.status.conditions[?(@.type==\"Ready\")].status}\n{end}"});
    int total = 0, ready = 0, updated_ready = 0;
    std::istringstream in(out);
    for (std::string line; std::getline(in, line);) {
      // Terminating pods count for no ReplicaSet, in Kubernetes as here.
      if (!line.starts_with("/")) continue;
      line.erase(0, 1);
      ++total;
      bool is_ready = line.ends_with(" True");
      ready += is_ready;
      updated_ready += is_ready && line.starts_with("nginx:2 ");
    }
    most = std::max(most, total);
    fewest_ready = std::min(fewest_ready, ready);
    ++samples;
    done = total == 4 && updated_ready == 4;
  }
  EXPECT_TRUE(done);
  EXPECT_GT(samples, 3);       // the rollout took several looks: the bounds were observed
  EXPECT_LE(most, 5);          // replicas + maxSurge
  EXPECT_GE(fewest_ready, 4);  // replicas - maxUnavailable
  Ok({"rollout", "status", "deployment/web", "--timeout=20s"});
}

TEST_F(KubectlRolloutPaceTest, ARolloutInterruptedByARestartFinishesAfterIt) {
  Ok({"create", "deployment", "web", "--image=nginx:1", "--replicas=4"});
  Ok({"rollout", "status", "deployment/web", "--timeout=20s"});
  Ok({"set", "image", "deployment/web", "nginx=nginx:2"});
  std::this_thread::sleep_for(milliseconds(150));
  server_.process.reset();  // SIGTERM mid-rollout
  StartServer();
  Ok({"rollout", "status", "deployment/web", "--timeout=20s"});
  EXPECT_EQ(Eventually({"get", "pods", "-l", "app=web", "-o",
                        "jsonpath={.items[*].spec.containers[0].image}"},
                       "nginx:2 nginx:2 nginx:2 nginx:2"),
            "nginx:2 nginx:2 nginx:2 nginx:2");
  EXPECT_EQ(Get("deployment/web", "{.status.availableReplicas} {.status.updatedReplicas}"), "4 4");
}

// Pods that take a second to start hold a rollout mid-way, where scaling must be shared.
class KubectlSlowPodsTest : public KubectlWorkloadsTest {
 protected:
  void SetUp() override {
    ServerE2eTest::SetUp();
    server_args_ = {"--nodes", "2", "--simulation-delay", "1000"};
    StartServer();
  }
};

TEST_F(KubectlSlowPodsTest, ScalingMidRolloutGrowsEveryReplicaSetInProportion) {
  Ok({"create", "deployment", "web", "--image=nginx:1", "--replicas=4"});
  Ok({"rollout", "status", "deployment/web", "--timeout=20s"});
  std::string old_rs = Ok({"get", "rs", "-l", "app=web", "-o", "jsonpath={.items[0].metadata.name}"});
  Ok({"set", "image", "deployment/web", "nginx=nginx:2"});
  // 25% surge and unavailability of 4: the old ReplicaSet at 3, the new one at 1 or 2.
  EXPECT_EQ(Eventually({"get", "rs", old_rs, "-o", "jsonpath={.spec.replicas}"}, "3"), "3");
  Ok({"scale", "deployment/web", "--replicas=8"});
  // 8 + 2 surge = 10 shared by size before any new pod is ready: the old ReplicaSet grows too
  // (3 -> 6, or 8 with what rounding leaves), where a rollout alone would only shrink it.
  int64_t grown = 0;
  for (int i = 0; i < 100 && grown < 6; ++i) {
    std::string text = Ok({"get", "rs", old_rs, "-o", "jsonpath={.spec.replicas}"});
    grown = text.empty() ? 0 : std::stoll(text);
    std::this_thread::sleep_for(milliseconds(20));
  }
  EXPECT_GE(grown, 6);
  EXPECT_EQ(Get("rs/" + old_rs, "{.metadata.annotations.deployment\\.kubernetes\\.io/"
                                "desired-replicas}"),
            "8");
  Ok({"rollout", "status", "deployment/web", "--timeout=30s"});
  EXPECT_EQ(Get("rs/" + old_rs, "{.spec.replicas}"), "0");
  EXPECT_EQ(Get("deployment/web", "{.status.updatedReplicas} {.status.availableReplicas}"), "8 8");
}

}  // namespace
}  // namespace kstack::e2e
