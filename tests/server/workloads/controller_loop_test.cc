#include "server/workloads/controller_loop.h"

#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <mutex>
#include <thread>

namespace kstack::server::workloads {
namespace {

using namespace std::chrono_literals;

// Waits up to a second for `done`.
template <typename F>
bool Eventually(F done) {
  for (int i = 0; i < 200 && !done(); ++i) std::this_thread::sleep_for(5ms);
  return done();
}

TEST(ControllerLoopTest, AKeyQueuedWhileWaitingRunsOnce) {
  std::mutex mu;
  std::map<std::string, int> runs;
  std::atomic<bool> release{false};
  ControllerLoop loop({.name = "test",
                       .workers = 1,
                       .reconcile = [&](const std::string& key) -> Result<ReconcileResult> {
                         while (key == "block" && !release) std::this_thread::sleep_for(1ms);
                         std::lock_guard lock(mu);
                         ++runs[key];
                         return ReconcileResult{};
                       }});
  loop.Start();
  loop.Enqueue("block");  // holds the only worker
  ASSERT_TRUE(Eventually([&] { return loop.pending() == 1; }));
  for (int i = 0; i < 5; ++i) loop.Enqueue("a");
  release = true;
  ASSERT_TRUE(Eventually([&] { return loop.pending() == 0; }));
  std::lock_guard lock(mu);
  EXPECT_EQ(runs["a"], 1);
  EXPECT_EQ(runs["block"], 1);
}

TEST(ControllerLoopTest, AKeyIsNeverReconciledTwiceAtOnceAndWritesMeanwhileRunAgain) {
  std::atomic<int> inside{0}, most{0}, runs{0};
  ControllerLoop loop({.name = "test",
                       .workers = 4,
                       .reconcile = [&](const std::string&) -> Result<ReconcileResult> {
                         int now = ++inside;
                         most = std::max<int>(most, now);
                         std::this_thread::sleep_for(20ms);
                         --inside;
                         ++runs;
                         return ReconcileResult{};
                       }});
  loop.Start();
  loop.Enqueue("k");
  ASSERT_TRUE(Eventually([&] { return inside == 1; }));
  loop.Enqueue("k");  // during the reconcile: once more afterwards
  loop.Enqueue("k");
  ASSERT_TRUE(Eventually([&] { return runs == 2 && loop.pending() == 0; }));
  EXPECT_EQ(most, 1);
  std::this_thread::sleep_for(50ms);
  EXPECT_EQ(runs, 2);
}

TEST(ControllerLoopTest, FailuresAreRetriedAndRequeueAfterComesBack) {
  std::atomic<int> failing{0}, later{0};
  ControllerLoop loop({.name = "test",
                       .workers = 2,
                       .reconcile = [&](const std::string& key) -> Result<ReconcileResult> {
                         if (key == "fail") {
                           return ++failing < 3 ? Result<ReconcileResult>(UnavailableError("busy"))
                                                : ReconcileResult{};
                         }
                         ++later;
                         return ReconcileResult{.requeue_after = later < 3 ? 30ms : 0ms};
                       },
                       .retry_base = Duration(5)});
  loop.Start();
  loop.Enqueue("fail");
  loop.Enqueue("later");
  ASSERT_TRUE(Eventually([&] { return failing == 3 && later == 3; }));
  std::this_thread::sleep_for(60ms);
  EXPECT_EQ(failing, 3);
  EXPECT_EQ(later, 3);
}

TEST(ControllerLoopTest, ResyncQueuesTheListedKeys) {
  std::atomic<int> runs{0};
  ControllerLoop loop({.name = "test",
                       .workers = 1,
                       .resync = Duration(20),
                       .list_keys =
                           [] {
                             return std::vector<std::string>{"a", "b"};
                           },
                       .reconcile = [&](const std::string&) -> Result<ReconcileResult> {
                         ++runs;
                         return ReconcileResult{};
                       }});
  loop.Start();
  ASSERT_TRUE(Eventually([&] { return runs >= 6; }));  // three resyncs of two keys
  loop.Stop();
  int after = runs;
  std::this_thread::sleep_for(50ms);
  EXPECT_EQ(runs, after);
}

}  // namespace
}  // namespace kstack::server::workloads
