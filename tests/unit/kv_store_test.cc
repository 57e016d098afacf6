// The KvStore contract, run against both backends: the embedded SQLite store and Redis (a private
// redis-server per test suite; skipped with a message when redis-server is not installed).
#include "storage/kv_store.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <iostream>
#include <random>

#include "tests/unit/kv_test_util.h"

namespace pactown::storage {
namespace {

using namespace kvtest;  // NOLINT: the KV test helpers

struct SqliteBackend {
  static void SetUpTestSuite() {}
  static void TearDownTestSuite() {}
  static std::optional<std::string> unavailable() { return std::nullopt; }
  void reset() {}
  KvStoreConfig config() const {
    KvStoreConfig config;
    config.stateDir = dir.path();
    return config;
  }
  TempDir dir;
};

struct RedisBackend {
  static inline std::unique_ptr<RedisServer> server;
  static void SetUpTestSuite() {
    if (!redisServerBinary()) return;
    server = std::make_unique<RedisServer>();
    if (!server->start()) server.reset();
  }
  static void TearDownTestSuite() { server.reset(); }
  static std::optional<std::string> unavailable() {
    if (!redisServerBinary()) return "redis-server is not installed";
    if (!server) return "redis-server did not start";
    return std::nullopt;
  }
  void reset() { server->command({"FLUSHALL"}); }
  KvStoreConfig config() const {
    KvStoreConfig config;
    config.redisUrl = server->url();
    return config;
  }
};

template <class Backend>
class KvStoreTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { Backend::SetUpTestSuite(); }
  static void TearDownTestSuite() { Backend::TearDownTestSuite(); }

  void SetUp() override {
    if (auto why = Backend::unavailable()) GTEST_SKIP() << *why;
    backend_.reset();
    open();
  }
  void TearDown() override { store_.reset(); }

  void open() {
    std::string error;
    store_ = makeKvStore(driver_.loop(), backend_.config(), &error);
    ASSERT_NE(store_, nullptr) << error;
  }
  void reopen() {
    store_.reset();
    driver_.runFor(10ms);  // let the old store's handles close
    open();
  }

  KvGetResult get(const std::string& key, const std::string& ns = "ns") {
    return kvGet(driver_, *store_, ns, key);
  }
  KvStatus put(const std::string& key, std::string value, KvPutOptions options = {},
               const std::string& ns = "ns") {
    return kvPut(driver_, *store_, ns, key, std::move(value), std::move(options));
  }
  KvStatus remove(const std::string& key, const std::string& ns = "ns") {
    return kvRemove(driver_, *store_, ns, key);
  }
  KvListResult list(KvListOptions options = {}, const std::string& ns = "ns") {
    return kvList(driver_, *store_, ns, std::move(options));
  }
  KvGetManyResult getMany(std::vector<std::string> keys, const std::string& ns = "ns") {
    return kvGetMany(driver_, *store_, ns, std::move(keys));
  }

  LoopDriver driver_;  // declared first: outlives the store
  Backend backend_;
  std::unique_ptr<KvStore> store_;
};

struct BackendNames {
  template <class T>
  static std::string GetName(int) {
    return std::is_same_v<T, SqliteBackend> ? "Sqlite" : "Redis";
  }
};

using Backends = ::testing::Types<SqliteBackend, RedisBackend>;
TYPED_TEST_SUITE(KvStoreTest, Backends, BackendNames);

TYPED_TEST(KvStoreTest, GetMissingKeyIsNotFound) {
  KvGetResult result = this->get("nope");
  EXPECT_TRUE(result.status.ok) << result.status.message;
  EXPECT_FALSE(result.found);
}

TYPED_TEST(KvStoreTest, PutThenGetAndOverwrite) {
  ASSERT_TRUE(this->put("k", "v1").ok);
  KvGetResult result = this->get("k");
  ASSERT_TRUE(result.status.ok) << result.status.message;
  EXPECT_TRUE(result.found);
  EXPECT_EQ(result.value, "v1");
  EXPECT_FALSE(result.metadata);
  EXPECT_FALSE(result.expiration);
  ASSERT_TRUE(this->put("k", "v2").ok);
  EXPECT_EQ(this->get("k").value, "v2");
}

TYPED_TEST(KvStoreTest, RemoveDeletesAndMissingRemoveSucceeds) {
  ASSERT_TRUE(this->put("k", "v").ok);
  EXPECT_TRUE(this->remove("k").ok);
  EXPECT_FALSE(this->get("k").found);
  EXPECT_TRUE(this->list().keys.empty());
  KvStatus again = this->remove("k");
  EXPECT_TRUE(again.ok) << again.message;
}

TYPED_TEST(KvStoreTest, MetadataAndExpirationRoundTripAndAreReplacedByPut) {
  int64_t expiration = unixNowMs() / 1000 + 3600;
  std::string metadata = R"({"a":1,"ü":"☃","nested":{"x":[true,null]}})";
  ASSERT_TRUE(this->put("k", "v", {expiration, metadata}).ok);
  KvGetResult result = this->get("k");
  ASSERT_TRUE(result.found);
  EXPECT_EQ(result.metadata, metadata);
  EXPECT_EQ(result.expiration, expiration);
  // A put without metadata or expiration clears both.
  ASSERT_TRUE(this->put("k", "v2").ok);
  result = this->get("k");
  EXPECT_EQ(result.value, "v2");
  EXPECT_FALSE(result.metadata);
  EXPECT_FALSE(result.expiration);
}

TYPED_TEST(KvStoreTest, EmptyValueIsFound) {
  ASSERT_TRUE(this->put("empty", "").ok);
  KvGetResult result = this->get("empty");
  EXPECT_TRUE(result.found);
  EXPECT_EQ(result.value, "");
}

TYPED_TEST(KvStoreTest, BinaryValuesAndKeysKeepEveryByte) {
  std::string value;
  for (int i = 0; i < 256; ++i) value += static_cast<char>(i);
  value += std::string("\0\0tail\0", 7);
  std::string key("a\0b\xff", 4);
  ASSERT_TRUE(this->put(key, value).ok);
  ASSERT_TRUE(this->put(std::string("a\0", 2), "other").ok);
  KvGetResult result = this->get(key);
  ASSERT_TRUE(result.found);
  EXPECT_EQ(result.value, value);
  EXPECT_EQ(this->get(std::string("a\0", 2)).value, "other");
  EXPECT_FALSE(this->get("a").found);
  std::vector<std::string> expected = {std::string("a\0", 2), key};
  EXPECT_EQ(names(this->list()), expected);
}

TYPED_TEST(KvStoreTest, ValueBuffersAreNotCopiedByTheCaller) {
  auto buffer = std::make_shared<std::vector<char>>(1000, 'x');
  KvBytes bytes(buffer, buffer->data(), buffer->size());
  auto status = await<StatusResult>(this->driver_, [&](auto done) {
    this->store_->put("ns", "shared", bytes, {},
                      [done](KvStatus s) { done(StatusResult{std::move(s)}); });
  });
  ASSERT_TRUE(status.status.ok);
  EXPECT_EQ(this->get("shared").value, std::string(1000, 'x'));
}

TYPED_TEST(KvStoreTest, GetManyAnswersEachKeyInOrder) {
  ASSERT_TRUE(this->put("a", "1", {std::nullopt, R"({"m":1})"}).ok);
  ASSERT_TRUE(this->put("c", "3").ok);
  KvGetManyResult result = this->getMany({"c", "missing", "a", "c"});
  ASSERT_TRUE(result.status.ok) << result.status.message;
  ASSERT_EQ(result.entries.size(), 4u);
  EXPECT_EQ(result.entries[0].value, "3");
  EXPECT_FALSE(result.entries[1].found);
  EXPECT_TRUE(result.entries[2].found);
  EXPECT_EQ(result.entries[2].value, "1");
  EXPECT_EQ(result.entries[2].metadata, R"({"m":1})");
  EXPECT_EQ(result.entries[3].value, "3");
  KvGetManyResult none = this->getMany({});
  EXPECT_TRUE(none.status.ok);
  EXPECT_TRUE(none.entries.empty());
}

TYPED_TEST(KvStoreTest, ListIsInUtf8ByteOrder) {
  std::vector<std::string> keys = {
      "b",  "a",   "é", "z",   "A", "0", "ä", "\xf0\x9f\x98\x80", "\xe2\x98\x83",
      "ab", "a b", "~", "日本"};
  for (const auto& key : keys) ASSERT_TRUE(this->put(key, "v").ok);
  std::vector<std::string> expected = keys;
  std::sort(expected.begin(), expected.end());  // char_traits<char> compares as unsigned bytes
  EXPECT_EQ(expected.front(), "0");
  EXPECT_EQ(expected.back(), "\xf0\x9f\x98\x80");
  KvListResult result = this->list();
  ASSERT_TRUE(result.status.ok) << result.status.message;
  EXPECT_EQ(names(result), expected);
  EXPECT_TRUE(result.listComplete);
  EXPECT_EQ(result.cursor, "");
}

TYPED_TEST(KvStoreTest, ListPrefix) {
  for (std::string key : {"user:1", "user:2", "user;", "use", "users", "other", "é1", "é2", "ê",
                          "x\xff\xff"
                          "a",
                          "x\xff\xff", "y", "\xff\xfe"}) {
    ASSERT_TRUE(this->put(key, "v").ok);
  }
  EXPECT_EQ(names(this->list(withPrefix("user:"))), (std::vector<std::string>{"user:1", "user:2"}));
  EXPECT_EQ(names(this->list(withPrefix("user"))),
            (std::vector<std::string>{"user:1", "user:2", "user;", "users"}));
  EXPECT_EQ(names(this->list(withPrefix("é"))), (std::vector<std::string>{"é1", "é2"}));
  // A prefix ending in 0xFF bytes has no simple upper bound.
  EXPECT_EQ(names(this->list(withPrefix("x\xff"))), (std::vector<std::string>{"x\xff\xff",
                                                                              "x\xff\xff"
                                                                              "a"}));
  EXPECT_EQ(names(this->list(withPrefix("\xff"))), (std::vector<std::string>{"\xff\xfe"}));
  EXPECT_TRUE(this->list(withPrefix("nothing")).keys.empty());
  EXPECT_TRUE(this->list(withPrefix("nothing")).listComplete);
}

TYPED_TEST(KvStoreTest, ListLimitAndCursorWalkEveryKeyOnce) {
  std::vector<std::string> all;
  for (int i = 0; i < 25; ++i) {
    char key[16];
    snprintf(key, sizeof key, "k%02d", i);
    all.push_back(key);
    ASSERT_TRUE(this->put(key, "v").ok);
  }
  std::vector<std::string> seen;
  std::string cursor;
  int pages = 0;
  while (true) {
    KvListResult page = this->list({"", 10, cursor});
    ASSERT_TRUE(page.status.ok) << page.status.message;
    ++pages;
    EXPECT_LE(page.keys.size(), 10u);
    for (auto& key : page.keys) seen.push_back(key.name);
    EXPECT_EQ(page.listComplete, page.cursor.empty());
    if (page.listComplete) break;
    cursor = page.cursor;
    ASSERT_LT(pages, 10);
  }
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(seen, all);
}

TYPED_TEST(KvStoreTest, ListOfExactlyLimitKeysIsComplete) {
  for (std::string key : {"a", "b", "c"}) ASSERT_TRUE(this->put(key, "v").ok);
  KvListResult result = this->list({"", 3, ""});
  EXPECT_EQ(result.keys.size(), 3u);
  EXPECT_TRUE(result.listComplete);
  result = this->list({"", 2, ""});
  EXPECT_EQ(names(result), (std::vector<std::string>{"a", "b"}));
  EXPECT_FALSE(result.listComplete);
  EXPECT_EQ(names(this->list({"", 2, result.cursor})), (std::vector<std::string>{"c"}));
}

TYPED_TEST(KvStoreTest, CursorStaysCorrectWhileKeysChangeBetweenPages) {
  for (std::string key : {"k0", "k1", "k2", "k3", "k4", "k5", "k6", "k7"}) {
    ASSERT_TRUE(this->put(key, "v").ok);
  }
  KvListResult first = this->list({"", 3, ""});
  ASSERT_EQ(names(first), (std::vector<std::string>{"k0", "k1", "k2"}));
  ASSERT_FALSE(first.listComplete);
  // Delete the key the cursor names and the next one, add keys before and after the cursor.
  ASSERT_TRUE(this->remove("k2").ok);
  ASSERT_TRUE(this->remove("k3").ok);
  ASSERT_TRUE(this->put("k0a", "v").ok);  // before the cursor: not seen by later pages
  ASSERT_TRUE(this->put("k2a", "v").ok);  // right after the cursor's (deleted) key
  ASSERT_TRUE(this->put("k9", "v").ok);
  KvListResult second = this->list({"", 3, first.cursor});
  ASSERT_TRUE(second.status.ok) << second.status.message;
  EXPECT_EQ(names(second), (std::vector<std::string>{"k2a", "k4", "k5"}));
  ASSERT_TRUE(this->remove("k6").ok);
  KvListResult third = this->list({"", 3, second.cursor});
  EXPECT_EQ(names(third), (std::vector<std::string>{"k7", "k9"}));
  EXPECT_TRUE(third.listComplete);
}

TYPED_TEST(KvStoreTest, CursorAndPrefixCombine) {
  for (std::string key : {"a1", "b1", "b2", "b3", "c1"}) ASSERT_TRUE(this->put(key, "v").ok);
  KvListResult first = this->list({"b", 2, ""});
  EXPECT_EQ(names(first), (std::vector<std::string>{"b1", "b2"}));
  KvListResult second = this->list({"b", 2, first.cursor});
  EXPECT_EQ(names(second), (std::vector<std::string>{"b3"}));
  EXPECT_TRUE(second.listComplete);
}

TYPED_TEST(KvStoreTest, ListReturnsMetadataAndExpiration) {
  int64_t expiration = unixNowMs() / 1000 + 3600;
  ASSERT_TRUE(this->put("with", "v", {expiration, R"({"tag":"x"})"}).ok);
  ASSERT_TRUE(this->put("without", "v").ok);
  KvListResult result = this->list();
  ASSERT_EQ(result.keys.size(), 2u);
  EXPECT_EQ(result.keys[0].name, "with");
  EXPECT_EQ(result.keys[0].expiration, expiration);
  EXPECT_EQ(result.keys[0].metadata, R"({"tag":"x"})");
  EXPECT_FALSE(result.keys[1].expiration);
  EXPECT_FALSE(result.keys[1].metadata);
}

TYPED_TEST(KvStoreTest, MalformedCursorFails) {
  for (std::string cursor : {"!!!", "a", "abc=", "abcde"}) {
    KvListResult result = this->list({"", 10, cursor});
    EXPECT_FALSE(result.status.ok) << cursor;
    EXPECT_EQ(result.status.message, "Invalid cursor");
  }
}

TYPED_TEST(KvStoreTest, ExpiredKeysAreNeverReturned) {
  int64_t nowMs = unixNowMs();
  int64_t expiration = nowMs / 1000 + 2;  // 1-2 s from now
  ASSERT_TRUE(this->put("short", "v", {expiration, "{}"}).ok);
  ASSERT_TRUE(this->put("long", "v", {expiration + 3600, std::nullopt}).ok);
  ASSERT_TRUE(this->put("forever", "v").ok);
  ASSERT_TRUE(this->get("short").found);
  ASSERT_EQ(this->list().keys.size(), 3u);

  auto wait = std::chrono::milliseconds(expiration * 1000 - unixNowMs() + 150);
  this->driver_.runFor(wait);
  EXPECT_FALSE(this->get("short").found);
  KvGetManyResult many = this->getMany({"short", "long"});
  ASSERT_EQ(many.entries.size(), 2u);
  EXPECT_FALSE(many.entries[0].found);
  EXPECT_TRUE(many.entries[1].found);
  EXPECT_EQ(names(this->list()), (std::vector<std::string>{"forever", "long"}));
  KvListResult limited = this->list({"", 1, ""});
  EXPECT_EQ(names(limited), (std::vector<std::string>{"forever"}));
  EXPECT_FALSE(limited.listComplete);
  // Writing the key again revives it.
  ASSERT_TRUE(this->put("short", "again").ok);
  EXPECT_EQ(this->get("short").value, "again");
}

TYPED_TEST(KvStoreTest, DataPersistsAcrossReopeningTheStore) {
  ASSERT_TRUE(this->put("kept", "value", {std::nullopt, R"({"m":true})"}).ok);
  ASSERT_TRUE(this->put("gone", "value").ok);
  ASSERT_TRUE(this->remove("gone").ok);
  this->reopen();
  KvGetResult result = this->get("kept");
  EXPECT_TRUE(result.found);
  EXPECT_EQ(result.value, "value");
  EXPECT_EQ(result.metadata, R"({"m":true})");
  EXPECT_FALSE(this->get("gone").found);
  EXPECT_EQ(names(this->list()), (std::vector<std::string>{"kept"}));
}

TYPED_TEST(KvStoreTest, TwentyMebibyteValue) {
  std::string value(20 << 20, '\0');
  std::mt19937_64 random(42);
  for (size_t i = 0; i + 8 <= value.size(); i += 8) {
    uint64_t word = random();
    memcpy(&value[i], &word, 8);
  }
  auto start = Clock::now();
  ASSERT_TRUE(this->put("big", value).ok);
  KvGetResult result = this->get("big");
  auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
  ASSERT_TRUE(result.found);
  EXPECT_EQ(result.value.size(), value.size());
  EXPECT_TRUE(result.value == value);
  std::cout << "[          ] 20 MiB put + get: " << elapsed.count() << " ms\n";
  // Listing never loads values.
  EXPECT_EQ(names(this->list()), (std::vector<std::string>{"big"}));
}

TYPED_TEST(KvStoreTest, NamespacesAreIsolated) {
  // The last two namespaces would collide in Redis if ids were not escaped.
  std::vector<std::string> namespaces = {"ns1", "ns2", "a", "a}:k:b"};
  ASSERT_TRUE(this->put("shared", "one", {}, "ns1").ok);
  ASSERT_TRUE(this->put("shared", "two", {}, "ns2").ok);
  ASSERT_TRUE(this->put("only1", "x", {}, "ns1").ok);
  ASSERT_TRUE(this->put("b}:k:c", "from a", {}, "a").ok);
  ASSERT_TRUE(this->put("c", "from a}:k:b", {}, "a}:k:b").ok);
  EXPECT_EQ(this->get("shared", "ns1").value, "one");
  EXPECT_EQ(this->get("shared", "ns2").value, "two");
  EXPECT_FALSE(this->get("only1", "ns2").found);
  EXPECT_EQ(this->get("b}:k:c", "a").value, "from a");
  EXPECT_EQ(this->get("c", "a}:k:b").value, "from a}:k:b");
  EXPECT_EQ(names(this->list({}, "ns1")), (std::vector<std::string>{"only1", "shared"}));
  EXPECT_EQ(names(this->list({}, "ns2")), (std::vector<std::string>{"shared"}));
  EXPECT_EQ(names(this->list({}, "a")), (std::vector<std::string>{"b}:k:c"}));
  EXPECT_EQ(names(this->list({}, "a}:k:b")), (std::vector<std::string>{"c"}));
  ASSERT_TRUE(this->remove("shared", "ns1").ok);
  EXPECT_EQ(this->get("shared", "ns2").value, "two");
  EXPECT_TRUE(this->list({}, "unused").keys.empty());
}

TYPED_TEST(KvStoreTest, OperationsCompleteInOrderAndReadTheirWrites) {
  // 200 operations started back to back without waiting for any of them.
  std::vector<std::string> log;
  KvStore& store = *this->store_;
  for (int i = 0; i < 50; ++i) {
    std::string key = "k" + std::to_string(i);
    store.put("ns", key, KvBytes::copyOf("v" + std::to_string(i)), {}, [&log, i](KvStatus s) {
      log.push_back("put" + std::to_string(i) + (s.ok ? "" : "!"));
    });
    store.get("ns", key, [&log, i](KvGetResult r) {
      log.push_back("get" + std::to_string(i) + "=" + r.value);
    });
    store.remove("ns", key, [&log, i](KvStatus s) {
      log.push_back("del" + std::to_string(i) + (s.ok ? "" : "!"));
    });
    store.get("ns", key, [&log, i](KvGetResult r) {
      log.push_back("get" + std::to_string(i) + (r.found ? "=found" : "=missing"));
    });
  }
  EXPECT_TRUE(log.empty());
  ASSERT_TRUE(this->driver_.runUntil([&] { return log.size() == 200; }));
  for (int i = 0; i < 50; ++i) {
    std::string n = std::to_string(i);
    EXPECT_EQ(log[i * 4], "put" + n);
    EXPECT_EQ(log[i * 4 + 1], "get" + n + "=v" + n);
    EXPECT_EQ(log[i * 4 + 2], "del" + n);
    EXPECT_EQ(log[i * 4 + 3], "get" + n + "=missing");
  }
}

TYPED_TEST(KvStoreTest, DestroyingTheStoreDropsPendingCallbacks) {
  int called = 0;
  for (int i = 0; i < 20; ++i) {
    this->store_->put("ns", "k" + std::to_string(i), KvBytes::copyOf("v"), {},
                      [&called](KvStatus) { ++called; });
    this->store_->get("ns", "k", [&called](KvGetResult) { ++called; });
  }
  this->store_.reset();
  this->driver_.runFor(200ms);
  EXPECT_EQ(called, 0);
}

TYPED_TEST(KvStoreTest, StoreMayBeDestroyedFromItsOwnCallback) {
  int called = 0;
  this->store_->get("ns", "a", [&](KvGetResult) {
    ++called;
    this->store_.reset();
  });
  this->store_->get("ns", "b", [&](KvGetResult) { ++called; });
  this->driver_.runUntil([&] { return this->store_ == nullptr; });
  this->driver_.runFor(100ms);
  EXPECT_EQ(called, 1);
}

}  // namespace
}  // namespace pactown::storage
