#include "store/internal/latest_cache.h"

#include <mutex>

namespace kstack::store::internal {

std::shared_ptr<const KeyValue> LatestCache::Get(std::string_view key) const {
  const Shard& shard = ShardOf(key);
  std::shared_lock lock(shard.mu);
  auto it = shard.map.find(key);
  return it == shard.map.end() ? nullptr : it->second;
}

void LatestCache::Put(std::shared_ptr<const KeyValue> kv) {
  Shard& shard = ShardOf(kv->key);
  std::unique_lock lock(shard.mu);
  shard.map.insert_or_assign(kv->key, std::move(kv));
}

void LatestCache::Erase(std::string_view key) {
  Shard& shard = ShardOf(key);
  std::unique_lock lock(shard.mu);
  if (auto it = shard.map.find(key); it != shard.map.end()) {
    shard.map.erase(it);
  }
}

}  // namespace kstack::store::internal
