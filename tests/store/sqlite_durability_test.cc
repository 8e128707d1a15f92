// kill -9 at random moments: every acknowledged write survives and the file is not corrupt.

#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <map>
#include <random>
#include <sstream>
#include <string>

#include "store/open_store.h"
#include "tests/testing/temp_dir.h"

namespace kstack::store::testing {
using kstack::testing::TempDir;
namespace {

struct Acknowledged {
  std::vector<std::string> created;
  std::map<std::string, int64_t> counters;  // key -> last acknowledged value
};

// Runs crash_writer on `dir`, kills it with SIGKILL after `run_for`, and returns what it
// acknowledged before dying.
Acknowledged RunAndKill(const std::string& dir, int run, std::chrono::milliseconds run_for) {
  int out[2];
  EXPECT_EQ(pipe(out), 0);
  pid_t pid = fork();
  if (pid == 0) {
    dup2(out[1], STDOUT_FILENO);
    close(out[0]);
    close(out[1]);
    std::string helper = std::string(KSTACK_BINARY_DIR) + "/tests/store/crash_writer";
    std::string id = std::to_string(run);
    execl(helper.c_str(), helper.c_str(), dir.c_str(), id.c_str(), nullptr);
    _exit(127);
  }
  close(out[1]);
  std::string text;
  char buf[65536];
  auto kill_at = std::chrono::steady_clock::time_point::max();
  bool killed = false;
  while (true) {
    auto now = std::chrono::steady_clock::now();
    if (!killed && now >= kill_at) {
      kill(pid, SIGKILL);
      killed = true;
    }
    pollfd p{.fd = out[0], .events = POLLIN, .revents = 0};
    poll(&p, 1, 5);
    if (p.revents & (POLLIN | POLLHUP)) {
      ssize_t n = read(out[0], buf, sizeof buf);
      if (n <= 0) {
        break;  // the child is dead and the pipe drained
      }
      text.append(buf, n);
      if (kill_at == std::chrono::steady_clock::time_point::max() &&
          text.find("ready\n") != std::string::npos) {
        kill_at = std::chrono::steady_clock::now() + run_for;  // count from the open
      }
    }
  }
  close(out[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  EXPECT_TRUE(WIFSIGNALED(status)) << "crash_writer exited by itself: " << text;
  Acknowledged acked;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    std::istringstream words(line);
    std::string kind, key;
    words >> kind >> key;
    if (kind == "C") {
      acked.created.push_back(key);
    } else if (kind == "U") {
      int64_t n = 0;
      words >> n;
      acked.counters[key] = std::max(acked.counters[key], n);
    }
  }
  return acked;
}

std::string IntegrityCheck(const std::string& path) {
  sqlite3* db = nullptr;
  if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) {
    return "cannot open";
  }
  std::string result;
  sqlite3_stmt* stmt = nullptr;
  sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &stmt, nullptr);
  while (sqlite3_step(stmt) == SQLITE_ROW) {
    result += reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return result;
}

TEST(SqliteDurabilityTest, AcknowledgedWritesSurviveKill9) {
  TempDir dir;
  std::mt19937 random(std::random_device{}());
  std::uniform_int_distribution<int> delay_ms(20, 300);
  int64_t last_revision = 0;
  size_t total = 0;
  for (int run = 0; run < 6; ++run) {
    auto ms = std::chrono::milliseconds(delay_ms(random));
    Acknowledged acked = RunAndKill(dir.path(), run, ms);
    total += acked.created.size();
    auto store =
        OpenStore({.backend = "sqlite", .data_dir = dir.path(), .compaction = {.interval = {}}});
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    for (const std::string& key : acked.created) {
      auto got = (*store)->Get(key);
      ASSERT_TRUE(got.ok()) << "run " << run << " after " << ms.count() << " ms lost " << key;
      EXPECT_EQ(got->value, key);
    }
    for (const auto& [key, n] : acked.counters) {
      auto got = (*store)->Get(key);
      ASSERT_TRUE(got.ok()) << key;
      EXPECT_GE(std::stoll(got->value), n) << "run " << run << " lost an update of " << key;
    }
    int64_t revision = (*store)->CurrentRevision().value();
    EXPECT_GE(revision, last_revision) << "revisions went back after a crash";
    last_revision = revision;
    store->reset();
    EXPECT_EQ(IntegrityCheck(dir.path() + "/store.db"), "ok");
  }
  EXPECT_GT(total, 0u) << "the writer acknowledged nothing";
}

}  // namespace
}  // namespace kstack::store::testing
