// git: resolve + read of a 5,000-file tree at a new commit (goal: under 200 ms).
//
// A source repository of 5,000 small manifests (50 directories of 100 files) is made with
// `git fast-import` and cloned once into a fresh cache. Then, each round, a new commit changes
// ten files, and the figure is the time to resolve "main" (ask the remote, fetch the new
// objects), open the commit's tree, list it recursively and read every file. It is measured
// over file:// (libgit2's in-process local transport) and over git:// from `git daemon` (the
// real git server side, as HTTP and SSH servers run it). Prints the median, best and worst
// rounds with their parts, the process CPU time of the median round (the machine may be
// shared), and the first clone for reference.

#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "core/allocator.h"
#include "git/repository_cache.h"
#include "tests/testing/temp_dir.h"

extern char** environ;

namespace {

using Clock = std::chrono::steady_clock;
constexpr int kDirs = 50;
constexpr int kFilesPerDir = 100;
constexpr int kRounds = 15;

double Ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

double CpuMs() {
  timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

std::string Manifest(int dir, int file, int version) {
  char buf[512];
  snprintf(buf, sizeof buf,
           "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-%d-%d\n  namespace: team-%d\n"
           "  labels:\n    app: bench\ndata:\n  version: \"%d\"\n  payload: \"%064d\"\n",
           dir, file, dir, version, dir * 1000 + file);
  return buf;
}

// Feeds one commit to `git fast-import`: every file when `changed` is empty, else those.
bool Commit(const std::string& repo, int version, const std::vector<std::pair<int, int>>& changed) {
  std::string cmd = "git -C '" + repo + "' fast-import --quiet";
  FILE* p = popen(cmd.c_str(), "w");
  if (p == nullptr) return false;
  std::string stream = "commit refs/heads/main\ncommitter bench <bench@example.com> " +
                       std::to_string(1700000000 + version) + " +0000\ndata 8\nversion\n";
  if (version > 0) stream += "from refs/heads/main^0\n";
  auto add = [&](int d, int f) {
    std::string body = Manifest(d, f, version);
    stream += "M 100644 inline apps/team-" + std::to_string(d) + "/cm-" + std::to_string(f) +
              ".yaml\ndata " + std::to_string(body.size()) + "\n" + body + "\n";
  };
  if (version == 0) {
    for (int d = 0; d < kDirs; ++d) {
      for (int f = 0; f < kFilesPerDir; ++f) add(d, f);
    }
  }
  for (auto [d, f] : changed) add(d, f);
  fwrite(stream.data(), 1, stream.size(), p);
  return pclose(p) == 0;
}

struct Round {
  double resolve_ms = 0;
  double read_ms = 0;
  double cpu_ms = 0;
  double total() const { return resolve_ms + read_ms; }
};

// `git daemon` serving `root` on a loopback port; stopped by the destructor.
class Daemon {
 public:
  explicit Daemon(const std::string& root) {
    port_ = 20000 + static_cast<int>(getpid() % 20000);
    std::vector<std::string> args = {"git",
                                     "daemon",
                                     "--reuseaddr",
                                     "--export-all",
                                     "--base-path=" + root,
                                     "--listen=127.0.0.1",
                                     "--port=" + std::to_string(port_),
                                     root};
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    if (posix_spawnp(&pid_, "git", nullptr, nullptr, argv.data(), environ) != 0) pid_ = -1;
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  ~Daemon() {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      waitpid(pid_, nullptr, 0);
    }
  }
  std::string Url(const std::string& name) const {
    return "git://127.0.0.1:" + std::to_string(port_) + "/" + name;
  }

 private:
  pid_t pid_ = -1;
  int port_ = 0;
};

// Runs the scenario against `url`, committing to `repo`; false on an error (printed).
bool Measure(const std::string& label, const std::string& repo, const std::string& url,
             const std::string& cache_dir, int* version) {
  auto opened = kstack::git::RepositoryCache::Open(cache_dir);
  if (!opened.ok()) {
    fprintf(stderr, "%s\n", opened.status().ToString().c_str());
    return false;
  }
  auto& cache = *opened;
  kstack::git::Source source{.url = url};
  auto t0 = Clock::now();
  auto first = cache->Resolve(source, "main");
  double clone_ms = Ms(Clock::now() - t0);
  if (!first.ok()) {
    fprintf(stderr, "%s\n", first.status().ToString().c_str());
    return false;
  }

  std::vector<Round> rounds;
  size_t files_read = 0, bytes_read = 0;
  for (int r = 0; r < kRounds; ++r) {
    int v = ++*version;
    std::vector<std::pair<int, int>> changed;
    for (int i = 0; i < 10; ++i) changed.emplace_back((v * 7 + i * 5) % kDirs, (v * 13 + i) % 100);
    if (!Commit(repo, v, changed)) {
      fprintf(stderr, "cannot commit\n");
      return false;
    }
    Round round;
    double cpu0 = CpuMs();
    auto start = Clock::now();
    auto sha = cache->Resolve(source, "main");
    auto resolved = Clock::now();
    if (!sha.ok()) {
      fprintf(stderr, "%s\n", sha.status().ToString().c_str());
      return false;
    }
    auto tree = cache->OpenTree(url, *sha);
    if (!tree.ok()) return false;
    auto entries = (*tree)->List("", true);
    if (!entries.ok()) return false;
    files_read = bytes_read = 0;
    for (const auto& e : *entries) {
      if (e.type != kstack::git::EntryType::kFile) continue;
      auto bytes = (*tree)->ReadFile(e.path);
      if (!bytes.ok()) return false;
      ++files_read;
      bytes_read += bytes->size();
    }
    round.resolve_ms = Ms(resolved - start);
    round.read_ms = Ms(Clock::now() - resolved);
    round.cpu_ms = CpuMs() - cpu0;
    rounds.push_back(round);
  }
  std::sort(rounds.begin(), rounds.end(),
            [](const Round& a, const Round& b) { return a.total() < b.total(); });
  const Round& median = rounds[rounds.size() / 2];
  printf(
      "  %-8s median %6.1f ms (resolve+fetch %5.1f ms, list+read %zu files/%zu KiB %5.1f ms;"
      " CPU %5.1f ms); best %6.1f ms, worst %6.1f ms; goal < 200 ms: %s; first clone %.0f ms\n",
      label.c_str(), median.total(), median.resolve_ms, files_read, bytes_read / 1024,
      median.read_ms, median.cpu_ms, rounds.front().total(), rounds.back().total(),
      median.total() < 200 ? "met" : "MISSED", clone_ms);
  return true;
}

}  // namespace

int main() {
  kstack::TuneAllocatorForLargeTrees();  // as the kstack binary does
  setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
  setenv("GIT_CONFIG_GLOBAL", "/dev/null", 1);
  kstack::testing::TempDir dir;
  std::string repo = dir.path() + "/source";
  std::string init = "git init -q -b main '" + repo + "'";
  int version = 0;
  if (system(init.c_str()) != 0 || !Commit(repo, version, {})) {
    fprintf(stderr, "cannot create the source repository\n");
    return 1;
  }
  printf("git: resolve + read of a %d-file tree at a new commit (%d rounds each)\n",
         kDirs * kFilesPerDir, kRounds);
  if (!Measure("file://", repo, "file://" + repo, dir.path() + "/cache-file", &version)) return 1;
  Daemon daemon(dir.path());
  if (!Measure("git://", repo, daemon.Url("source"), dir.path() + "/cache-daemon", &version)) {
    return 1;
  }
  return 0;
}
