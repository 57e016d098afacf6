// One HTTP/1.1 connection, input side: socket reads, llhttp parsing, request delivery, request
// body flow control, timeouts and closing. The response side is in http_response.cc.
//
// Parsing pauses llhttp at two points (on_headers_complete and on_message_complete) so the
// application is called outside llhttp callbacks, and so bytes of a pipelined request stay
// unparsed in pending_ until the open exchange finished.
#include "runtime/http_connection.h"

#include <cstring>
#include <utility>

namespace pactown::runtime::detail {

namespace {

constexpr uint64_t kLingerLimit = 1024 * 1024;

}  // namespace

HttpConnection::HttpConnection(HttpServerCore* core) : core_(core) {}

int HttpConnection::start(uv_stream_t* listener) {
  uv_tcp_init(core_->loop(), &tcp_);
  tcp_.data = this;
  uv_timer_init(core_->loop(), &timer_);
  timer_.data = this;
  openHandles_ = 2;
  int r = uv_accept(listener, reinterpret_cast<uv_stream_t*>(&tcp_));
  if (r != 0) return r;
  uv_tcp_nodelay(&tcp_, 1);
  sockaddr_storage peer{};
  int len = sizeof peer;
  if (uv_tcp_getpeername(&tcp_, reinterpret_cast<sockaddr*>(&peer), &len) == 0) {
    char name[64] = {0};
    if (peer.ss_family == AF_INET6) {
      auto* a = reinterpret_cast<sockaddr_in6*>(&peer);
      uv_ip6_name(a, name, sizeof name);
      peerPort_ = ntohs(a->sin6_port);
    } else {
      auto* a = reinterpret_cast<sockaddr_in*>(&peer);
      uv_ip4_name(a, name, sizeof name);
      peerPort_ = ntohs(a->sin_port);
    }
    peerAddress_ = name;
  }
  llhttp_init(&parser_, HTTP_REQUEST, parserSettings());
  parser_.data = this;
  updateTimer();
  updateReading();
  return 0;
}

// --- Reading and parsing -------------------------------------------------------------------------

void HttpConnection::onAlloc(uv_handle_t* h, size_t, uv_buf_t* buf) {
  auto* c = static_cast<HttpConnection*>(h->data);
  // One buffer per server: libuv calls alloc, read(2) and the read callback back to back, and the
  // read callback copies whatever it keeps.
  *buf = uv_buf_init(c->core_->readBuffer(), HttpServerCore::kReadBufferSize);
}

void HttpConnection::onRead(uv_stream_t* s, ssize_t nread, const uv_buf_t* buf) {
  auto* c = static_cast<HttpConnection*>(s->data);
  if (c->closed_ || nread == 0) return;
  if (nread < 0) {
    c->handleEof(nread);
    return;
  }
  c->core_->stats().bytesRead += static_cast<uint64_t>(nread);
  if (c->stopParsing_) {
    // Closing: the client's remaining input is read and dropped so our response is not lost to
    // an RST, up to a limit.
    c->lingerBytes_ += static_cast<uint64_t>(nread);
    if (c->lingerBytes_ > kLingerLimit) c->closeNow("client kept sending");
    return;
  }
  c->processInput(buf->base, static_cast<size_t>(nread));
}

void HttpConnection::processInput(const char* data, size_t len) {
  if (tunnel_ && messageDone_) {
    bodyBuf_.append(data, len);
  } else if (pending_.empty()) {
    parse(data, len);
  } else {
    pending_.append(data, len);
    parsePending();
  }
  endProcess();
}

void HttpConnection::parsePending() {
  if (pending_.empty() || blocked() || closed_ || stopParsing_) return;
  spare_.swap(pending_);  // pending_ is now empty; leftovers of this parse go back into it
  parse(spare_.data(), spare_.size());
  spare_.clear();
  releaseIfLarge(spare_);
}

void HttpConnection::parse(const char* data, size_t len) {
  inParse_ = true;
  while (!closed_ && !stopParsing_ && !blocked()) {
    llhttp_errno_t err = llhttp_execute(&parser_, data, len);
    if (err == HPE_OK) {
      len = 0;
      break;
    }
    if (err == HPE_PAUSED || err == HPE_PAUSED_UPGRADE) {
      size_t used = static_cast<size_t>(llhttp_get_error_pos(&parser_) - data);
      data += used;
      len -= used;
      if (err == HPE_PAUSED_UPGRADE) {
        // The upgrade was answered without a 101: keep speaking HTTP/1.1.
        llhttp_resume_after_upgrade(&parser_);
        continue;
      }
      llhttp_resume(&parser_);
      Pause what = pause_;
      pause_ = Pause::kNone;
      if (what == Pause::kHeaders) {
        headersComplete();
      } else if (what == Pause::kMessage) {
        messageComplete();
      }
      continue;
    }
    len = 0;
    if (stopParsing_) {
      flushQueued_ = true;  // a callback gave up on this connection; close once output is out
    } else {
      badRequest(headTooLarge_ ? 431 : 400);
    }
    break;
  }
  if (len > 0 && !closed_ && !stopParsing_) pending_.append(data, len);
  inParse_ = false;
}

void HttpConnection::endProcess() {
  if (tunnel_ && messageDone_ && !pending_.empty()) openTunnel();
  deliverBody();
  if (closed_) return;
  if (eof_ && exchange_ == nullptr && pending_.empty() && !stopParsing_) {
    // Half-open client with nothing left to serve (or an unfinishable request).
    stopParsing_ = true;
    closeAfterFlush_ = true;
    flushQueued_ = true;
  }
  if (flushQueued_) {
    flushQueued_ = false;
    flush();
    if (closed_) return;
  }
  updateReading();
  updateTimer();
}

bool HttpConnection::blocked() const {
  if (exchange_ != nullptr && messageDone_) return true;  // next request waits for finish()
  return !inMessage_ && outPending() > core_->options().writeHighWaterBytes;
}

void HttpConnection::headersComplete() {
  HttpRequestHead& h = building_;
  h.httpMinor = parser_.http_minor;
  h.keepAlive = llhttp_should_keep_alive(&parser_) != 0;
  h.chunked = (parser_.flags & F_CHUNKED) != 0;
  h.contentLength.reset();
  if (!h.chunked && (parser_.flags & F_CONTENT_LENGTH)) h.contentLength = parser_.content_length;
  h.hasBody = h.chunked || (h.contentLength && *h.contentLength > 0);
  h.upgrade = parser_.upgrade != 0;
  std::optional<std::string_view> expect = h.find("expect");
  h.expectContinue =
      h.hasBody && h.httpMinor >= 1 && expect && equalsIgnoreCase(*expect, "100-continue");
  h.peerAddress = peerAddress_;
  h.peerPort = peerPort_;

  auto ex = std::make_shared<HttpExchange>(HttpExchange::Key());
  ex->head_ = std::move(building_);
  ex->conn_ = this;
  const HttpRequestHead& head = ex->head_;
  exchange_ = ex;
  expectContinue_ = head.expectContinue;
  continueSent_ = false;
  isHead_ = head.method() == "HEAD";
  httpMinor_ = head.httpMinor;
  keepAlive_ = head.keepAlive && head.method() != "CONNECT";
  bodyMode_ = BodyMode::kDiscard;
  fixedRemaining_ = 0;
  draining_ = false;
  bodyBuf_.clear();
  ++core_->stats().requests;
  updateTimer();
  core_->dispatch(std::move(ex));
}

void HttpConnection::messageComplete() {
  if (exchange_ != nullptr) {
    messageDone_ = true;  // onEnd goes out from deliverBody once the buffer is drained
    return;
  }
  nextMessage();
}

void HttpConnection::nextMessage() {
  inMessage_ = false;
  headDone_ = false;
  messageDone_ = false;
  draining_ = false;
  expectContinue_ = false;
  continueSent_ = false;
  bodyBuf_.clear();
  releaseIfLarge(bodyBuf_);
  if (!keepAlive_ || core_->shuttingDown() || (eof_ && pending_.empty())) {
    stopParsing_ = true;
    closeAfterFlush_ = true;
    pending_.clear();
    if (inParse_) {
      flushQueued_ = true;
    } else {
      flush();
    }
    return;
  }
  if (!inParse_) defer(kDeferResume);
}

void HttpConnection::deliverBody() {
  HttpExchange* ex = exchange_.get();
  if (ex == nullptr || !ex->sinkSet_ || ex->bodyDone_) return;
  if (!ex->bodyPaused_) {
    sendContinue();
    if (closed_) return;
  }
  std::shared_ptr<HttpExchange> keep = exchange_;
  while (!bodyBuf_.empty() && !ex->bodyPaused_) {
    deliverBuf_.swap(bodyBuf_);
    if (ex->sink_.onData) ex->sink_.onData(deliverBuf_.data(), deliverBuf_.size());
    deliverBuf_.clear();
    releaseIfLarge(deliverBuf_);
    if (closed_ || exchange_.get() != ex) return;
  }
  if (bodyBuf_.empty() && (tunnel_ ? eof_ : messageDone_) && !ex->bodyDone_) {
    ex->bodyDone_ = true;
    HttpBodySink sink = std::move(ex->sink_);
    if (sink.onEnd) sink.onEnd();
  }
}

void HttpConnection::updateReading() {
  if (closed_ || eof_) return;
  const HttpServerOptions& o = core_->options();
  bool want = true;
  if (stopParsing_) {
    want = true;  // discard until the close
  } else if (tunnel_ && exchange_ != nullptr) {
    want = bodyBuf_.size() < o.bodyHighWaterBytes;
  } else if (blocked()) {
    want = pending_.size() < o.bodyHighWaterBytes;  // keep noticing EOF, but bounded
  } else if (exchange_ != nullptr && headDone_ && !messageDone_) {
    want = bodyBuf_.size() < o.bodyHighWaterBytes;
  }
  if (want == reading_) return;
  reading_ = want;
  auto* s = reinterpret_cast<uv_stream_t*>(&tcp_);
  if (want) {
    uv_read_start(s, onAlloc, onRead);
  } else {
    uv_read_stop(s);
  }
}

void HttpConnection::handleEof(ssize_t status) {
  eof_ = true;
  reading_ = false;
  if (status != UV_EOF) {
    closeNow("connection reset");
    return;
  }
  if (shutdownSent_) {
    closeNow("");
    return;
  }
  if (exchange_ != nullptr && tunnel_ && messageDone_) {
    defer(kDeferBody);  // onEnd once the buffered bytes are delivered; our side stays open
    return;
  }
  if (exchange_ != nullptr) {
    if (!messageDone_ || !core_->options().allowHalfOpen) {
      closeNow("client disconnected");
      return;
    }
    return;  // half-open: answer what was received, then close
  }
  if (inMessage_ && !draining_) {
    closeNow("client disconnected");  // incomplete request head
    return;
  }
  if (!pending_.empty() && core_->options().allowHalfOpen) return;  // serve what was received
  stopParsing_ = true;
  pending_.clear();
  if (outPending() == 0 && !writeInFlight_) {
    closeNow("");
  } else {
    closeAfterFlush_ = true;
  }
}

void HttpConnection::updateTimer() {
  if (closed_) return;
  TimerMode want = TimerMode::kNone;
  if (shutdownSent_) {
    want = TimerMode::kLinger;
  } else if (stopParsing_) {
    want = TimerMode::kNone;  // flushing the last response
  } else if (inMessage_ && !headDone_) {
    want = TimerMode::kHeader;
  } else if (exchange_ == nullptr && (!inMessage_ || draining_) && outPending() == 0 &&
             pending_.empty()) {
    want = TimerMode::kIdle;
  }
  if (want == timerMode_) return;
  timerMode_ = want;
  const HttpServerOptions& o = core_->options();
  switch (want) {
    case TimerMode::kNone:
      uv_timer_stop(&timer_);
      break;
    case TimerMode::kIdle:
      uv_timer_start(&timer_, onTimer, o.idleTimeoutMs, 0);
      break;
    case TimerMode::kHeader:
      uv_timer_start(&timer_, onTimer, o.headerTimeoutMs, 0);
      break;
    case TimerMode::kLinger:
      uv_timer_start(&timer_, onTimer, o.lingerTimeoutMs, 0);
      break;
  }
}

void HttpConnection::onTimer(uv_timer_t* t) {
  auto* c = static_cast<HttpConnection*>(t->data);
  TimerMode mode = c->timerMode_;
  c->timerMode_ = TimerMode::kNone;
  if (mode == TimerMode::kHeader && c->exchange_ == nullptr) {
    c->badRequest(408);
  } else {
    c->closeNow(mode == TimerMode::kIdle ? "idle timeout" : "");
  }
}

void HttpConnection::runDeferred(uint8_t flags) {
  if (closed_) return;
  if (flags & kDeferBody) {
    deliverBody();
    if (closed_) return;
  }
  if (flags & kDeferResume) {
    parsePending();
    endProcess();
    if (closed_) return;
  }
  if (flags & kDeferFlush) {
    flush();
    if (closed_) return;
  }
  if (flags & kDeferCallbacks) fireWriteCallbacks();
  if (!closed_) updateReading();
}

void HttpConnection::defer(uint8_t flag) {
  if (closed_) return;
  if (deferFlags == 0) core_->defer(this);
  deferFlags |= flag;
}

// --- Request body flow control (called through HttpExchange) -------------------------------------

// Both only schedule deliverBody(), which also decides about 100 Continue: a sink registered and
// paused in the same turn has not asked for the body yet.
void HttpConnection::bodySinkSet(HttpExchange* ex) { defer(kDeferBody); }

void HttpConnection::bodyResumed(HttpExchange* ex) { defer(kDeferBody); }

void HttpConnection::openTunnel() {
  // Whatever followed the upgrade request belongs to the new protocol.
  bodyBuf_.append(pending_);
  pending_.clear();
  defer(kDeferBody);
}

void HttpConnection::sendContinue() {
  if (!expectContinue_ || continueSent_ || messageDone_ || exchange_ == nullptr ||
      exchange_->responseStarted_) {
    return;
  }
  continueSent_ = true;
  static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
  appendOut(kContinue.data(), kContinue.size());
  if (inParse_) {
    flushQueued_ = true;
  } else {
    flush();
  }
}

// --- Errors and closing --------------------------------------------------------------------------

void HttpConnection::badRequest(int status) {
  ++core_->stats().badRequests;
  stopParsing_ = true;
  closeAfterFlush_ = true;
  pending_.clear();
  if (exchange_ != nullptr) {
    bool started = exchange_->responseStarted_;
    failExchange(status == 408 ? "request timeout" : "invalid request body");
    if (started) {
      closeNow("");
      return;
    }
  } else if (draining_) {
    // The response already went out; nothing sensible to add.
    if (inParse_) {
      flushQueued_ = true;
    } else {
      flush();
    }
    return;
  }
  const char* text = status == 431   ? "Request Header Fields Too Large"
                     : status == 408 ? "Request Timeout"
                                     : "Bad Request";
  std::string body = std::string(text) + "\n";
  HttpHeaderView headers[] = {{"Content-Type", "text/plain; charset=utf-8"}};
  keepAlive_ = false;
  isHead_ = false;
  httpMinor_ = 1;
  appendHead(status, text, headers, HttpBodyFraming::fixed(body.size()), false);
  appendOut(body.data(), body.size());
  if (inParse_) {
    flushQueued_ = true;
  } else {
    flush();
  }
  updateReading();
}

void HttpConnection::bodyAbandoned(const std::shared_ptr<HttpExchange>& ex, const char* reason) {
  if (ex->bodyDone_) return;
  if (!ex->sinkSet_) {
    ex->pendingError_ = reason;  // for a sink registered later
    return;
  }
  ex->bodyDone_ = true;
  core_->post([ex, reason] {
    HttpBodySink sink = std::move(ex->sink_);
    if (sink.onError) sink.onError(reason);
  });
}

void HttpConnection::failExchange(const char* reason) {
  if (exchange_ == nullptr) return;
  std::shared_ptr<HttpExchange> ex = std::move(exchange_);
  ex->conn_ = nullptr;
  ex->aborted_ = true;
  bodyAbandoned(ex, reason);
  core_->post([ex] {
    std::function<void()> onAborted = std::move(ex->onAborted_);
    if (onAborted) onAborted();
  });
}

void HttpConnection::abort(HttpExchange* ex) {
  std::shared_ptr<HttpExchange> keep = std::move(exchange_);
  ex->conn_ = nullptr;
  ex->aborted_ = true;
  ex->bodyDone_ = true;
  // abort() may run inside the sink's own onData: release the callbacks (and any cycle through
  // them) later.
  core_->post([keep] {
    keep->sink_ = {};
    keep->onAborted_ = nullptr;
  });
  closeNow("");
}

void HttpConnection::closeNow(const char* reason) {
  if (closed_) return;
  failExchange(reason[0] != '\0' ? reason : "connection closed");
  closed_ = true;
  reading_ = false;
  if (cbHead_ < writeCbs_.size()) {
    std::vector<HttpWriteCallback> failed;
    for (size_t i = cbHead_; i < writeCbs_.size(); ++i)
      failed.push_back(std::move(writeCbs_[i].done));
    core_->post([failed = std::move(failed)] {
      for (const auto& cb : failed) cb(false);
    });
  }
  writeCbs_.clear();
  cbHead_ = 0;
  uv_timer_stop(&timer_);
  uv_close(reinterpret_cast<uv_handle_t*>(&timer_), onHandleClosed);
  uv_close(reinterpret_cast<uv_handle_t*>(&tcp_), onHandleClosed);
}

void HttpConnection::onHandleClosed(uv_handle_t* h) {
  auto* c = static_cast<HttpConnection*>(h->data);
  if (--c->openHandles_ == 0) c->core_->connectionClosed(c);
}

void HttpConnection::onServerShutdown() {
  if (closed_) return;
  if (exchange_ != nullptr || inMessage_ || !pending_.empty() || stopParsing_) {
    return;  // the in-flight exchange finishes with Connection: close
  }
  stopParsing_ = true;
  if (outPending() == 0 && !writeInFlight_) {
    closeNow("");
  } else {
    closeAfterFlush_ = true;
  }
}

}  // namespace pactown::runtime::detail
