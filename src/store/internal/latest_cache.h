#pragma once

// The latest value of every live key, in memory, kept by the writer.
//
// Why: in WAL mode every SQLite read transaction takes and releases a lock on the shared-memory
// index with fcntl, two system calls that cost more than the B-tree lookup itself and cap point
// reads near 100,000/s per core. Serving latest reads from memory removes that, and lets the
// writer check preconditions without reading the database. The cost is memory proportional to
// the live data (not to history), as with the Kubernetes API server's watch cache.
//
// Consistency: the writer updates the cache after the commit and before acknowledging, so a
// reader sees every acknowledged write; readers never see an uncommitted one.

#include <array>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "store/store.h"

namespace kstack::store::internal {

class LatestCache {
 public:
  // The latest value of `key`; nullptr when the key does not exist. Thread-safe.
  std::shared_ptr<const KeyValue> Get(std::string_view key) const;

  // Sets the latest value of `kv->key`. Called at open (loading) and by the writer after a
  // commit.
  void Put(std::shared_ptr<const KeyValue> kv);
  // Forgets a deleted key. Called by the writer after a commit.
  void Erase(std::string_view key);

 private:
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
  };
  struct Shard {
    mutable std::shared_mutex mu;
    std::unordered_map<std::string, std::shared_ptr<const KeyValue>, Hash, std::equal_to<>> map;
  };
  // Shards keep readers of different keys from contending on one lock's cache line.
  static constexpr size_t kShards = 32;

  Shard& ShardOf(std::string_view key) { return shards_[Hash()(key) % kShards]; }
  const Shard& ShardOf(std::string_view key) const { return shards_[Hash()(key) % kShards]; }

  std::array<Shard, kShards> shards_;
};

}  // namespace kstack::store::internal
