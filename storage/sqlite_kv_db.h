// The embedded KV database: one SQLite file holding every namespace, used synchronously by one
// thread at a time (SqliteKvStore runs it on the libuv thread pool, one batch at a time).
//
// Schema (PRAGMA user_version 1):
//   CREATE TABLE kv (ns TEXT NOT NULL, key BLOB NOT NULL, expiration INTEGER, metadata TEXT,
//                    value BLOB NOT NULL, PRIMARY KEY (ns, key));
//   CREATE INDEX kv_expiration ON kv (expiration) WHERE expiration IS NOT NULL;
// Keys are BLOBs so they compare with memcmp (UTF-8 byte order) whatever bytes they hold. The value
// column comes last so reading expiration or metadata never walks a large value's overflow pages.
// An expired row is invisible to reads and deleted lazily by purgeExpired.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "storage/kv_store.h"

namespace pactown::storage {

class SqliteKvDatabase {
 public:
  // Opens or creates `file` in WAL mode with synchronous=FULL, creating the schema if needed.
  static std::unique_ptr<SqliteKvDatabase> open(const std::filesystem::path& file,
                                                std::string* error);
  ~SqliteKvDatabase();
  SqliteKvDatabase(const SqliteKvDatabase&) = delete;
  SqliteKvDatabase& operator=(const SqliteKvDatabase&) = delete;

  enum class TransactionKind { kRead, kWrite };
  // kWrite takes the write lock up front (BEGIN IMMEDIATE), waiting up to the busy timeout.
  KvStatus begin(TransactionKind kind);
  KvStatus commit();
  void rollback();  // no-op outside a transaction
  bool inTransaction() const;

  KvGetResult get(const std::string& ns, std::string_view key, int64_t nowMs);
  KvStatus put(const std::string& ns, std::string_view key, std::string_view value,
               const KvPutOptions& options);
  KvStatus remove(const std::string& ns, std::string_view key);
  KvListResult list(const std::string& ns, const KvListOptions& options, int64_t nowMs);
  // Deletes up to `maxRows` expired rows of any namespace.
  KvStatus purgeExpired(int64_t nowMs, int maxRows);

  static constexpr int kBusyTimeoutMs = 10000;

 private:
  explicit SqliteKvDatabase(sqlite3* db) : db_(db) {}
  sqlite3_stmt* statement(const std::string& sql, std::string* error);
  KvStatus exec(const char* sql);
  KvStatus failure(const char* what) const;

  sqlite3* db_;
  std::map<std::string, sqlite3_stmt*> statements_;
};

}  // namespace pactown::storage
