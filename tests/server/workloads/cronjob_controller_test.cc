// The CronJob controller against the real registry and store, on a fake clock: Jobs at the
// scheduled minutes, named and annotated as Kubernetes does, Forbid while one is active.

#include "server/workloads/cronjob_controller.h"

#include <gtest/gtest.h>

#include <thread>

#include "server/object_registry.h"
#include "store/open_store.h"
#include "tests/testing/temp_dir.h"

namespace kstack::server::workloads {
namespace {

using namespace std::chrono_literals;

const ResourceType& Type(std::string_view group, std::string_view resource) {
  return *machinery::FindBuiltinResource(group, group.empty() ? "v1" : "v1", resource);
}

class CronJobControllerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = store::OpenStore({.data_dir = dir_.path()});
    ASSERT_TRUE(opened.ok()) << opened.status().message();
    store_ = std::move(*opened);
    registry_ = std::make_unique<ObjectRegistry>(store_.get(), &clock_);
    ASSERT_TRUE(
        registry_
            ->Create(Type("", "namespaces"), "", *ParseJson(R"({"metadata":{"name":"default"}})"))
            .ok());
    clock_.Advance(30s);  // 2024-01-01T00:00:30Z
    controller_ = std::make_unique<CronJobController>(registry_.get(), &clock_);
    ASSERT_TRUE(controller_->Start().ok());
  }
  void TearDown() override { controller_->Stop(); }

  std::vector<std::string> JobNames() {
    Result<Json> list = registry_->List(Type("batch", "jobs"), "default", {});
    std::vector<std::string> names;
    for (const Json& job : list->at("items").as_array()) {
      names.emplace_back(FindString(job.at("metadata"), "name"));
    }
    return names;
  }
  std::vector<std::string> EventuallyJobs(size_t count) {
    for (int i = 0; i < 200 && JobNames().size() != count; ++i) std::this_thread::sleep_for(5ms);
    return JobNames();
  }

  kstack::testing::TempDir dir_;
  FakeClock clock_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<ObjectRegistry> registry_;
  std::unique_ptr<CronJobController> controller_;
};

TEST_F(CronJobControllerTest, CreatesAJobAtEachScheduledMinute) {
  ASSERT_TRUE(registry_
                  ->Create(Type("batch", "cronjobs"), "default", *ParseJson(R"({
    "metadata": {"name": "tick"},
    "spec": {"schedule": "* * * * *", "concurrencyPolicy": "Forbid",
             "jobTemplate": {"metadata": {"labels": {"app": "tick"}},
                             "spec": {"template": {"spec": {"restartPolicy": "Never",
                                      "containers": [{"name": "c", "image": "busybox"}]}}}}}})"))
                  .ok());
  controller_->Enqueue("default/tick");
  std::this_thread::sleep_for(100ms);
  EXPECT_TRUE(JobNames().empty());  // 00:00:30: nothing due yet

  clock_.Advance(40s);  // 00:01:10
  controller_->Enqueue("default/tick");
  // 2024-01-01T00:01:00Z is minute 28401121 since the epoch.
  EXPECT_EQ(EventuallyJobs(1), std::vector<std::string>{"tick-28401121"});
  Result<Json> job = registry_->Get(Type("batch", "jobs"), "default", "tick-28401121");
  ASSERT_TRUE(job.ok());
  EXPECT_EQ(FindString(job->at("metadata").at("annotations"),
                       "batch.kubernetes.io/cronjob-scheduled-timestamp"),
            "2024-01-01T00:01:00Z");
  EXPECT_EQ(FindString(job->at("metadata").at("labels"), "app"), "tick");
  EXPECT_EQ(FindString(job->at("metadata").at("ownerReferences").as_array()[0], "kind"), "CronJob");
  Result<Json> cj = NotFoundError("not read yet");
  for (int i = 0; i < 200; ++i) {
    cj = registry_->Get(Type("batch", "cronjobs"), "default", "tick");
    if (cj.ok() && FindMember(cj->at("status"), "active") != nullptr) break;
    std::this_thread::sleep_for(5ms);
  }
  ASSERT_TRUE(cj.ok());
  EXPECT_EQ(FindString(cj->at("status"), "lastScheduleTime"), "2024-01-01T00:01:00Z");
  EXPECT_EQ(FindString(cj->at("status").at("active").as_array()[0], "name"), "tick-28401121");

  // Forbid: the next minute is skipped while that Job is active.
  clock_.Advance(60s);  // 00:02:10
  controller_->Enqueue("default/tick");
  std::this_thread::sleep_for(100ms);
  EXPECT_EQ(JobNames(), std::vector<std::string>{"tick-28401121"});

  // Once it completed, the next due minute runs.
  Json done = *job;
  done.as_object()["status"] = *ParseJson(
      R"({"conditions":[{"type":"Complete","status":"True"}],"completionTime":"2024-01-01T00:01:30Z"})");
  ASSERT_TRUE(
      registry_->UpdateStatus(Type("batch", "jobs"), "default", "tick-28401121", done).ok());
  controller_->Enqueue("default/tick");
  EXPECT_EQ(EventuallyJobs(2), (std::vector<std::string>{"tick-28401121", "tick-28401122"}));
}

TEST(CronJobValidationTest, BadSchedulesAndZonesAreRefusedNamingTheField) {
  EXPECT_EQ(
      ValidateCronJob(*ParseJson(R"({"spec":{"schedule":"61 * * * *"}})")).message(),
      "spec.schedule: Invalid value: \"61 * * * *\": end of range (61) above maximum (59): 61");
  EXPECT_EQ(ValidateCronJob(*ParseJson(R"({"spec":{}})")).message(),
            "spec.schedule: Required value");
  EXPECT_EQ(
      ValidateCronJob(*ParseJson(R"({"spec":{"schedule":"@daily","timeZone":"Mars/Olympus"}})"))
          .message(),
      "spec.timeZone: Invalid value: \"Mars/Olympus\": unknown time zone Mars/Olympus");
  EXPECT_TRUE(
      ValidateCronJob(*ParseJson(R"({"spec":{"schedule":"@daily","timeZone":"Europe/Paris"}})"))
          .ok());
  EXPECT_TRUE(
      ValidateCronJob(*ParseJson(R"({"spec":{"schedule":"@daily","timeZone":"UTC"}})")).ok());
}

}  // namespace
}  // namespace kstack::server::workloads
