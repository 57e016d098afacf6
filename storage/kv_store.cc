#include "storage/kv_store.h"

#include "storage/redis_kv_store.h"
#include "storage/redis_url.h"
#include "storage/sqlite_kv_db.h"
#include "storage/sqlite_kv_store.h"

namespace pactown::storage {

KvBytes KvBytes::copyOf(std::string_view bytes) { return fromString(std::string(bytes)); }

KvBytes KvBytes::fromString(std::string&& bytes) {
  auto owner = std::make_shared<const std::string>(std::move(bytes));
  const char* data = owner->data();
  size_t size = owner->size();
  return KvBytes(std::move(owner), data, size);
}

std::unique_ptr<KvStore> makeKvStore(uv_loop_t* loop, const KvStoreConfig& config,
                                     std::string* error) {
  std::string ignored;
  if (error == nullptr) error = &ignored;
  if (config.redisUrl) {
    std::optional<RedisEndpoint> endpoint = parseRedisUrl(*config.redisUrl, error);
    if (!endpoint) return nullptr;
    RedisConnection::Options options;
    options.operationTimeout = config.operationTimeout;
    options.maxReconnectDelay = config.maxReconnectDelay;
    return std::make_unique<RedisKvStore>(loop, std::move(*endpoint), options);
  }
  return SqliteKvStore::open(loop, config.stateDir, error);
}

std::optional<std::string> checkKvStoreConfig(const KvStoreConfig& config) {
  std::string error;
  if (config.redisUrl) {
    if (!parseRedisUrl(*config.redisUrl, &error)) return error;
    if (config.operationTimeout.count() <= 0) return "the Redis operation timeout must be positive";
    return std::nullopt;
  }
  uv_loop_t loop;
  uv_loop_init(&loop);
  std::unique_ptr<SqliteKvStore> store = SqliteKvStore::open(&loop, config.stateDir, &error);
  store.reset();
  uv_run(&loop, UV_RUN_DEFAULT);
  uv_loop_close(&loop);
  if (!error.empty()) return error;
  return std::nullopt;
}

}  // namespace pactown::storage
