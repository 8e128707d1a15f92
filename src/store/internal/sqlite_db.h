#pragma once

// A thin RAII layer over the SQLite C API: connections, cached prepared statements, and errors
// turned into Status values. A Connection is used by one thread at a time (SQLite is opened in
// multi-thread mode, so the library does no locking of its own).

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/result.h"
#include "core/status.h"

namespace kstack::store::internal {

// A prepared statement. Reset (bindings kept) by Statement::Scope on leaving a scope.
class Statement {
 public:
  Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // Parameters are numbered from 1, as in SQLite. Blobs are bound without a copy: the bytes
  // must stay alive until the statement is reset.
  void BindInt(int index, int64_t value) { sqlite3_bind_int64(stmt_, index, value); }
  void BindBlob(int index, std::string_view value) {
    // A zero-length blob needs a non-null pointer, or SQLite binds NULL.
    sqlite3_bind_blob(stmt_, index, value.empty() ? "" : value.data(),
                      static_cast<int>(value.size()), SQLITE_STATIC);
  }

  // True when a row is available, false when the statement is done.
  Result<bool> Step();
  // Steps a statement that returns no row.
  Status Run();
  void Reset() { sqlite3_reset(stmt_); }

  int64_t Int(int column) const { return sqlite3_column_int64(stmt_, column); }
  bool IsNull(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }
  std::string Blob(int column) const {
    const void* data = sqlite3_column_blob(stmt_, column);
    int size = sqlite3_column_bytes(stmt_, column);
    return data == nullptr ? std::string() : std::string(static_cast<const char*>(data), size);
  }

  // Resets the statement when the scope ends, so a cached statement never holds a read
  // transaction open (which would stop WAL checkpoints) after its caller is done.
  class Scope {
   public:
    explicit Scope(Statement& s) : s_(s) {}
    ~Scope() { s_.Reset(); }

   private:
    Statement& s_;
  };

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_;
};

class Connection {
 public:
  // Opens (creating when `create`) the database file at `path` with the busy timeout set.
  static Result<std::unique_ptr<Connection>> Open(const std::string& path, bool create);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Runs one or more statements that return no rows.
  Status Exec(const char* sql);
  // A cached prepared statement for `sql`. REQUIRES: `sql` is a string literal (the cache is
  // keyed by its address).
  Result<Statement*> Prepare(const char* sql);
  // The single integer that a query returns (e.g. a PRAGMA).
  Result<int64_t> QueryInt(const char* sql);
  // The single text value that a query returns.
  Result<std::string> QueryText(const char* sql);

  // An error Status for the connection's last error, prefixed with `what`.
  Status Error(std::string_view what) const;
  sqlite3* raw() { return db_; }

 private:
  explicit Connection(sqlite3* db) : db_(db) {}

  sqlite3* db_;
  std::unordered_map<const char*, std::unique_ptr<Statement>> statements_;
};

// The Status for an SQLite result code: kUnavailable for a full disk or I/O error, kInternal
// for corruption and everything else.
Status SqliteError(int code, std::string_view what, std::string_view detail);

}  // namespace kstack::store::internal
