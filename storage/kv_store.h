// Workers KV storage: one asynchronous interface, two backends (embedded SQLite, Redis).
//
// Contract shared by every backend (storage/README.md has the details):
// - A store belongs to one libuv loop. Call it on that loop's thread only; each loop thread makes
//   its own store. Completion callbacks run on the same thread, always later (never inside the
//   call that started the operation), and never after the store is destroyed: destroying a store
//   drops the callbacks of operations still in flight. After destroying a store, keep running the
//   loop until its handles have closed (they close with uv_close, and SQLite work already on the
//   thread pool finishes first).
// - Operations started on one store complete in the order they were started (Redis answers an
//   invalid cursor or an empty getMany at once, ahead of earlier operations), and a read started
//   after a write on the same store sees that write.
// - Inputs are trusted (the JS layer validates key length, TTL minimums, limits), but keys, values
//   and metadata may hold arbitrary bytes, NUL included. Keys sort by their bytes (memcmp order),
//   which is lexicographic order of UTF-8 text.
// - An expired key is never returned by get, getMany or list; its storage is reclaimed lazily.
// - No V8 in storage/: bindings/kv_ops.cc turns results into JS values.
#pragma once

#include <uv.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pactown::storage {

// Bytes a store reads until the operation that received them completes. `owner` keeps `data`
// alive, so a caller hands over a buffer it already owns (a std::string, a V8 BackingStore in a
// shared_ptr) without copying it.
class KvBytes {
 public:
  KvBytes() = default;
  KvBytes(std::shared_ptr<const void> owner, const char* data, size_t size)
      : owner_(std::move(owner)), data_(data), size_(size) {}
  static KvBytes copyOf(std::string_view bytes);
  static KvBytes fromString(std::string&& bytes);

  std::string_view view() const { return {data_ ? data_ : "", size_}; }
  const char* data() const { return data_ ? data_ : ""; }
  size_t size() const { return size_; }

 private:
  std::shared_ptr<const void> owner_;
  const char* data_ = nullptr;
  size_t size_ = 0;
};

// Success, or a failure whose message the JS layer prefixes ("KV GET failed: <message>").
struct KvStatus {
  bool ok = true;
  std::string message;

  static KvStatus success() { return {}; }
  static KvStatus failure(std::string message) { return {false, std::move(message)}; }
};

struct KvGetResult {
  KvStatus status;
  bool found = false;                   // false: no such key (or it expired); status still ok
  std::string value;                    // the bytes given to put
  std::optional<std::string> metadata;  // the JSON text given to put, verbatim
  std::optional<int64_t> expiration;    // absolute unix time in seconds

  static KvGetResult failed(std::string message) {
    KvGetResult result;
    result.status = KvStatus::failure(std::move(message));
    return result;
  }
};

struct KvGetManyResult {
  KvStatus status;                   // a failure fails the whole batch; `entries` is then empty
  std::vector<KvGetResult> entries;  // entries[i] answers keys[i]; each entry's status is ok
};

struct KvListKey {
  std::string name;
  std::optional<int64_t> expiration;
  std::optional<std::string> metadata;
};

struct KvListResult {
  KvStatus status;
  std::vector<KvListKey> keys;  // ascending byte order
  bool listComplete = true;
  std::string cursor;  // opaque; non-empty exactly when listComplete is false

  static KvListResult failed(std::string message) {
    KvListResult result;
    result.status = KvStatus::failure(std::move(message));
    return result;
  }
};

struct KvPutOptions {
  std::optional<int64_t> expiration;    // absolute unix time in seconds
  std::optional<std::string> metadata;  // JSON text, stored and returned verbatim
};

struct KvListOptions {
  std::string prefix;
  uint32_t limit = 1000;  // clamped to 1..1000
  std::string cursor;     // empty, or a cursor from an earlier page of the same namespace
};

using KvGetCallback = std::function<void(KvGetResult)>;
using KvGetManyCallback = std::function<void(KvGetManyResult)>;
using KvDoneCallback = std::function<void(KvStatus)>;
using KvListCallback = std::function<void(KvListResult)>;

// `ns` is the namespace id (wrangler's kv_namespaces[].id); namespaces never see each other's keys.
class KvStore {
 public:
  virtual ~KvStore() = default;

  virtual void get(const std::string& ns, const std::string& key, KvGetCallback done) = 0;
  virtual void getMany(const std::string& ns, std::vector<std::string> keys,
                       KvGetManyCallback done) = 0;
  // Acknowledged (done called with ok) only once the write is durable on the backend's terms:
  // committed to SQLite's WAL with synchronous=FULL, or applied by Redis (see README).
  virtual void put(const std::string& ns, const std::string& key, KvBytes value,
                   KvPutOptions options, KvDoneCallback done) = 0;
  // KV's delete(); deleting a missing key succeeds.
  virtual void remove(const std::string& ns, const std::string& key, KvDoneCallback done) = 0;
  // Keys after options.cursor (or from the start) that begin with options.prefix, in byte order.
  // The cursor names the last key returned, so pages stay correct while keys are added or
  // deleted between them. A malformed cursor fails the call.
  virtual void list(const std::string& ns, KvListOptions options, KvListCallback done) = 0;

  // "sqlite" or "redis", for logs.
  virtual std::string_view backendName() const = 0;
};

struct KvStoreConfig {
  // redis://[user:password@]host[:port][/db] selects Redis; otherwise the embedded SQLite store.
  std::optional<std::string> redisUrl;
  // The embedded store keeps its database in <stateDir>/kv/kv.sqlite.
  std::string stateDir = ".pactown";
  // Redis: an operation that cannot be answered within this time (Redis unreachable, or not
  // replying) fails with an error instead of waiting longer.
  std::chrono::milliseconds operationTimeout{3000};
  // Redis: reconnect attempts back off exponentially from 50 ms up to this delay.
  std::chrono::milliseconds maxReconnectDelay{1000};
};

// Returns a store bound to `loop`, or null with a message in *error (a malformed or unsupported
// Redis URL, a state directory that cannot be created, a database that cannot be opened).
std::unique_ptr<KvStore> makeKvStore(uv_loop_t* loop, const KvStoreConfig& config,
                                     std::string* error = nullptr);

// Validates a configuration once at startup, before loop threads create their stores: parses the
// Redis URL, or creates the state directory and the SQLite schema. Returns the problem, if any.
std::optional<std::string> checkKvStoreConfig(const KvStoreConfig& config);

}  // namespace pactown::storage
