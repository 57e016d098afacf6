#include "storage/sqlite_kv_db.h"

#include <algorithm>
#include <cstdlib>
#include <vector>

#include "storage/kv_cursor.h"

namespace pactown::storage {
namespace {

constexpr int kSchemaVersion = 1;

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS kv (
  ns TEXT NOT NULL,
  key BLOB NOT NULL,
  expiration INTEGER,
  metadata TEXT,
  value BLOB NOT NULL,
  PRIMARY KEY (ns, key)
);
CREATE INDEX IF NOT EXISTS kv_expiration ON kv (expiration) WHERE expiration IS NOT NULL;
)sql";

// Resets and unbinds a cached statement when the operation using it ends.
class StatementUse {
 public:
  explicit StatementUse(sqlite3_stmt* stmt) : stmt_(stmt) {}
  ~StatementUse() {
    if (stmt_ == nullptr) return;
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  StatementUse(const StatementUse&) = delete;
  StatementUse& operator=(const StatementUse&) = delete;

 private:
  sqlite3_stmt* stmt_;
};

// Keys are always bound as BLOBs (never NULL, even when empty) so comparisons are memcmp.
void bindBlob(sqlite3_stmt* stmt, int index, std::string_view bytes) {
  if (bytes.empty()) {
    sqlite3_bind_zeroblob(stmt, index, 0);
  } else {
    sqlite3_bind_blob64(stmt, index, bytes.data(), bytes.size(), SQLITE_STATIC);
  }
}

void bindText(sqlite3_stmt* stmt, int index, std::string_view text) {
  sqlite3_bind_text64(stmt, index, text.data(), text.size(), SQLITE_STATIC, SQLITE_UTF8);
}

std::string columnBytes(sqlite3_stmt* stmt, int column) {
  const void* data = sqlite3_column_blob(stmt, column);
  int size = sqlite3_column_bytes(stmt, column);
  return data == nullptr ? std::string() : std::string(static_cast<const char*>(data), size);
}

std::optional<std::string> columnOptionalText(sqlite3_stmt* stmt, int column) {
  if (sqlite3_column_type(stmt, column) == SQLITE_NULL) return std::nullopt;
  const unsigned char* text = sqlite3_column_text(stmt, column);
  int size = sqlite3_column_bytes(stmt, column);
  return std::string(reinterpret_cast<const char*>(text), size);
}

std::optional<int64_t> columnOptionalInt(sqlite3_stmt* stmt, int column) {
  if (sqlite3_column_type(stmt, column) == SQLITE_NULL) return std::nullopt;
  return sqlite3_column_int64(stmt, column);
}

}  // namespace

std::unique_ptr<SqliteKvDatabase> SqliteKvDatabase::open(const std::filesystem::path& file,
                                                         std::string* error) {
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(file.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  std::unique_ptr<SqliteKvDatabase> db(new SqliteKvDatabase(raw));
  auto fail = [&](const std::string& what) {
    *error = "cannot open KV database " + file.string() + ": " + what +
             (raw != nullptr ? std::string(": ") + sqlite3_errmsg(raw) : std::string());
    return nullptr;
  };
  if (rc != SQLITE_OK) return fail("open");
  sqlite3_extended_result_codes(raw, 1);
  sqlite3_busy_timeout(raw, kBusyTimeoutMs);

  // WAL lets readers proceed while a writer commits, and lets several threads and processes share
  // the file. synchronous=FULL makes every commit fsync the WAL before it returns: an acknowledged
  // put survives a process kill and a power loss (NORMAL would survive only the former).
  std::string mode;
  rc = sqlite3_exec(
      raw, "PRAGMA journal_mode=WAL",
      [](void* out, int, char** values, char**) {
        *static_cast<std::string*>(out) = values[0] ? values[0] : "";
        return 0;
      },
      &mode, nullptr);
  if (rc != SQLITE_OK) return fail("PRAGMA journal_mode");
  if (mode != "wal") {
    *error = "cannot open KV database " + file.string() + ": WAL mode unavailable (" + mode + ")";
    return nullptr;
  }
  for (const char* pragma : {"PRAGMA synchronous=FULL", "PRAGMA journal_size_limit=67108864"}) {
    if (!db->exec(pragma).ok) return fail(pragma);
  }

  if (!db->begin(TransactionKind::kWrite).ok) return fail("BEGIN");
  int version = -1;
  sqlite3_exec(
      raw, "PRAGMA user_version",
      [](void* out, int, char** values, char**) {
        *static_cast<int*>(out) = values[0] ? std::atoi(values[0]) : 0;
        return 0;
      },
      &version, nullptr);
  if (version > kSchemaVersion) {
    db->rollback();
    *error = "KV database " + file.string() + " has schema version " + std::to_string(version) +
             ", newer than this pactown-run understands (" + std::to_string(kSchemaVersion) + ")";
    return nullptr;
  }
  if (version < kSchemaVersion) {
    if (!db->exec(kSchema).ok) return fail("schema");
    std::string setVersion = "PRAGMA user_version=" + std::to_string(kSchemaVersion);
    if (!db->exec(setVersion.c_str()).ok) return fail("schema version");
  }
  if (!db->commit().ok) return fail("COMMIT");
  return db;
}

SqliteKvDatabase::~SqliteKvDatabase() {
  for (auto& [sql, stmt] : statements_) sqlite3_finalize(stmt);
  sqlite3_close(db_);
}

KvStatus SqliteKvDatabase::failure(const char* what) const {
  return KvStatus::failure(std::string(what) + ": " + sqlite3_errmsg(db_));
}

KvStatus SqliteKvDatabase::exec(const char* sql) {
  if (sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) != SQLITE_OK) return failure("SQLite");
  return KvStatus::success();
}

sqlite3_stmt* SqliteKvDatabase::statement(const std::string& sql, std::string* error) {
  auto it = statements_.find(sql);
  if (it != statements_.end()) return it->second;
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v3(db_, sql.c_str(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                         &stmt, nullptr) != SQLITE_OK) {
    *error = std::string("SQLite prepare: ") + sqlite3_errmsg(db_);
    return nullptr;
  }
  statements_.emplace(sql, stmt);
  return stmt;
}

KvStatus SqliteKvDatabase::begin(TransactionKind kind) {
  return exec(kind == TransactionKind::kWrite ? "BEGIN IMMEDIATE" : "BEGIN");
}

KvStatus SqliteKvDatabase::commit() { return exec("COMMIT"); }

void SqliteKvDatabase::rollback() {
  if (inTransaction()) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
}

bool SqliteKvDatabase::inTransaction() const { return sqlite3_get_autocommit(db_) == 0; }

KvGetResult SqliteKvDatabase::get(const std::string& ns, std::string_view key, int64_t nowMs) {
  KvGetResult result;
  std::string error;
  sqlite3_stmt* stmt = statement(
      "SELECT value, metadata, expiration FROM kv WHERE ns = ?1 AND key = ?2 "
      "AND (expiration IS NULL OR expiration * 1000 > ?3)",
      &error);
  if (stmt == nullptr) return KvGetResult::failed(error);
  StatementUse use(stmt);
  bindText(stmt, 1, ns);
  bindBlob(stmt, 2, key);
  sqlite3_bind_int64(stmt, 3, nowMs);
  int rc = sqlite3_step(stmt);
  if (rc == SQLITE_ROW) {
    result.found = true;
    result.value = columnBytes(stmt, 0);
    result.metadata = columnOptionalText(stmt, 1);
    result.expiration = columnOptionalInt(stmt, 2);
  } else if (rc != SQLITE_DONE) {
    result.status = failure("SQLite read");
  }
  return result;
}

KvStatus SqliteKvDatabase::put(const std::string& ns, std::string_view key, std::string_view value,
                               const KvPutOptions& options) {
  std::string error;
  sqlite3_stmt* stmt = statement(
      "INSERT OR REPLACE INTO kv (ns, key, expiration, metadata, value) "
      "VALUES (?1, ?2, ?3, ?4, ?5)",
      &error);
  if (stmt == nullptr) return KvStatus::failure(error);
  StatementUse use(stmt);
  bindText(stmt, 1, ns);
  bindBlob(stmt, 2, key);
  if (options.expiration) sqlite3_bind_int64(stmt, 3, *options.expiration);
  if (options.metadata) bindText(stmt, 4, *options.metadata);
  bindBlob(stmt, 5, value);
  if (sqlite3_step(stmt) != SQLITE_DONE) return failure("SQLite write");
  return KvStatus::success();
}

KvStatus SqliteKvDatabase::remove(const std::string& ns, std::string_view key) {
  std::string error;
  sqlite3_stmt* stmt = statement("DELETE FROM kv WHERE ns = ?1 AND key = ?2", &error);
  if (stmt == nullptr) return KvStatus::failure(error);
  StatementUse use(stmt);
  bindText(stmt, 1, ns);
  bindBlob(stmt, 2, key);
  if (sqlite3_step(stmt) != SQLITE_DONE) return failure("SQLite delete");
  return KvStatus::success();
}

KvListResult SqliteKvDatabase::list(const std::string& ns, const KvListOptions& options,
                                    int64_t nowMs) {
  KvListResult result;
  uint32_t limit = std::clamp<uint32_t>(options.limit, 1, 1000);
  // The range starts at the prefix, or just after the cursor's key when that is further on.
  std::string lower = options.prefix;
  bool exclusive = false;
  if (!options.cursor.empty()) {
    std::optional<std::string> after = decodeCursor(options.cursor);
    if (!after) return KvListResult::failed("Invalid cursor");
    if (*after >= lower) {
      lower = std::move(*after);
      exclusive = true;
    }
  }
  std::optional<std::string> upper = prefixEnd(options.prefix);
  if (upper && lower >= *upper) return result;

  std::string sql = "SELECT key, expiration, metadata FROM kv WHERE ns = ?1 AND key ";
  sql += exclusive ? "> ?2" : ">= ?2";
  if (upper) sql += " AND key < ?5";
  sql += " AND (expiration IS NULL OR expiration * 1000 > ?3) ORDER BY key LIMIT ?4";
  std::string error;
  sqlite3_stmt* stmt = statement(sql, &error);
  if (stmt == nullptr) return KvListResult::failed(error);
  StatementUse use(stmt);
  bindText(stmt, 1, ns);
  bindBlob(stmt, 2, lower);
  sqlite3_bind_int64(stmt, 3, nowMs);
  sqlite3_bind_int64(stmt, 4, static_cast<int64_t>(limit) + 1);  // one more tells "not complete"
  if (upper) bindBlob(stmt, 5, *upper);
  int rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    if (result.keys.size() == limit) {
      result.listComplete = false;
      result.cursor = encodeCursor(result.keys.back().name);
      break;
    }
    result.keys.push_back(
        {columnBytes(stmt, 0), columnOptionalInt(stmt, 1), columnOptionalText(stmt, 2)});
  }
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return KvListResult::failed(failure("SQLite list").message);
  return result;
}

KvStatus SqliteKvDatabase::purgeExpired(int64_t nowMs, int maxRows) {
  std::string error;
  sqlite3_stmt* stmt = statement(
      "DELETE FROM kv WHERE rowid IN (SELECT rowid FROM kv WHERE expiration IS NOT NULL "
      "AND expiration <= ?1 LIMIT ?2)",
      &error);
  if (stmt == nullptr) return KvStatus::failure(error);
  StatementUse use(stmt);
  // expiration * 1000 <= nowMs, written so the expiration index applies.
  sqlite3_bind_int64(stmt, 1, nowMs >= 0 ? nowMs / 1000 : -1);
  sqlite3_bind_int(stmt, 2, maxRows);
  if (sqlite3_step(stmt) != SQLITE_DONE) return failure("SQLite purge");
  return KvStatus::success();
}

}  // namespace pactown::storage
