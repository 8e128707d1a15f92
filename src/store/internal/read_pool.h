#pragma once

// A fixed set of read connections to the database, so readers run in parallel with each other
// and with the writer (WAL readers never wait for the writer).

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/result.h"
#include "store/internal/sqlite_db.h"

namespace kstack::store::internal {

class ReadPool {
 public:
  // Opens `size` (at least 1) connections to the existing database at `path`.
  static Result<std::unique_ptr<ReadPool>> Open(const std::string& path, size_t size);

  // A connection borrowed for one read; returned to the pool when destroyed.
  class Lease {
   public:
    Lease(ReadPool* pool, Connection* conn) : pool_(pool), conn_(conn) {}
    ~Lease() { pool_->Release(conn_); }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    Connection& operator*() const { return *conn_; }
    Connection* operator->() const { return conn_; }

   private:
    ReadPool* pool_;
    Connection* conn_;
  };

  // Waits until a connection is free.
  Lease Acquire();

 private:
  void Release(Connection* conn);

  std::vector<std::unique_ptr<Connection>> all_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<Connection*> free_;
};

}  // namespace kstack::store::internal
