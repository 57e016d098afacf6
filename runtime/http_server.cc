// HttpServer, its per-loop core (listener, deferred pass, connection list) and the HttpExchange
// facade. The protocol itself lives in http_connection.cc and http_response.cc.
#include "runtime/http_server.h"

#include <sys/socket.h>

#include <cstring>
#include <utility>

#include "runtime/http_connection.h"

namespace pactown::runtime {

using detail::HttpConnection;
using detail::HttpServerCore;

// --- HttpExchange: forwards to the connection while attached -------------------------------------

void HttpExchange::setBodySink(HttpBodySink sink) {
  if (sinkSet_) return;
  sinkSet_ = true;
  sink_ = std::move(sink);
  if (conn_ != nullptr) {
    conn_->bodySinkSet(this);
    return;
  }
  // Finished or aborted: the body will never arrive. Documented as the one synchronous report.
  if (!bodyDone_) {
    bodyDone_ = true;
    HttpBodySink s = std::move(sink_);
    if (s.onError) s.onError(pendingError_.empty() ? "response finished" : pendingError_);
  }
}

void HttpExchange::pauseBody() { bodyPaused_ = true; }

void HttpExchange::resumeBody() {
  bodyPaused_ = false;
  if (conn_ != nullptr) conn_->bodyResumed(this);
}

bool HttpExchange::startResponse(int status, std::string_view reason,
                                 std::span<const HttpHeaderView> headers, HttpBodyFraming framing) {
  if (conn_ == nullptr) return false;
  return conn_->startResponse(this, status, reason, headers, framing);
}

bool HttpExchange::write(std::string_view data, HttpWriteCallback done) {
  if (conn_ == nullptr) return false;
  return conn_->write(this, data, std::move(done));
}

bool HttpExchange::finish() {
  if (conn_ == nullptr) return false;
  return conn_->finish(this);
}

bool HttpExchange::respond(int status, std::string_view reason,
                           std::span<const HttpHeaderView> headers, std::string_view body) {
  if (conn_ == nullptr || status < 200) return false;
  HttpConnection* c = conn_;
  HttpBodyFraming framing =
      body.empty() ? HttpBodyFraming::none() : HttpBodyFraming::fixed(body.size());
  if (!c->startResponse(this, status, reason, headers, framing)) return false;
  if (!body.empty() && !c->write(this, body, nullptr)) return false;
  return c->finish(this);
}

void HttpExchange::abort() {
  if (conn_ != nullptr) conn_->abort(this);
}

void HttpExchange::setAbortHandler(std::function<void()> onAborted) {
  onAborted_ = std::move(onAborted);
}

// --- HttpServer ----------------------------------------------------------------------------------

HttpServer::HttpServer(uv_loop_t* loop, HttpServerOptions options, HttpRequestHandler onRequest)
    : core_(new HttpServerCore(loop, std::move(options), std::move(onRequest))) {}

HttpServer::~HttpServer() { core_->release(); }

int HttpServer::listen() { return core_->listen(); }
uint16_t HttpServer::port() const { return core_->port(); }
void HttpServer::stopAccepting() { core_->stopAccepting(); }
void HttpServer::shutdown(std::function<void()> onDrained) {
  core_->shutdown(std::move(onDrained));
}
bool HttpServer::drained() const { return core_->drained(); }
HttpServerStats HttpServer::stats() const { return core_->statsSnapshot(); }

namespace detail {

bool equalsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    unsigned char x = static_cast<unsigned char>(a[i]);
    unsigned char y = static_cast<unsigned char>(b[i]);
    if (x >= 'A' && x <= 'Z') x += 32;
    if (y >= 'A' && y <= 'Z') y += 32;
    if (x != y) return false;
  }
  return true;
}

// --- HttpServerCore ------------------------------------------------------------------------------

HttpServerCore::HttpServerCore(uv_loop_t* loop, HttpServerOptions options,
                               HttpRequestHandler onRequest)
    : loop_(loop),
      options_(std::move(options)),
      onRequest_(std::move(onRequest)),
      readBuffer_(new char[kReadBufferSize]) {
  uv_idle_init(loop_, &idle_);
  idle_.data = this;
  deferred_.reserve(64);
  deferredRunning_.reserve(64);
}

int HttpServerCore::listen() {
  if (listenerState_ != kListenerNone) return UV_EALREADY;
  sockaddr_storage addr{};
  int family = AF_INET;
  int r = uv_ip4_addr(options_.host.c_str(), options_.port, reinterpret_cast<sockaddr_in*>(&addr));
  if (r != 0) {
    family = AF_INET6;
    r = uv_ip6_addr(options_.host.c_str(), options_.port, reinterpret_cast<sockaddr_in6*>(&addr));
    if (r != 0) return UV_EINVAL;
  }
  r = uv_tcp_init_ex(loop_, &listener_, family);
  if (r != 0) return r;
  listener_.data = this;
  listenerState_ = kListenerOpen;
  if (options_.reusePort) {
    uv_os_fd_t fd;
    r = uv_fileno(reinterpret_cast<uv_handle_t*>(&listener_), &fd);
    int one = 1;
    if (r == 0 && setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one) != 0) {
      r = uv_translate_sys_error(errno);
    }
  }
  if (r == 0) r = uv_tcp_bind(&listener_, reinterpret_cast<const sockaddr*>(&addr), 0);
  if (r == 0) {
    r = uv_listen(reinterpret_cast<uv_stream_t*>(&listener_), options_.backlog, onConnection);
  }
  if (r == 0) {
    sockaddr_storage bound{};
    int len = sizeof bound;
    r = uv_tcp_getsockname(&listener_, reinterpret_cast<sockaddr*>(&bound), &len);
    if (r == 0) {
      port_ = ntohs(bound.ss_family == AF_INET6 ? reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port
                                                : reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
    }
  }
  if (r != 0) {
    closeListener();
    port_ = 0;
  }
  return r;
}

void HttpServerCore::onConnection(uv_stream_t* server, int status) {
  auto* core = static_cast<HttpServerCore*>(server->data);
  if (status < 0 || core->listenerState_ != kListenerOpen) return;
  auto* c = new HttpConnection(core);
  c->next = core->connections_;
  if (core->connections_ != nullptr) core->connections_->prev = c;
  core->connections_ = c;
  ++core->stats_.connectionsAccepted;
  if (c->start(server) != 0) c->closeNow("accept failed");
}

void HttpServerCore::closeListener() {
  if (listenerState_ != kListenerOpen) return;
  listenerState_ = kListenerClosing;
  uv_close(reinterpret_cast<uv_handle_t*>(&listener_), [](uv_handle_t* h) {
    auto* core = static_cast<HttpServerCore*>(h->data);
    core->listenerState_ = kListenerClosed;
    core->checkDrained();
    core->maybeDelete();
  });
}

void HttpServerCore::stopAccepting() { closeListener(); }

void HttpServerCore::shutdown(std::function<void()> onDrained) {
  onDrained_ = std::move(onDrained);
  shuttingDown_ = true;
  closeListener();
  for (HttpConnection* c = connections_; c != nullptr;) {
    HttpConnection* next = c->next;  // onServerShutdown may close c (it stays linked until freed)
    c->onServerShutdown();
    c = next;
  }
  checkDrained();
}

void HttpServerCore::checkDrained() {
  if (onDrained_ && connections_ == nullptr &&
      (listenerState_ == kListenerNone || listenerState_ == kListenerClosed)) {
    post(std::move(onDrained_));
    onDrained_ = nullptr;
  }
}

void HttpServerCore::release() {
  released_ = true;
  shuttingDown_ = true;
  onDrained_ = nullptr;
  closeListener();
  for (HttpConnection* c = connections_; c != nullptr; c = c->next) c->closeNow("server destroyed");
  wakeDeferred();
}

HttpServerStats HttpServerCore::statsSnapshot() const {
  HttpServerStats s = stats_;
  s.openConnections = 0;
  for (HttpConnection* c = connections_; c != nullptr; c = c->next) ++s.openConnections;
  return s;
}

void HttpServerCore::defer(HttpConnection* c) {
  deferred_.push_back(c);
  wakeDeferred();
}

void HttpServerCore::post(std::function<void()> fn) {
  posted_.push_back(std::move(fn));
  wakeDeferred();
}

void HttpServerCore::wakeDeferred() {
  if (!idleClosing_ && !uv_is_active(reinterpret_cast<uv_handle_t*>(&idle_))) {
    uv_idle_start(&idle_, onIdle);
  }
}

void HttpServerCore::onIdle(uv_idle_t* idle) {
  static_cast<HttpServerCore*>(idle->data)->runDeferred();
}

void HttpServerCore::runDeferred() {
  deferredRunning_.swap(deferred_);
  for (HttpConnection* c : deferredRunning_) {
    uint8_t flags = c->deferFlags;
    c->deferFlags = 0;
    c->runDeferred(flags);  // a closed connection ignores it; none is freed during this pass
  }
  deferredRunning_.clear();
  if (!posted_.empty()) {
    std::vector<std::function<void()>> run;
    run.swap(posted_);
    for (auto& fn : run) fn();
  }
  if (deferred_.empty() && posted_.empty()) {
    uv_idle_stop(&idle_);
    maybeDelete();
  }
}

void HttpServerCore::connectionClosed(HttpConnection* c) {
  if (c->prev != nullptr) c->prev->next = c->next;
  if (c->next != nullptr) c->next->prev = c->prev;
  if (connections_ == c) connections_ = c->next;
  if (c->deferFlags != 0) std::erase(deferred_, c);
  delete c;
  checkDrained();
  maybeDelete();
}

void HttpServerCore::maybeDelete() {
  if (!released_ || idleClosing_ || connections_ != nullptr || !deferred_.empty() ||
      !posted_.empty() || listenerState_ == kListenerOpen || listenerState_ == kListenerClosing) {
    return;
  }
  idleClosing_ = true;
  uv_idle_stop(&idle_);
  uv_close(reinterpret_cast<uv_handle_t*>(&idle_),
           [](uv_handle_t* h) { delete static_cast<HttpServerCore*>(h->data); });
}

}  // namespace detail
}  // namespace pactown::runtime
