// A SQLite database file written once, from scratch, in one transaction (Debian's libsqlite3).
//
//   SqliteFile db(dir / "results.sqlite.tmp");            // creates; throws OutputError
//   db.exec("CREATE TABLE t (a INTEGER, b REAL)");
//   SqliteFile::Statement insert = db.prepare("INSERT INTO t VALUES (?, ?)");
//   insert.bind_int(1, 7); insert.bind_double(2, 0.5); insert.step();
//   db.commit();                                           // writes and closes
//
// Determinism: the file's bytes depend only on the statements executed and their order (no
// timestamps, no journal left behind: journal_mode OFF while building, since the file is
// written to a temporary name and renamed into place only once complete).
//
// Thread safety: none; one writer.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace cascade::output {

class SqliteFile {
 public:
  class Statement {
   public:
    Statement(Statement&&) noexcept;
    Statement& operator=(Statement&&) = delete;
    ~Statement();
    void bind_int(int index, std::int64_t value);
    void bind_double(int index, double value);  ///< non-finite values are stored as NULL
    void bind_text(int index, std::string_view value);
    void bind_null(int index);
    /// Executes the bound statement and resets it for the next row. Throws OutputError.
    void step();

   private:
    friend class SqliteFile;
    Statement(sqlite3_stmt* stmt, const SqliteFile& owner) : stmt_(stmt), owner_(&owner) {}
    void check(int rc, const char* what) const;
    sqlite3_stmt* stmt_;
    const SqliteFile* owner_;
  };

  /// Creates a new database at `path` (an existing file is removed first) and begins a
  /// transaction. Throws OutputError.
  explicit SqliteFile(std::filesystem::path path);
  ~SqliteFile();
  SqliteFile(const SqliteFile&) = delete;
  SqliteFile& operator=(const SqliteFile&) = delete;

  void exec(const std::string& sql);
  Statement prepare(const std::string& sql);
  /// Commits the transaction and closes the file. Throws OutputError. Call once.
  void commit();

  /// `name` as a quoted SQL identifier ("a""b").
  static std::string quote_identifier(std::string_view name);

 private:
  [[noreturn]] void fail(const std::string& what) const;
  std::filesystem::path path_;
  sqlite3* db_ = nullptr;
};

}  // namespace cascade::output
