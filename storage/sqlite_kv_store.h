// The embedded KV backend: SqliteKvDatabase driven from a libuv loop.
//
// Operations queue on the loop thread and run in batches on the libuv thread pool, one batch at a
// time per store. A batch with writes is one transaction (one WAL fsync for all of its puts and
// deletes); if it fails, its operations are retried one transaction each so that only the failing
// one reports an error. The loop thread never waits for SQLite or fsync. Completions are delivered
// on the loop thread, in submission order.
#pragma once

#include <uv.h>

#include <deque>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include "storage/kv_store.h"

namespace pactown::storage {

class SqliteKvDatabase;

class SqliteKvStore final : public KvStore {
 public:
  // Opens <stateDir>/kv/kv.sqlite, creating directories and schema as needed.
  static std::unique_ptr<SqliteKvStore> open(uv_loop_t* loop, const std::string& stateDir,
                                             std::string* error);
  static std::filesystem::path databasePath(const std::string& stateDir);
  ~SqliteKvStore() override;

  void get(const std::string& ns, const std::string& key, KvGetCallback done) override;
  void getMany(const std::string& ns, std::vector<std::string> keys,
               KvGetManyCallback done) override;
  void put(const std::string& ns, const std::string& key, KvBytes value, KvPutOptions options,
           KvDoneCallback done) override;
  void remove(const std::string& ns, const std::string& key, KvDoneCallback done) override;
  void list(const std::string& ns, KvListOptions options, KvListCallback done) override;
  std::string_view backendName() const override { return "sqlite"; }

  // Limits on one batch: operations, and value bytes written.
  static constexpr size_t kMaxBatchOps = 256;
  static constexpr size_t kMaxBatchBytes = 64 << 20;
  // Expired rows deleted per write batch.
  static constexpr int kPurgePerBatch = 64;

 private:
  struct Op {
    bool write = false;
    size_t bytes = 0;                                               // value bytes a write carries
    std::function<KvStatus(SqliteKvDatabase&, int64_t nowMs)> run;  // pool thread
    std::function<void(const KvStatus&)> deliver;  // loop thread; writes get their commit status
    KvStatus status;
  };
  struct Job;

  SqliteKvStore(uv_loop_t* loop, std::shared_ptr<SqliteKvDatabase> db);
  void enqueue(Op op);
  void startJob();
  static void runJob(uv_work_t* req);
  static void afterJob(uv_work_t* req, int status);

  uv_loop_t* loop_;
  std::shared_ptr<SqliteKvDatabase> db_;  // shared with the job on the pool
  std::deque<Op> queue_;
  Job* inFlight_ = nullptr;
};

}  // namespace pactown::storage
