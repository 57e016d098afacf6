// One hiredis async connection on a libuv loop, with the failure handling KV needs:
// - the host name is resolved with uv_getaddrinfo (hiredis 0.14 would block the loop in
//   getaddrinfo), then AUTH and SELECT run before any request is sent;
// - requests pipeline freely once connected and wait in a queue while not connected;
// - every request is answered within Options::operationTimeout: by its reply, or by an error when
//   Redis is unreachable, drops the connection, or stops replying;
// - a lost connection is re-established with exponential backoff (50 ms doubling up to
//   Options::maxReconnectDelay); a connection with requests in flight and no reply for
//   operationTimeout is treated as lost.
// A request in flight when the connection drops fails (it may or may not have been applied);
// requests never sent wait for the next connection until their deadline.
#pragma once

#include <hiredis/async.h>
#include <hiredis/hiredis.h>
#include <uv.h>

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "storage/kv_store.h"
#include "storage/redis_url.h"

namespace pactown::storage {

// Commands sent back to back on one connection. Only the last command's reply reaches the handler
// (the others are typically MULTI and QUEUED replies of a transaction).
class RedisRequest {
 public:
  // Called exactly once, unless the connection is destroyed first: with the reply (error replies
  // included), or with reply == nullptr and a message. Runs inside hiredis or timer callbacks, so
  // it must not call back into the connection; KV stores only parse and post to a LoopQueue.
  using Handler = std::function<void(const redisReply* reply, const std::string& error)>;

  explicit RedisRequest(Handler done) : done_(std::move(done)) {}

  // Starts the next command. Arguments are binary-safe.
  RedisRequest& command() {
    commands_.emplace_back();
    return *this;
  }
  // An argument the request must keep alive: literals, or bytes held with hold().
  RedisRequest& arg(std::string_view borrowed) {
    commands_.back().push_back(borrowed);
    return *this;
  }
  RedisRequest& argCopy(std::string value) {
    strings_.push_back(std::move(value));
    commands_.back().push_back(strings_.back());
    return *this;
  }
  void hold(KvBytes bytes) { held_.push_back(std::move(bytes)); }

 private:
  friend class RedisConnection;

  Handler done_;
  std::vector<std::vector<std::string_view>> commands_;
  std::deque<std::string> strings_;  // a deque keeps references stable as it grows
  std::vector<KvBytes> held_;
  uint64_t deadline_ = 0;  // uv_now() milliseconds
  bool finished_ = false;  // handler already called (timed out); a late reply is dropped
};

class RedisConnection {
 public:
  struct Options {
    std::chrono::milliseconds operationTimeout{3000};
    std::chrono::milliseconds maxReconnectDelay{1000};
  };

  // Starts connecting right away.
  RedisConnection(uv_loop_t* loop, RedisEndpoint endpoint, Options options);
  // Drops every request without calling its handler; handles close asynchronously.
  ~RedisConnection();
  RedisConnection(const RedisConnection&) = delete;
  RedisConnection& operator=(const RedisConnection&) = delete;

  void submit(std::unique_ptr<RedisRequest> request);

  bool ready() const { return state_ == State::kReady; }
  const RedisEndpoint& endpoint() const { return endpoint_; }

 private:
  enum class State { kWaiting, kResolving, kConnecting, kHandshake, kReady, kClosing };
  struct Resolve;

  void connect();
  void onResolved(int status, const struct addrinfo* result);
  void startHandshake();
  bool send(RedisRequest* request);
  void flushWaiting();
  void dropConnection(std::string why);
  void onLost();
  void scheduleReconnect();
  void sweep();
  void updateSweepTimer();
  void fail(RedisRequest* request, const std::string& message);
  std::string unavailableMessage() const;

  static void onConnect(const redisAsyncContext* ac, int status);
  static void onDisconnect(const redisAsyncContext* ac, int status);
  static void onReply(redisAsyncContext* ac, void* reply, void* privdata);

  uv_loop_t* loop_;
  RedisEndpoint endpoint_;
  Options options_;
  State state_ = State::kWaiting;
  redisAsyncContext* ac_ = nullptr;
  Resolve* resolve_ = nullptr;  // getaddrinfo in flight
  uv_timer_t* stateTimer_;      // reconnect delay, or connect/handshake deadline
  uv_timer_t* sweepTimer_;      // request deadlines, while any request is pending
  bool sweepRunning_ = false;
  std::deque<RedisRequest*> waiting_;   // not sent yet; owned
  std::deque<RedisRequest*> inFlight_;  // sent, in reply order; freed in onReply
  uint64_t lastProgress_ = 0;           // last reply, or when inFlight_ became non-empty
  int reconnectAttempts_ = 0;
  std::string lastError_;  // why the connection is not ready
};

}  // namespace pactown::storage
