// Embedded (SQLite) KV store specifics: durability across kill -9, several threads on one file,
// purging of expired rows, the on-disk schema, and open failures.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <fstream>
#include <thread>

#include "storage/sqlite_kv_store.h"
#include "tests/unit/kv_test_util.h"

namespace pactown::storage {
namespace {

using namespace kvtest;  // NOLINT: the KV test helpers

KvStoreConfig sqliteConfig(const std::string& dir) {
  KvStoreConfig config;
  config.stateDir = dir;
  return config;
}

// Runs one SQL query on the store's file with a separate connection; returns the first column of
// the first row as text.
std::string queryDatabase(const std::string& stateDir, const std::string& sql) {
  sqlite3* db = nullptr;
  std::string path = SqliteKvStore::databasePath(stateDir).string();
  EXPECT_EQ(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  std::string out;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK &&
      sqlite3_step(stmt) == SQLITE_ROW && sqlite3_column_text(stmt, 0) != nullptr) {
    out = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return out;
}

TEST(SqliteKvStoreTest, SchemaAndWalMode) {
  TempDir dir;
  EXPECT_FALSE(checkKvStoreConfig(sqliteConfig(dir.path())));
  EXPECT_TRUE(std::filesystem::exists(dir.path() + "/kv/kv.sqlite"));
  EXPECT_EQ(queryDatabase(dir.path(), "PRAGMA journal_mode"), "wal");
  EXPECT_EQ(queryDatabase(dir.path(), "PRAGMA user_version"), "1");
  EXPECT_EQ(queryDatabase(dir.path(), "SELECT count(*) FROM kv"), "0");
}

TEST(SqliteKvStoreTest, OpenFailuresAreReported) {
  TempDir dir;
  std::string file = dir.path() + "/not-a-dir";
  std::ofstream(file) << "x";
  std::optional<std::string> problem = checkKvStoreConfig(sqliteConfig(file));
  ASSERT_TRUE(problem);
  EXPECT_NE(problem->find("cannot create KV state directory"), std::string::npos) << *problem;

  // A file that is not a database.
  std::filesystem::create_directories(dir.path() + "/bad/kv");
  std::ofstream(dir.path() + "/bad/kv/kv.sqlite") << std::string(4096, 'x');
  LoopDriver driver;
  std::string error;
  EXPECT_EQ(makeKvStore(driver.loop(), sqliteConfig(dir.path() + "/bad"), &error), nullptr);
  EXPECT_NE(error.find("cannot open KV database"), std::string::npos) << error;
}

TEST(SqliteKvStoreTest, ExpiredRowsArePurgedByLaterWrites) {
  TempDir dir;
  LoopDriver driver;
  auto store = makeKvStore(driver.loop(), sqliteConfig(dir.path()));
  ASSERT_NE(store, nullptr);
  int64_t past = unixNowMs() / 1000 - 10;
  // The store trusts its inputs: a past expiration is accepted, and the row is invisible at once.
  ASSERT_TRUE(kvPut(driver, *store, "ns", "old", "v", {past, {}}).ok);
  EXPECT_FALSE(kvGet(driver, *store, "ns", "old").found);
  EXPECT_TRUE(kvList(driver, *store, "ns").keys.empty());
  ASSERT_TRUE(kvPut(driver, *store, "ns", "new", "v").ok);
  EXPECT_EQ(queryDatabase(dir.path(), "SELECT count(*) FROM kv"), "1");
  EXPECT_EQ(queryDatabase(dir.path(), "SELECT CAST(key AS TEXT) FROM kv"), "new");
}

// A put whose callback reported success survives kill -9 of the process right after it.
TEST(SqliteKvStoreTest, AcknowledgedPutsSurviveKill9) {
  TempDir dir;
  ASSERT_FALSE(checkKvStoreConfig(sqliteConfig(dir.path())));
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    // Child: put keys one after another, reporting each acknowledgement on the pipe.
    close(fds[0]);
    uv_loop_t loop;
    uv_loop_init(&loop);
    std::string error;
    auto store = makeKvStore(&loop, sqliteConfig(dir.path()), &error);
    if (store == nullptr) _exit(2);
    std::function<void(int)> next = [&](int i) {
      store->put("ns", "key" + std::to_string(i), KvBytes::copyOf(std::string(1000, 'v')), {},
                 [&, i](KvStatus status) {
                   if (!status.ok) _exit(3);
                   if (write(fds[1], &i, sizeof i) != sizeof i) _exit(4);
                   next(i + 1);
                 });
    };
    next(0);
    uv_run(&loop, UV_RUN_DEFAULT);
    _exit(5);
  }
  close(fds[1]);
  int acked = -1;
  int value;
  while (acked < 40 && read(fds[0], &value, sizeof value) == sizeof value) acked = value;
  kill(child, SIGKILL);
  int status = 0;
  waitpid(child, &status, 0);
  EXPECT_TRUE(WIFSIGNALED(status)) << "child exited early with " << WEXITSTATUS(status);
  // Acknowledgements already in the pipe were sent before the kill.
  while (read(fds[0], &value, sizeof value) == sizeof value) acked = value;
  close(fds[0]);
  ASSERT_GE(acked, 40);

  LoopDriver driver;
  auto store = makeKvStore(driver.loop(), sqliteConfig(dir.path()));
  ASSERT_NE(store, nullptr);
  std::vector<std::string> keys;
  for (int i = 0; i <= acked; ++i) keys.push_back("key" + std::to_string(i));
  KvGetManyResult result = kvGetMany(driver, *store, "ns", keys);
  ASSERT_TRUE(result.status.ok) << result.status.message;
  for (int i = 0; i <= acked; ++i) EXPECT_TRUE(result.entries[i].found) << keys[i];
}

// Each loop thread has its own store; they share the file through WAL and the busy timeout.
TEST(SqliteKvStoreTest, SeveralThreadsWriteTheSameFile) {
  TempDir dir;
  ASSERT_FALSE(checkKvStoreConfig(sqliteConfig(dir.path())));
  constexpr int kThreads = 3;
  constexpr int kPuts = 150;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      LoopDriver driver;
      auto store = makeKvStore(driver.loop(), sqliteConfig(dir.path()));
      if (store == nullptr) {
        ++failures;
        return;
      }
      int done = 0;
      for (int i = 0; i < kPuts; ++i) {
        std::string key = "t" + std::to_string(t) + "-" + std::to_string(i);
        store->put("ns", key, KvBytes::copyOf(key), {}, [&](KvStatus status) {
          if (!status.ok) ++failures;
          ++done;
        });
        // Some waiting between bursts so the threads' batches interleave.
        if (i % 25 == 24) driver.runUntil([&] { return done == i + 1; });
      }
      if (!driver.runUntil([&] { return done == kPuts; }, 30s)) ++failures;
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(queryDatabase(dir.path(), "SELECT count(*) FROM kv"), std::to_string(kThreads * kPuts));
}

}  // namespace
}  // namespace pactown::storage
