#include "store/internal/read_pool.h"

namespace kstack::store::internal {

Result<std::unique_ptr<ReadPool>> ReadPool::Open(const std::string& path, size_t size) {
  auto pool = std::make_unique<ReadPool>();
  for (size_t i = 0; i < std::max<size_t>(size, 1); ++i) {
    KSTACK_ASSIGN_OR_RETURN(auto conn, Connection::Open(path, /*create=*/false));
    // query_only guards against a read path writing by mistake; mmap serves reads of hot pages
    // without a copy through SQLite's page cache.
    KSTACK_RETURN_IF_ERROR(conn->Exec("PRAGMA query_only = 1; PRAGMA mmap_size = 268435456;"));
    pool->free_.push_back(conn.get());
    pool->all_.push_back(std::move(conn));
  }
  return pool;
}

ReadPool::Lease ReadPool::Acquire() {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [&] { return !free_.empty(); });
  Connection* conn = free_.back();
  free_.pop_back();
  return Lease(this, conn);
}

void ReadPool::Release(Connection* conn) {
  {
    std::lock_guard lock(mu_);
    free_.push_back(conn);
  }
  cv_.notify_one();
}

}  // namespace kstack::store::internal
