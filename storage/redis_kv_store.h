// The Redis KV backend (layout and persistence advice in storage/README.md).
//
// Key layout, shared safely by several namespaces and several pactown-run processes:
//   pt:kv:{<ns>}:k:<key>  hash: v = value bytes, m = metadata JSON (absent when none),
//                         e = expiration in unix seconds (absent when none); EXPIREAT e
//   pt:kv:{<ns>}:i        sorted set, every score 0, members = keys: ZRANGEBYLEX lists them
//                         in byte order
// <ns> is the namespace id when it only holds [A-Za-z0-9._-], else "%" and its bytes in hex, so no
// two namespaces can produce the same keys. The braces make a Redis Cluster hash tag: one
// namespace's keys share a slot.
// A put is MULTI / DEL / HSET / EXPIREAT / ZADD / EXEC, a delete MULTI / DEL / ZREM / EXEC: value,
// metadata, expiry and index change together. Redis expires the hash itself; list() runs one Lua
// script that skips index entries whose hash is gone and removes them (lazy cleanup).
#pragma once

#include <uv.h>

#include <memory>
#include <string>

#include "storage/kv_store.h"
#include "storage/loop_queue.h"
#include "storage/redis_connection.h"

namespace pactown::storage {

class RedisKvStore final : public KvStore {
 public:
  RedisKvStore(uv_loop_t* loop, RedisEndpoint endpoint, RedisConnection::Options options);
  ~RedisKvStore() override;

  void get(const std::string& ns, const std::string& key, KvGetCallback done) override;
  void getMany(const std::string& ns, std::vector<std::string> keys,
               KvGetManyCallback done) override;
  void put(const std::string& ns, const std::string& key, KvBytes value, KvPutOptions options,
           KvDoneCallback done) override;
  void remove(const std::string& ns, const std::string& key, KvDoneCallback done) override;
  void list(const std::string& ns, KvListOptions options, KvListCallback done) override;
  std::string_view backendName() const override { return "redis"; }

  // The Redis keys of an entry and of a namespace's index (exposed for tests and tooling).
  static std::string entryKey(const std::string& ns, std::string_view key);
  static std::string indexKey(const std::string& ns);

  // Index entries one list() call examines at most; past that it returns a partial page with a
  // cursor (only reachable when many expired entries await cleanup).
  static constexpr int kListScanBudget = 10000;

  bool connected() const { return connection_.ready(); }

 private:
  LoopQueue completions_;       // declared first: destroyed after the connection
  RedisConnection connection_;  // handlers post to completions_ and never run after its death
};

}  // namespace pactown::storage
