#include "storage/redis_connection.h"

#include <netdb.h>

#include <algorithm>

#include "runtime/check.h"
#include "storage/redis_uv_adapter.h"

namespace pactown::storage {
namespace {

constexpr uint64_t kFirstReconnectDelayMs = 50;

void closeTimer(uv_timer_t* timer) {
  uv_close(reinterpret_cast<uv_handle_t*>(timer),
           [](uv_handle_t* h) { delete reinterpret_cast<uv_timer_t*>(h); });
}

std::string replyError(const redisReply* reply) { return std::string(reply->str, reply->len); }

}  // namespace

struct RedisConnection::Resolve {
  uv_getaddrinfo_t req;
  RedisConnection* owner;  // null once the connection is destroyed
};

RedisConnection::RedisConnection(uv_loop_t* loop, RedisEndpoint endpoint, Options options)
    : loop_(loop),
      endpoint_(std::move(endpoint)),
      options_(options),
      stateTimer_(new uv_timer_t),
      sweepTimer_(new uv_timer_t) {
  PT_CHECK(uv_timer_init(loop_, stateTimer_) == 0);
  PT_CHECK(uv_timer_init(loop_, sweepTimer_) == 0);
  stateTimer_->data = this;
  sweepTimer_->data = this;
  lastError_ = "not connected yet";
  connect();
}

RedisConnection::~RedisConnection() {
  for (RedisRequest* request : waiting_) delete request;
  waiting_.clear();
  if (resolve_ != nullptr) {
    resolve_->owner = nullptr;
    uv_cancel(reinterpret_cast<uv_req_t*>(&resolve_->req));
  }
  closeTimer(stateTimer_);
  closeTimer(sweepTimer_);
  if (ac_ != nullptr) {
    // With data cleared, hiredis' callbacks only free the requests still in flight.
    ac_->data = nullptr;
    redisAsyncFree(ac_);
  }
}

void RedisConnection::submit(std::unique_ptr<RedisRequest> request) {
  PT_CHECK(!request->commands_.empty());
  request->deadline_ = uv_now(loop_) + options_.operationTimeout.count();
  RedisRequest* r = request.release();
  if (state_ != State::kReady || !waiting_.empty() || !send(r)) waiting_.push_back(r);
  updateSweepTimer();
}

void RedisConnection::connect() {
  state_ = State::kResolving;
  resolve_ = new Resolve{};
  resolve_->owner = this;
  resolve_->req.data = resolve_;
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  int rc = uv_getaddrinfo(
      loop_, &resolve_->req,
      [](uv_getaddrinfo_t* req, int status, addrinfo* result) {
        auto* resolve = static_cast<Resolve*>(req->data);
        if (resolve->owner != nullptr) {
          resolve->owner->resolve_ = nullptr;
          resolve->owner->onResolved(status, result);
        }
        uv_freeaddrinfo(result);
        delete resolve;
      },
      endpoint_.host.c_str(), nullptr, &hints);
  if (rc != 0) {
    delete resolve_;
    resolve_ = nullptr;
    lastError_ = "cannot resolve " + endpoint_.host + ": " + uv_strerror(rc);
    onLost();
  }
}

void RedisConnection::onResolved(int status, const addrinfo* result) {
  if (status != 0 || result == nullptr) {
    lastError_ = "cannot resolve " + endpoint_.host + ": " + uv_strerror(status);
    onLost();
    return;
  }
  // Prefer IPv4: "localhost" often lists ::1 first while Redis may listen on 127.0.0.1 only.
  const addrinfo* chosen = result;
  for (const addrinfo* a = result; a != nullptr; a = a->ai_next) {
    if (a->ai_family == AF_INET) {
      chosen = a;
      break;
    }
  }
  char ip[64] = {};
  if (chosen->ai_family == AF_INET6) {
    uv_ip6_name(reinterpret_cast<const sockaddr_in6*>(chosen->ai_addr), ip, sizeof ip);
  } else {
    uv_ip4_name(reinterpret_cast<const sockaddr_in*>(chosen->ai_addr), ip, sizeof ip);
  }
  // A numeric address: hiredis' own getaddrinfo call returns without a DNS lookup.
  redisAsyncContext* ac = redisAsyncConnect(ip, endpoint_.port);
  if (ac == nullptr) {
    lastError_ = "cannot allocate a Redis context";
    onLost();
    return;
  }
  if (ac->err != 0 || !attachRedisToLoop(ac, loop_)) {
    lastError_ = std::string("cannot connect: ") + (ac->err != 0 ? ac->errstr : "libuv attach");
    redisAsyncFree(ac);
    onLost();
    return;
  }
  redisEnableKeepAlive(&ac->c);
  ac->data = this;
  ac_ = ac;
  state_ = State::kConnecting;
  redisAsyncSetConnectCallback(ac, onConnect);
  redisAsyncSetDisconnectCallback(ac, onDisconnect);
  // One deadline covers connect and handshake.
  uv_timer_start(
      stateTimer_,
      [](uv_timer_t* t) {
        auto* self = static_cast<RedisConnection*>(t->data);
        if (self->state_ == State::kConnecting || self->state_ == State::kHandshake) {
          self->dropConnection("timed out connecting after " +
                               std::to_string(self->options_.operationTimeout.count()) + " ms");
        }
      },
      options_.operationTimeout.count(), 0);
}

void RedisConnection::onConnect(const redisAsyncContext* ac, int status) {
  auto* self = static_cast<RedisConnection*>(ac->data);
  if (self == nullptr) return;
  if (status != REDIS_OK) {
    // hiredis frees the context when this returns, without a disconnect callback.
    self->lastError_ = std::string("cannot connect: ") + ac->c.errstr;
    self->ac_ = nullptr;
    self->onLost();
    return;
  }
  self->startHandshake();
}

void RedisConnection::startHandshake() {
  state_ = State::kHandshake;
  std::vector<std::unique_ptr<RedisRequest>> steps;
  auto step = [&](std::string what) {
    auto request = std::make_unique<RedisRequest>(
        [this, what](const redisReply* reply, const std::string& error) {
          if (reply == nullptr || reply->type == REDIS_REPLY_ERROR) {
            dropConnection(what + " failed: " + (reply ? replyError(reply) : error));
          }
        });
    request->command();
    steps.push_back(std::move(request));
    return steps.back().get();
  };
  if (endpoint_.password) {
    RedisRequest* auth = step("AUTH");
    auth->arg("AUTH");
    if (endpoint_.user) auth->argCopy(*endpoint_.user);
    auth->argCopy(*endpoint_.password);
  }
  if (endpoint_.db != 0) step("SELECT")->arg("SELECT").argCopy(std::to_string(endpoint_.db));
  // PING confirms the server answers commands (not, say, still loading its data set).
  RedisRequest* ping = step("PING");
  ping->arg("PING");
  ping->done_ = [this](const redisReply* reply, const std::string& error) {
    if (reply == nullptr || reply->type == REDIS_REPLY_ERROR) {
      dropConnection("PING failed: " + (reply ? replyError(reply) : error));
      return;
    }
    if (state_ != State::kHandshake) return;
    state_ = State::kReady;
    reconnectAttempts_ = 0;
    lastError_.clear();
    uv_timer_stop(stateTimer_);
    flushWaiting();
  };
  for (auto& request : steps) {
    request->deadline_ = uv_now(loop_) + options_.operationTimeout.count();
    if (!send(request.get())) {
      dropConnection("cannot send the handshake");
      return;
    }
    request.release();  // now owned by hiredis' callback
  }
  updateSweepTimer();
}

// Returns false (the request untouched) when the connection takes no commands right now.
bool RedisConnection::send(RedisRequest* request) {
  std::vector<const char*> argv;
  std::vector<size_t> lengths;
  for (size_t i = 0; i < request->commands_.size(); ++i) {
    argv.clear();
    lengths.clear();
    for (std::string_view arg : request->commands_[i]) {
      argv.push_back(arg.data());
      lengths.push_back(arg.size());
    }
    bool last = i + 1 == request->commands_.size();
    int rc = redisAsyncCommandArgv(ac_, last ? onReply : nullptr, last ? request : nullptr,
                                   static_cast<int>(argv.size()), argv.data(), lengths.data());
    if (rc != REDIS_OK) {
      if (i == 0) return false;
      // Part of a transaction is queued: this connection must not be used any further.
      fail(request, "lost the connection to Redis while sending");
      delete request;
      dropConnection("a command could not be queued");
      return true;
    }
  }
  if (inFlight_.empty()) lastProgress_ = uv_now(loop_);
  inFlight_.push_back(request);
  return true;
}

void RedisConnection::flushWaiting() {
  while (state_ == State::kReady && !waiting_.empty()) {
    RedisRequest* request = waiting_.front();
    waiting_.pop_front();
    if (!send(request)) {
      waiting_.push_front(request);
      break;
    }
  }
  updateSweepTimer();
}

void RedisConnection::onReply(redisAsyncContext* ac, void* reply, void* privdata) {
  auto* request = static_cast<RedisRequest*>(privdata);
  auto* self = static_cast<RedisConnection*>(ac->data);
  std::unique_ptr<RedisRequest> owned(request);
  if (self == nullptr) return;
  PT_CHECK(!self->inFlight_.empty() && self->inFlight_.front() == request);
  self->inFlight_.pop_front();
  if (reply != nullptr) {
    self->lastProgress_ = uv_now(self->loop_);
    if (!request->finished_) {
      request->finished_ = true;
      auto done = std::move(request->done_);
      done(static_cast<redisReply*>(reply), std::string());
    }
  } else {
    // The context is going away; the disconnect callback follows these NULL replies.
    if (self->state_ != State::kClosing) {
      self->state_ = State::kClosing;
      self->lastError_ = std::string("connection lost: ") + ac->c.errstr;
    }
    self->fail(request, "lost the connection to Redis at " + self->endpoint_.describe() + " (" +
                            self->lastError_ + ")");
  }
  self->updateSweepTimer();
}

void RedisConnection::onDisconnect(const redisAsyncContext* ac, int status) {
  auto* self = static_cast<RedisConnection*>(ac->data);
  if (self == nullptr) return;
  if (self->state_ != State::kClosing) {
    self->lastError_ =
        std::string("connection lost: ") + (status == REDIS_OK ? "closed" : ac->c.errstr);
  }
  self->ac_ = nullptr;
  self->onLost();
}

// Takes the connection down; the disconnect callback (or onLost directly, when the context never
// connected) then schedules the next attempt.
void RedisConnection::dropConnection(std::string why) {
  if (state_ == State::kClosing) return;
  lastError_ = std::move(why);
  if (ac_ == nullptr) return;
  redisAsyncContext* ac = ac_;
  state_ = State::kClosing;
  if ((ac->c.flags & REDIS_CONNECTED) == 0) {
    ac->data = nullptr;
    ac_ = nullptr;
    redisAsyncFree(ac);
    onLost();
    return;
  }
  redisAsyncFree(ac);  // deferred by hiredis when called from one of its callbacks
}

void RedisConnection::onLost() {
  state_ = State::kWaiting;
  uv_timer_stop(stateTimer_);
  // hiredis answers every request in flight (with NULL) before it reports the disconnect, and
  // nothing is sent before the connect callback.
  PT_CHECK(inFlight_.empty());
  scheduleReconnect();
  updateSweepTimer();
}

void RedisConnection::scheduleReconnect() {
  uint64_t delay = kFirstReconnectDelayMs << std::min(reconnectAttempts_, 16);
  delay = std::min<uint64_t>(delay, options_.maxReconnectDelay.count());
  ++reconnectAttempts_;
  uv_timer_start(
      stateTimer_,
      [](uv_timer_t* t) {
        auto* self = static_cast<RedisConnection*>(t->data);
        if (self->state_ == State::kWaiting) self->connect();
      },
      delay, 0);
}

void RedisConnection::fail(RedisRequest* request, const std::string& message) {
  if (request->finished_) return;
  request->finished_ = true;
  auto done = std::move(request->done_);
  done(nullptr, message);
}

std::string RedisConnection::unavailableMessage() const {
  return "Redis at " + endpoint_.describe() + " is unavailable (" +
         (lastError_.empty() ? std::string("not connected") : lastError_) + ")";
}

void RedisConnection::sweep() {
  uint64_t now = uv_now(loop_);
  while (!waiting_.empty() && waiting_.front()->deadline_ <= now) {
    std::unique_ptr<RedisRequest> request(waiting_.front());
    waiting_.pop_front();
    fail(request.get(), unavailableMessage());
  }
  // Handlers may drop the connection (which edits inFlight_): collect first, call after.
  std::vector<RedisRequest::Handler> expired;
  for (RedisRequest* request : inFlight_) {
    if (!request->finished_ && request->deadline_ <= now) {
      request->finished_ = true;
      expired.push_back(std::move(request->done_));
    }
  }
  std::string timeout = "no reply from Redis at " + endpoint_.describe() + " within " +
                        std::to_string(options_.operationTimeout.count()) + " ms";
  for (auto& done : expired) done(nullptr, timeout);
  if (!inFlight_.empty() && (state_ == State::kReady || state_ == State::kHandshake) &&
      now - lastProgress_ >= static_cast<uint64_t>(options_.operationTimeout.count())) {
    dropConnection("Redis stopped replying for " +
                   std::to_string(options_.operationTimeout.count()) + " ms");
  }
  updateSweepTimer();
}

void RedisConnection::updateSweepTimer() {
  bool needed = !waiting_.empty() || !inFlight_.empty();
  if (needed == sweepRunning_) return;
  sweepRunning_ = needed;
  if (!needed) {
    uv_timer_stop(sweepTimer_);
    return;
  }
  uint64_t tick = std::clamp<uint64_t>(options_.operationTimeout.count() / 10, 10, 250);
  uv_timer_start(
      sweepTimer_, [](uv_timer_t* t) { static_cast<RedisConnection*>(t->data)->sweep(); }, tick,
      tick);
}

}  // namespace pactown::storage
