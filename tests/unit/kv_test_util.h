// Helpers for the KV storage tests: a loop driver, synchronous wrappers around the asynchronous
// store, temporary directories, and a private redis-server on a free loopback port.
#pragma once

#include <fcntl.h>
#include <gtest/gtest.h>
#include <hiredis/hiredis.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <uv.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "storage/kv_store.h"

namespace pactown::storage::kvtest {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

inline int64_t unixNowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "pt-kv-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) abort();
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// Owns a loop and runs it until a condition holds; a ticking timer keeps uv_run from blocking
// past the deadline when nothing else happens.
class LoopDriver {
 public:
  LoopDriver() {
    uv_loop_init(&loop_);
    uv_timer_init(&loop_, &ticker_);
  }
  ~LoopDriver() {
    uv_close(reinterpret_cast<uv_handle_t*>(&ticker_), nullptr);
    // Let every handle the stores closed finish closing (and thread-pool work drain).
    auto deadline = Clock::now() + 20s;
    while (uv_loop_alive(&loop_) && Clock::now() < deadline) uv_run(&loop_, UV_RUN_ONCE);
    EXPECT_EQ(uv_loop_close(&loop_), 0) << "uv handles or requests left open";
  }
  uv_loop_t* loop() { return &loop_; }

  template <class Pred>
  bool runUntil(Pred pred, std::chrono::milliseconds timeout = 15000ms) {
    auto deadline = Clock::now() + timeout;
    uv_timer_start(
        &ticker_, [](uv_timer_t*) {}, 5, 5);
    bool ok = false;
    while (!(ok = pred()) && Clock::now() < deadline) uv_run(&loop_, UV_RUN_ONCE);
    uv_timer_stop(&ticker_);
    return ok;
  }
  void runFor(std::chrono::milliseconds duration) {
    auto end = Clock::now() + duration;
    runUntil([&] { return Clock::now() >= end; }, duration + 1000ms);
  }

 private:
  uv_loop_t loop_;
  uv_timer_t ticker_;
};

// Starts an operation and waits for its callback, checking that the callback did not run inside
// the call that started it.
template <class Result, class Start>
Result await(LoopDriver& driver, Start start, std::chrono::milliseconds timeout = 15000ms) {
  struct State {
    bool returned = false;
    bool synchronous = false;
    std::optional<Result> result;
  };
  auto state = std::make_shared<State>();
  start([state](Result result) {
    if (!state->returned) state->synchronous = true;
    state->result = std::move(result);
  });
  state->returned = true;
  bool done = driver.runUntil([&] { return state->result.has_value(); }, timeout);
  EXPECT_FALSE(state->synchronous) << "completion callback ran synchronously";
  if (!done) {
    ADD_FAILURE() << "operation did not complete within " << timeout.count() << " ms";
    Result failed;
    failed.status = KvStatus::failure("test timeout");
    return failed;
  }
  return std::move(*state->result);
}

// KvStatus has no `status` member: wrap it so await() can fill in a timeout failure.
struct StatusResult {
  KvStatus status;
};

inline KvGetResult kvGet(LoopDriver& d, KvStore& s, const std::string& ns, const std::string& key) {
  return await<KvGetResult>(d, [&](auto done) { s.get(ns, key, done); });
}
inline KvGetManyResult kvGetMany(LoopDriver& d, KvStore& s, const std::string& ns,
                                 std::vector<std::string> keys) {
  return await<KvGetManyResult>(d, [&](auto done) { s.getMany(ns, keys, done); });
}
inline KvStatus kvPut(LoopDriver& d, KvStore& s, const std::string& ns, const std::string& key,
                      std::string value, KvPutOptions options = {},
                      std::chrono::milliseconds timeout = 15000ms) {
  return await<StatusResult>(
             d,
             [&](auto done) {
               s.put(ns, key, KvBytes::fromString(std::move(value)), options,
                     [done](KvStatus status) { done(StatusResult{std::move(status)}); });
             },
             timeout)
      .status;
}
inline KvStatus kvRemove(LoopDriver& d, KvStore& s, const std::string& ns, const std::string& key) {
  return await<StatusResult>(d,
                             [&](auto done) {
                               s.remove(ns, key, [done](KvStatus status) {
                                 done(StatusResult{std::move(status)});
                               });
                             })
      .status;
}
inline KvListResult kvList(LoopDriver& d, KvStore& s, const std::string& ns,
                           KvListOptions options = {}) {
  return await<KvListResult>(d, [&](auto done) { s.list(ns, options, done); });
}
inline KvListOptions withPrefix(std::string prefix) {
  KvListOptions options;
  options.prefix = std::move(prefix);
  return options;
}
inline std::vector<std::string> names(const KvListResult& result) {
  std::vector<std::string> out;
  for (const KvListKey& key : result.keys) out.push_back(key.name);
  return out;
}

inline std::optional<std::string> redisServerBinary() {
  for (const char* candidate : {"/usr/bin/redis-server", "/usr/local/bin/redis-server"}) {
    if (access(candidate, X_OK) == 0) return std::string(candidate);
  }
  return std::nullopt;
}

inline int freeLoopbackPort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

// A private redis-server on 127.0.0.1 with its data directory in a temp dir; it keeps its port
// across restarts.
class RedisServer {
 public:
  explicit RedisServer(std::vector<std::string> extraArgs = {})
      : port_(freeLoopbackPort()), extraArgs_(std::move(extraArgs)) {}
  ~RedisServer() { kill(); }

  bool start() {
    auto binary = redisServerBinary();
    if (!binary) return false;
    std::vector<std::string> args = {*binary,
                                     "--port",
                                     std::to_string(port_),
                                     "--bind",
                                     "127.0.0.1",
                                     "--save",
                                     "",
                                     "--appendonly",
                                     "no",
                                     "--dir",
                                     dir_.path(),
                                     "--logfile",
                                     dir_.path() + "/redis.log"};
    args.insert(args.end(), extraArgs_.begin(), extraArgs_.end());
    pid_ = fork();
    if (pid_ == 0) {
      std::vector<char*> argv;
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      int devnull = open("/dev/null", O_RDWR);
      dup2(devnull, 1);
      dup2(devnull, 2);
      execv(argv[0], argv.data());
      _exit(127);
    }
    auto deadline = Clock::now() + 10s;
    while (Clock::now() < deadline) {
      // Any reply (PONG, or NOAUTH with --requirepass) means the server is up.
      if (command({"PING"})) return true;
      std::this_thread::sleep_for(20ms);
    }
    return false;
  }
  void kill() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }
  void pause() { ::kill(pid_, SIGSTOP); }
  void resume() { ::kill(pid_, SIGCONT); }

  int port() const { return port_; }
  std::string url(const std::string& auth = "", int db = 0) const {
    return "redis://" + auth + "127.0.0.1:" + std::to_string(port_) + "/" + std::to_string(db);
  }

  using Reply = std::unique_ptr<redisReply, void (*)(redisReply*)>;
  // Runs one command on a fresh blocking connection (after AUTH/SELECT when given).
  std::optional<Reply> command(std::vector<std::string> args, const std::string& password = "",
                               int db = 0) {
    timeval timeout{1, 0};
    redisContext* c = redisConnectWithTimeout("127.0.0.1", port_, timeout);
    if (c == nullptr) return std::nullopt;
    std::unique_ptr<redisContext, void (*)(redisContext*)> owned(c, redisFree);
    if (c->err != 0) return std::nullopt;
    redisSetTimeout(c, timeout);
    auto run = [&](std::vector<std::string> argv) -> std::optional<Reply> {
      std::vector<const char*> ptrs;
      std::vector<size_t> lens;
      for (auto& a : argv) {
        ptrs.push_back(a.data());
        lens.push_back(a.size());
      }
      void* r = redisCommandArgv(c, static_cast<int>(ptrs.size()), ptrs.data(), lens.data());
      if (r == nullptr) return std::nullopt;
      return Reply(static_cast<redisReply*>(r), [](redisReply* p) { freeReplyObject(p); });
    };
    if (!password.empty() && !run({"AUTH", password})) return std::nullopt;
    if (db != 0 && !run({"SELECT", std::to_string(db)})) return std::nullopt;
    return run(std::move(args));
  }

 private:
  TempDir dir_;
  int port_;
  std::vector<std::string> extraArgs_;
  pid_t pid_ = -1;
};

}  // namespace pactown::storage::kvtest
