#include "storage/sqlite_kv_store.h"

#include <algorithm>
#include <chrono>
#include <system_error>
#include <vector>

#include "runtime/check.h"
#include "storage/sqlite_kv_db.h"

namespace pactown::storage {
namespace {

int64_t unixNowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

struct SqliteKvStore::Job {
  uv_work_t req;
  SqliteKvStore* store;  // null once the store is destroyed: results are then dropped
  std::shared_ptr<SqliteKvDatabase> db;
  std::vector<Op> ops;
};

std::filesystem::path SqliteKvStore::databasePath(const std::string& stateDir) {
  return std::filesystem::path(stateDir) / "kv" / "kv.sqlite";
}

std::unique_ptr<SqliteKvStore> SqliteKvStore::open(uv_loop_t* loop, const std::string& stateDir,
                                                   std::string* error) {
  std::filesystem::path file = databasePath(stateDir);
  std::error_code ec;
  std::filesystem::create_directories(file.parent_path(), ec);
  if (ec) {
    *error =
        "cannot create KV state directory " + file.parent_path().string() + ": " + ec.message();
    return nullptr;
  }
  std::shared_ptr<SqliteKvDatabase> db = SqliteKvDatabase::open(file, error);
  if (db == nullptr) return nullptr;
  return std::unique_ptr<SqliteKvStore>(new SqliteKvStore(loop, std::move(db)));
}

SqliteKvStore::SqliteKvStore(uv_loop_t* loop, std::shared_ptr<SqliteKvDatabase> db)
    : loop_(loop), db_(std::move(db)) {}

SqliteKvStore::~SqliteKvStore() {
  // The batch on the pool finishes on its own; it holds the database until then.
  if (inFlight_ != nullptr) inFlight_->store = nullptr;
}

void SqliteKvStore::get(const std::string& ns, const std::string& key, KvGetCallback done) {
  auto result = std::make_shared<KvGetResult>();
  Op op;
  op.run = [ns, key, result](SqliteKvDatabase& db, int64_t now) {
    *result = db.get(ns, key, now);
    return result->status;
  };
  op.deliver = [result, done = std::move(done)](const KvStatus&) { done(std::move(*result)); };
  enqueue(std::move(op));
}

void SqliteKvStore::getMany(const std::string& ns, std::vector<std::string> keys,
                            KvGetManyCallback done) {
  auto result = std::make_shared<KvGetManyResult>();
  Op op;
  op.run = [ns, keys = std::move(keys), result](SqliteKvDatabase& db, int64_t now) {
    result->entries.clear();
    for (const std::string& key : keys) {
      KvGetResult entry = db.get(ns, key, now);
      if (!entry.status.ok) {
        *result = {entry.status, {}};
        break;
      }
      result->entries.push_back(std::move(entry));
    }
    return result->status;
  };
  op.deliver = [result, done = std::move(done)](const KvStatus&) { done(std::move(*result)); };
  enqueue(std::move(op));
}

void SqliteKvStore::put(const std::string& ns, const std::string& key, KvBytes value,
                        KvPutOptions options, KvDoneCallback done) {
  Op op;
  op.write = true;
  op.bytes = value.size();
  op.run = [ns, key, value = std::move(value), options = std::move(options)](
               SqliteKvDatabase& db, int64_t) { return db.put(ns, key, value.view(), options); };
  op.deliver = [done = std::move(done)](const KvStatus& status) { done(status); };
  enqueue(std::move(op));
}

void SqliteKvStore::remove(const std::string& ns, const std::string& key, KvDoneCallback done) {
  Op op;
  op.write = true;
  op.run = [ns, key](SqliteKvDatabase& db, int64_t) { return db.remove(ns, key); };
  op.deliver = [done = std::move(done)](const KvStatus& status) { done(status); };
  enqueue(std::move(op));
}

void SqliteKvStore::list(const std::string& ns, KvListOptions options, KvListCallback done) {
  auto result = std::make_shared<KvListResult>();
  Op op;
  op.run = [ns, options = std::move(options), result](SqliteKvDatabase& db, int64_t now) {
    *result = db.list(ns, options, now);
    return result->status;
  };
  op.deliver = [result, done = std::move(done)](const KvStatus&) { done(std::move(*result)); };
  enqueue(std::move(op));
}

void SqliteKvStore::enqueue(Op op) {
  queue_.push_back(std::move(op));
  if (inFlight_ == nullptr) startJob();
}

void SqliteKvStore::startJob() {
  auto* job = new Job{};
  job->req.data = job;
  job->store = this;
  job->db = db_;
  size_t bytes = 0;
  while (!queue_.empty() && job->ops.size() < kMaxBatchOps) {
    Op& next = queue_.front();
    if (!job->ops.empty() && bytes + next.bytes > kMaxBatchBytes) break;
    bytes += next.bytes;
    job->ops.push_back(std::move(next));
    queue_.pop_front();
  }
  inFlight_ = job;
  PT_CHECK(uv_queue_work(loop_, &job->req, runJob, afterJob) == 0);
}

// Pool thread. Operations run in submission order inside one transaction, so a read sees the
// writes queued before it.
void SqliteKvStore::runJob(uv_work_t* req) {
  auto* job = static_cast<Job*>(req->data);
  SqliteKvDatabase& db = *job->db;
  int64_t now = unixNowMs();
  bool anyWrite =
      std::any_of(job->ops.begin(), job->ops.end(), [](const Op& op) { return op.write; });
  using Kind = SqliteKvDatabase::TransactionKind;

  if (!anyWrite) {
    // One read transaction gives the batch a consistent snapshot; without it, each read still runs.
    bool inTransaction = db.begin(Kind::kRead).ok;
    for (Op& op : job->ops) op.status = op.run(db, now);
    if (inTransaction && !db.commit().ok) db.rollback();
    return;
  }

  KvStatus status = db.begin(Kind::kWrite);
  if (status.ok) {
    for (Op& op : job->ops) {
      op.status = op.run(db, now);
      if (op.write && !op.status.ok) {
        status = op.status;
        break;
      }
    }
    if (status.ok) db.purgeExpired(now, kPurgePerBatch);  // best effort: reads filter anyway
    if (status.ok) status = db.commit();
    if (status.ok) return;
    db.rollback();
  }
  if (job->ops.size() == 1 && !job->ops[0].status.ok) return;

  // Something failed: one transaction per write, so only the failing write reports an error.
  for (Op& op : job->ops) {
    if (!op.write) {
      op.status = op.run(db, now);
      continue;
    }
    op.status = db.begin(Kind::kWrite);
    if (!op.status.ok) continue;
    op.status = op.run(db, now);
    if (op.status.ok) op.status = db.commit();
    if (!op.status.ok) db.rollback();
  }
}

void SqliteKvStore::afterJob(uv_work_t* req, int status) {
  std::unique_ptr<Job> job(static_cast<Job*>(req->data));
  PT_CHECK(status == 0);  // jobs are never cancelled
  for (Op& op : job->ops) {
    // A callback may destroy the store: the remaining completions are then dropped.
    if (job->store == nullptr) return;
    op.deliver(op.status);
  }
  SqliteKvStore* store = job->store;
  if (store == nullptr) return;
  store->inFlight_ = nullptr;
  if (!store->queue_.empty()) store->startJob();
}

}  // namespace pactown::storage
