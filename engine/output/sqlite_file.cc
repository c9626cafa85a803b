#include "engine/output/sqlite_file.h"

#include <sqlite3.h>

#include <cmath>
#include <utility>

#include "engine/output/staging_directory.h"

namespace cascade::output {

void SqliteFile::fail(const std::string& what) const {
  const std::string reason = db_ ? sqlite3_errmsg(db_) : "out of memory";
  throw OutputError("cannot write '" + path_.string() + "' (" + what + "): " + reason);
}

SqliteFile::SqliteFile(std::filesystem::path path) : path_(std::move(path)) {
  std::error_code ec;
  std::filesystem::remove(path_, ec);
  if (sqlite3_open_v2(path_.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) != SQLITE_OK) {
    const std::string reason = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    db_ = nullptr;
    throw OutputError("cannot create '" + path_.string() + "': " + reason);
  }
  exec("PRAGMA journal_mode=OFF");
  exec("PRAGMA synchronous=OFF");
  exec("PRAGMA page_size=4096");
  exec("BEGIN");
}

SqliteFile::~SqliteFile() { sqlite3_close(db_); }

void SqliteFile::exec(const std::string& sql) {
  char* message = nullptr;
  if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
    const std::string reason = message ? message : "unknown error";
    sqlite3_free(message);
    throw OutputError("cannot write '" + path_.string() + "': " + reason + " (in: " + sql.substr(0, 80) + ")");
  }
}

SqliteFile::Statement SqliteFile::prepare(const std::string& sql) {
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) fail("preparing " + sql.substr(0, 80));
  return Statement(stmt, *this);
}

void SqliteFile::commit() {
  exec("COMMIT");
  if (sqlite3_close(db_) != SQLITE_OK) fail("closing");
  db_ = nullptr;
}

std::string SqliteFile::quote_identifier(std::string_view name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + '"';
}

SqliteFile::Statement::Statement(Statement&& o) noexcept : stmt_(std::exchange(o.stmt_, nullptr)), owner_(o.owner_) {}
SqliteFile::Statement::~Statement() { sqlite3_finalize(stmt_); }

void SqliteFile::Statement::check(int rc, const char* what) const {
  if (rc != SQLITE_OK && rc != SQLITE_DONE) owner_->fail(what);
}
void SqliteFile::Statement::bind_int(int index, std::int64_t value) {
  check(sqlite3_bind_int64(stmt_, index, value), "binding an integer");
}
void SqliteFile::Statement::bind_double(int index, double value) {
  if (!std::isfinite(value)) return bind_null(index);
  check(sqlite3_bind_double(stmt_, index, value), "binding a number");
}
void SqliteFile::Statement::bind_text(int index, std::string_view value) {
  check(sqlite3_bind_text(stmt_, index, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT),
        "binding a text");
}
void SqliteFile::Statement::bind_null(int index) { check(sqlite3_bind_null(stmt_, index), "binding a null"); }
void SqliteFile::Statement::step() {
  check(sqlite3_step(stmt_), "inserting a row");
  check(sqlite3_reset(stmt_), "resetting a statement");
  check(sqlite3_clear_bindings(stmt_), "clearing bindings");
}

}  // namespace cascade::output
