// A child process for the durability test: writes to a store from several threads and prints
// one line per acknowledged write, until it is killed.
//
//   crash_writer <data_dir> <run id>
//   C <key>            a create of <key> with value <key> was acknowledged
//   U <key> <n>        an update of <key> to value <n> was acknowledged

#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "store/open_store.h"

namespace {

// One write(2) per line, so that lines of concurrent threads never interleave and a line that
// reached the pipe was printed after its acknowledgement.
void Say(const std::string& line) {
  ssize_t written = ::write(STDOUT_FILENO, line.data(), line.size());
  (void)written;
}

}  // namespace

int main(int argc, char** argv) {
  using kstack::store::OpenStore;
  if (argc != 3) {
    std::fprintf(stderr, "usage: crash_writer <data_dir> <run id>\n");
    return 2;
  }
  std::string run = argv[2];
  auto store = OpenStore({.backend = "sqlite", .data_dir = argv[1]});
  if (!store.ok()) {
    std::fprintf(stderr, "%s\n", store.status().ToString().c_str());
    return 1;
  }
  Say("ready\n");
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      std::string counter = fmt::format("/counter/{}/{}", run, t);
      auto kv = (*store)->Create(counter, "0");
      if (!kv.ok()) {
        return;
      }
      for (int i = 1;; ++i) {
        std::string key = fmt::format("/crash/{}/{}/{}", run, t, i);
        if ((*store)->Create(key, key).ok()) {
          Say("C " + key + "\n");
        }
        auto updated = (*store)->Update(counter, std::to_string(i), kv->mod_revision);
        if (updated.ok()) {
          kv = std::move(updated);
          Say(fmt::format("U {} {}\n", counter, i));
        }
      }
    });
  }
  for (auto& t : threads) {
    t.join();
  }
  return 0;
}
