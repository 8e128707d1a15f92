#include "store/internal/sqlite_db.h"

#include <fmt/format.h>

namespace kstack::store::internal {
namespace {

// Long enough to ride out a checkpoint holding a lock; a store has one writer, so waits are
// short and rare.
constexpr int kBusyTimeoutMs = 5000;

}  // namespace

Status SqliteError(int code, std::string_view what, std::string_view detail) {
  std::string message = fmt::format("{}: {} ({})", what, detail, sqlite3_errstr(code));
  switch (code & 0xff) {
    case SQLITE_FULL:
    case SQLITE_IOERR:
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
      return UnavailableError(std::move(message));
    default:
      return InternalError(std::move(message));
  }
}

Result<bool> Statement::Step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) {
    return true;
  }
  if (rc == SQLITE_DONE) {
    return false;
  }
  return SqliteError(rc, sqlite3_sql(stmt_), sqlite3_errmsg(db_));
}

Status Statement::Run() {
  KSTACK_ASSIGN_OR_RETURN(bool row, Step());
  (void)row;
  return Status::Ok();
}

Result<std::unique_ptr<Connection>> Connection::Open(const std::string& path, bool create) {
  sqlite3* db = nullptr;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
  int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    Status status = SqliteError(rc, "open " + path, db ? sqlite3_errmsg(db) : "");
    sqlite3_close(db);
    return status;
  }
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, kBusyTimeoutMs);
  return std::unique_ptr<Connection>(new Connection(db));
}

Connection::~Connection() {
  statements_.clear();  // finalize before close, or close fails
  sqlite3_close(db_);
}

Status Connection::Error(std::string_view what) const {
  return SqliteError(sqlite3_extended_errcode(db_), what, sqlite3_errmsg(db_));
}

Status Connection::Exec(const char* sql) {
  char* error = nullptr;
  int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &error);
  if (rc != SQLITE_OK) {
    Status status = SqliteError(rc, sql, error ? error : "");
    sqlite3_free(error);
    return status;
  }
  return Status::Ok();
}

Result<Statement*> Connection::Prepare(const char* sql) {
  auto it = statements_.find(sql);
  if (it != statements_.end()) {
    return it->second.get();
  }
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) {
    return SqliteError(rc, sql, sqlite3_errmsg(db_));
  }
  auto [inserted, ok] = statements_.emplace(sql, std::make_unique<Statement>(db_, stmt));
  return inserted->second.get();
}

Result<int64_t> Connection::QueryInt(const char* sql) {
  KSTACK_ASSIGN_OR_RETURN(Statement * stmt, Prepare(sql));
  Statement::Scope scope(*stmt);
  KSTACK_ASSIGN_OR_RETURN(bool row, stmt->Step());
  return row ? stmt->Int(0) : 0;
}

Result<std::string> Connection::QueryText(const char* sql) {
  KSTACK_ASSIGN_OR_RETURN(Statement * stmt, Prepare(sql));
  Statement::Scope scope(*stmt);
  KSTACK_ASSIGN_OR_RETURN(bool row, stmt->Step());
  return row ? stmt->Blob(0) : std::string();
}

}  // namespace kstack::store::internal
