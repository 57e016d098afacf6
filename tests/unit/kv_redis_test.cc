// Redis-specific KV behaviour: URL parsing, key layout, AUTH/SELECT, lazy index cleanup, and what
// happens when Redis goes away (killed, restarted, frozen, never there).
#include <gtest/gtest.h>

#include "storage/redis_kv_store.h"
#include "storage/redis_url.h"
#include "tests/unit/kv_test_util.h"

namespace pactown::storage {
namespace {

using namespace kvtest;  // NOLINT: the KV test helpers

TEST(RedisUrlTest, ParsesHostPortDbAndCredentials) {
  std::string error;
  auto e = parseRedisUrl("redis://localhost", &error);
  ASSERT_TRUE(e) << error;
  EXPECT_EQ(e->host, "localhost");
  EXPECT_EQ(e->port, 6379);
  EXPECT_EQ(e->db, 0);
  EXPECT_FALSE(e->user);
  EXPECT_FALSE(e->password);

  e = parseRedisUrl("redis://:s%40cret@10.0.0.5:6380/2", &error);
  ASSERT_TRUE(e) << error;
  EXPECT_EQ(e->host, "10.0.0.5");
  EXPECT_EQ(e->port, 6380);
  EXPECT_EQ(e->db, 2);
  EXPECT_FALSE(e->user);
  EXPECT_EQ(e->password, "s@cret");
  EXPECT_EQ(e->describe(), "10.0.0.5:6380/2");

  e = parseRedisUrl("redis://app:p%3Aw@[::1]:7000/15", &error);
  ASSERT_TRUE(e) << error;
  EXPECT_EQ(e->host, "::1");
  EXPECT_EQ(e->port, 7000);
  EXPECT_EQ(e->db, 15);
  EXPECT_EQ(e->user, "app");
  EXPECT_EQ(e->password, "p:w");
  EXPECT_EQ(e->describe(), "[::1]:7000/15");

  e = parseRedisUrl("redis://onlypassword@host/", &error);
  ASSERT_TRUE(e) << error;
  EXPECT_FALSE(e->user);
  EXPECT_EQ(e->password, "onlypassword");
  EXPECT_EQ(e->db, 0);
}

TEST(RedisUrlTest, RejectsTlsAndMalformedUrls) {
  std::string error;
  EXPECT_FALSE(parseRedisUrl("rediss://host:6380", &error));
  EXPECT_NE(error.find("rediss:// (Redis over TLS) is not supported"), std::string::npos) << error;
  for (std::string bad :
       {"http://host", "redis://", "redis://host:", "redis://host:0", "redis://host:65536",
        "redis://host:12ab", "redis://host/x", "redis://host/-1", "redis://[::1", "redis://[::1]x",
        "redis://h?db=1", "redis://:%zz@host", "host:6379"}) {
    error.clear();
    EXPECT_FALSE(parseRedisUrl(bad, &error)) << bad;
    EXPECT_EQ(error.rfind("invalid Redis URL: ", 0), 0u) << bad << " -> " << error;
  }
  KvStoreConfig config;
  config.redisUrl = "rediss://host";
  EXPECT_TRUE(checkKvStoreConfig(config));
  uv_loop_t loop;
  uv_loop_init(&loop);
  EXPECT_EQ(makeKvStore(&loop, config, &error), nullptr);
  EXPECT_NE(error.find("TLS"), std::string::npos);
  uv_loop_close(&loop);
}

TEST(RedisKeyLayoutTest, NamespaceIdsAreEscapedUnlessPlain) {
  EXPECT_EQ(RedisKvStore::entryKey("0f1e2d", "user:1"), "pt:kv:{0f1e2d}:k:user:1");
  EXPECT_EQ(RedisKvStore::indexKey("My_NS-1.x"), "pt:kv:{My_NS-1.x}:i");
  EXPECT_EQ(RedisKvStore::indexKey("a}b"), "pt:kv:{%617d62}:i");
  EXPECT_EQ(RedisKvStore::entryKey("", "k"), "pt:kv:{%}:k:k");
}

class RedisKvTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!redisServerBinary()) GTEST_SKIP() << "redis-server is not installed";
  }
  void TearDown() override { store_.reset(); }

  void startServer(std::vector<std::string> args = {}) {
    server_ = std::make_unique<RedisServer>(std::move(args));
    ASSERT_TRUE(server_->start()) << "redis-server did not start";
  }
  void openStore(std::string url, std::chrono::milliseconds timeout = 1000ms) {
    KvStoreConfig config;
    config.redisUrl = std::move(url);
    config.operationTimeout = timeout;
    config.maxReconnectDelay = 200ms;
    std::string error;
    store_ = makeKvStore(driver_.loop(), config, &error);
    ASSERT_NE(store_, nullptr) << error;
  }
  // Retries until a put succeeds; returns how long that took.
  std::chrono::milliseconds putUntilOk(const std::string& key, std::chrono::milliseconds limit) {
    auto start = Clock::now();
    while (Clock::now() - start < limit) {
      if (kvPut(driver_, *store_, "ns", key, "v").ok) break;
      driver_.runFor(50ms);
    }
    return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
  }

  LoopDriver driver_;
  std::unique_ptr<RedisServer> server_;
  std::unique_ptr<KvStore> store_;
};

TEST_F(RedisKvTest, KeyLayoutMatchesTheDocumentation) {
  startServer();
  openStore(server_->url());
  ASSERT_TRUE(kvPut(driver_, *store_, "0f1e", "user:1", "hello", {4102444800, R"({"a":1})"}).ok);
  auto v = server_->command({"HGET", "pt:kv:{0f1e}:k:user:1", "v"});
  ASSERT_TRUE(v);
  EXPECT_EQ(std::string((*v)->str, (*v)->len), "hello");
  auto m = server_->command({"HGET", "pt:kv:{0f1e}:k:user:1", "m"});
  EXPECT_EQ(std::string((*m)->str, (*m)->len), R"({"a":1})");
  auto e = server_->command({"HGET", "pt:kv:{0f1e}:k:user:1", "e"});
  EXPECT_EQ(std::string((*e)->str, (*e)->len), "4102444800");
  auto ttl = server_->command({"EXPIRETIME", "pt:kv:{0f1e}:k:user:1"});  // Redis 7
  if ((*ttl)->type == REDIS_REPLY_INTEGER) {
    EXPECT_EQ((*ttl)->integer, 4102444800);
  }
  auto score = server_->command({"ZSCORE", "pt:kv:{0f1e}:i", "user:1"});
  EXPECT_EQ(std::string((*score)->str, (*score)->len), "0");
  ASSERT_TRUE(kvRemove(driver_, *store_, "0f1e", "user:1").ok);
  EXPECT_EQ((*server_->command({"EXISTS", "pt:kv:{0f1e}:k:user:1"}))->integer, 0);
  EXPECT_EQ((*server_->command({"ZCARD", "pt:kv:{0f1e}:i"}))->integer, 0);
}

TEST_F(RedisKvTest, ListRemovesIndexEntriesOfExpiredKeys) {
  startServer();
  openStore(server_->url());
  int64_t soon = unixNowMs() / 1000 + 1;
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(kvPut(driver_, *store_, "ns", "e" + std::to_string(i), "v", {soon, {}}).ok);
  }
  ASSERT_TRUE(kvPut(driver_, *store_, "ns", "live", "v").ok);
  EXPECT_EQ((*server_->command({"ZCARD", "pt:kv:{ns}:i"}))->integer, 6);
  driver_.runFor(std::chrono::milliseconds(soon * 1000 - unixNowMs() + 150));
  KvListResult result = kvList(driver_, *store_, "ns", {"", 2, ""});
  EXPECT_EQ(names(result), std::vector<std::string>{"live"});
  EXPECT_TRUE(result.listComplete);
  EXPECT_EQ((*server_->command({"ZCARD", "pt:kv:{ns}:i"}))->integer, 1);
}

TEST_F(RedisKvTest, AuthAndDatabaseSelection) {
  startServer({"--requirepass", "s3cret"});
  openStore(server_->url(":wrong@", 0));
  KvStatus status = kvPut(driver_, *store_, "ns", "k", "v");
  EXPECT_FALSE(status.ok);
  EXPECT_NE(status.message.find("AUTH failed"), std::string::npos) << status.message;

  store_.reset();
  openStore(server_->url(":s3cret@", 3));
  status = kvPut(driver_, *store_, "ns", "k", "in db 3");
  ASSERT_TRUE(status.ok) << status.message;
  auto reply = server_->command({"HGET", "pt:kv:{ns}:k:k", "v"}, "s3cret", 3);
  ASSERT_TRUE(reply);
  EXPECT_EQ(std::string((*reply)->str, (*reply)->len), "in db 3");
  EXPECT_EQ((*server_->command({"EXISTS", "pt:kv:{ns}:k:k"}, "s3cret", 0))->integer, 0);
}

TEST_F(RedisKvTest, OperationsFailWithinTheBoundWhenRedisIsNotThere) {
  int port = freeLoopbackPort();  // nothing listens here
  openStore("redis://127.0.0.1:" + std::to_string(port), 800ms);
  auto start = Clock::now();
  KvGetResult result = kvGet(driver_, *store_, "ns", "k");
  auto elapsed = Clock::now() - start;
  EXPECT_FALSE(result.status.ok);
  EXPECT_NE(result.status.message.find("is unavailable"), std::string::npos)
      << result.status.message;
  EXPECT_NE(result.status.message.find("refused"), std::string::npos) << result.status.message;
  EXPECT_LT(elapsed, 800ms + 3s);  // bounded, not a benchmark: generous for loaded CI
  KvListResult list = kvList(driver_, *store_, "ns");
  EXPECT_FALSE(list.status.ok);
}

TEST_F(RedisKvTest, KilledAndRestartedRedis) {
  // appendfsync always: every acknowledged write is on disk before Redis replies.
  startServer({"--appendonly", "yes", "--appendfsync", "always"});
  openStore(server_->url(), 1000ms);
  ASSERT_TRUE(kvPut(driver_, *store_, "ns", "before", "v").ok);

  server_->kill();
  for (int i = 0; i < 3; ++i) {
    auto start = Clock::now();
    KvStatus status = kvPut(driver_, *store_, "ns", "during", "v");
    auto elapsed = Clock::now() - start;
    EXPECT_FALSE(status.ok);
    EXPECT_NE(status.message.find("Redis"), std::string::npos) << status.message;
    EXPECT_LT(elapsed, 1000ms + 3s) << status.message;
    KvGetResult get = kvGet(driver_, *store_, "ns", "before");
    EXPECT_FALSE(get.status.ok);
  }

  ASSERT_TRUE(server_->start());
  auto recovery = putUntilOk("after", 10s);
  EXPECT_LT(recovery, 5s);
  KvGetResult before = kvGet(driver_, *store_, "ns", "before");
  ASSERT_TRUE(before.status.ok) << before.status.message;
  EXPECT_TRUE(before.found) << "AOF with appendfsync always keeps acknowledged writes";
  EXPECT_TRUE(kvGet(driver_, *store_, "ns", "after").found);
  EXPECT_FALSE(kvGet(driver_, *store_, "ns", "during").found);
  EXPECT_EQ(names(kvList(driver_, *store_, "ns")), (std::vector<std::string>{"after", "before"}));
}

TEST_F(RedisKvTest, OperationsQueuedDuringABriefOutageSucceed) {
  startServer();
  openStore(server_->url(), 3000ms);
  ASSERT_TRUE(kvPut(driver_, *store_, "ns", "a", "v").ok);
  server_->kill();
  driver_.runFor(100ms);  // the store notices the disconnect
  ASSERT_TRUE(server_->start());
  KvStatus status = kvPut(driver_, *store_, "ns", "b", "v");
  EXPECT_TRUE(status.ok) << status.message;
}

TEST_F(RedisKvTest, FrozenRedisTimesOutThenRecovers) {
  startServer();
  openStore(server_->url(), 800ms);
  ASSERT_TRUE(kvPut(driver_, *store_, "ns", "k", "v").ok);
  server_->pause();
  auto start = Clock::now();
  KvGetResult result = kvGet(driver_, *store_, "ns", "k");
  auto elapsed = Clock::now() - start;
  EXPECT_FALSE(result.status.ok);
  EXPECT_NE(result.status.message.find("no reply from Redis"), std::string::npos)
      << result.status.message;
  EXPECT_LT(elapsed, 800ms + 3s);  // bounded, not a benchmark: generous for loaded CI
  server_->resume();
  EXPECT_LT(putUntilOk("k2", 10s), 5s);
  EXPECT_EQ(kvGet(driver_, *store_, "ns", "k").value, "v");
}

TEST_F(RedisKvTest, TwoStoresShareOneRedis) {
  startServer();
  openStore(server_->url());
  KvStoreConfig config;
  config.redisUrl = server_->url();
  auto other = makeKvStore(driver_.loop(), config);
  ASSERT_NE(other, nullptr);
  ASSERT_TRUE(kvPut(driver_, *store_, "ns", "k", "from one").ok);
  EXPECT_EQ(kvGet(driver_, *other, "ns", "k").value, "from one");
  ASSERT_TRUE(kvRemove(driver_, *other, "ns", "k").ok);
  EXPECT_FALSE(kvGet(driver_, *store_, "ns", "k").found);
}

}  // namespace
}  // namespace pactown::storage
