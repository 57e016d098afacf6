// One HTTP/1.1 connection, output side: response head serialisation, body framing, the ordered
// output queue (uv_try_write first, then one uv_write at a time) and write-completion callbacks.
#include <algorithm>
#include <array>
#include <charconv>
#include <iterator>
#include <utility>

#include "runtime/http_connection.h"

namespace pactown::runtime::detail {

namespace {

// RFC 9110 5.6.2 tchar.
constexpr std::array<bool, 256> kTokenChars = [] {
  std::array<bool, 256> t{};
  for (int c = '0'; c <= '9'; ++c) t[c] = true;
  for (int c = 'a'; c <= 'z'; ++c) t[c] = true;
  for (int c = 'A'; c <= 'Z'; ++c) t[c] = true;
  for (char c : std::string_view("!#$%&'*+-.^_`|~")) t[static_cast<unsigned char>(c)] = true;
  return t;
}();

// Field values and reason phrases must not be able to end the line (response splitting).
bool validValue(std::string_view value) {
  for (char c : value) {
    if (c == '\r' || c == '\n' || c == '\0') return false;
  }
  return true;
}

// True if the comma-separated list has the token `close`.
bool hasCloseToken(std::string_view v) {
  size_t i = 0;
  while (i < v.size()) {
    size_t end = v.find(',', i);
    if (end == std::string_view::npos) end = v.size();
    std::string_view item = v.substr(i, end - i);
    while (!item.empty() && (item.front() == ' ' || item.front() == '\t')) item.remove_prefix(1);
    while (!item.empty() && (item.back() == ' ' || item.back() == '\t')) item.remove_suffix(1);
    if (equalsIgnoreCase(item, "close")) return true;
    i = end + 1;
  }
  return false;
}

constexpr std::pair<int, std::string_view> kReasons[] = {
    {100, "Continue"},
    {101, "Switching Protocols"},
    {102, "Processing"},
    {103, "Early Hints"},
    {200, "OK"},
    {201, "Created"},
    {202, "Accepted"},
    {203, "Non-Authoritative Information"},
    {204, "No Content"},
    {205, "Reset Content"},
    {206, "Partial Content"},
    {207, "Multi-Status"},
    {300, "Multiple Choices"},
    {301, "Moved Permanently"},
    {302, "Found"},
    {303, "See Other"},
    {304, "Not Modified"},
    {307, "Temporary Redirect"},
    {308, "Permanent Redirect"},
    {400, "Bad Request"},
    {401, "Unauthorized"},
    {402, "Payment Required"},
    {403, "Forbidden"},
    {404, "Not Found"},
    {405, "Method Not Allowed"},
    {406, "Not Acceptable"},
    {408, "Request Timeout"},
    {409, "Conflict"},
    {410, "Gone"},
    {411, "Length Required"},
    {412, "Precondition Failed"},
    {413, "Payload Too Large"},
    {414, "URI Too Long"},
    {415, "Unsupported Media Type"},
    {416, "Range Not Satisfiable"},
    {417, "Expectation Failed"},
    {418, "I'm a teapot"},
    {421, "Misdirected Request"},
    {422, "Unprocessable Content"},
    {425, "Too Early"},
    {426, "Upgrade Required"},
    {428, "Precondition Required"},
    {429, "Too Many Requests"},
    {431, "Request Header Fields Too Large"},
    {451, "Unavailable For Legal Reasons"},
    {500, "Internal Server Error"},
    {501, "Not Implemented"},
    {502, "Bad Gateway"},
    {503, "Service Unavailable"},
    {504, "Gateway Timeout"},
    {505, "HTTP Version Not Supported"},
};

std::string_view standardReason(int status) {
  const auto* it = std::lower_bound(std::begin(kReasons), std::end(kReasons), status,
                                    [](const auto& e, int s) { return e.first < s; });
  return it != std::end(kReasons) && it->first == status ? it->second : std::string_view();
}

void appendNumber(std::string& out, uint64_t n) {
  char buf[24];
  auto res = std::to_chars(buf, buf + sizeof buf, n);
  out.append(buf, res.ptr);
}

}  // namespace

bool isToken(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!kTokenChars[static_cast<unsigned char>(c)]) return false;
  }
  return true;
}

// --- Response head -------------------------------------------------------------------------------

bool HttpConnection::startResponse(HttpExchange* ex, int status, std::string_view reason,
                                   std::span<const HttpHeaderView> headers,
                                   HttpBodyFraming framing) {
  if (closed_ || ex->responseStarted_ || status < 100 || status > 999) return false;
  if (status == 101) {
    const HttpRequestHead& h = ex->head_;
    if (!h.upgrade || h.hasBody || isHead_ || httpMinor_ == 0 || h.method() == "CONNECT") {
      return false;
    }
    ex->responseStarted_ = true;
    tunnel_ = true;
    keepAlive_ = false;
    appendHead(status, reason, headers, HttpBodyFraming::none(), false);
    if (messageDone_) openTunnel();  // else once llhttp reaches the end of the request
    scheduleFlush();
    return true;
  }
  if (status < 200) {
    // Interim response. HTTP/1.0 clients do not expect them.
    if (httpMinor_ == 0) return true;
    if (status == 100) {
      if (continueSent_ || messageDone_) return true;
      continueSent_ = true;
    }
    appendHead(status, reason, headers, HttpBodyFraming::none(), true);
    scheduleFlush();
    return true;
  }
  ex->responseStarted_ = true;
  if (core_->shuttingDown() || (eof_ && pending_.empty())) keepAlive_ = false;
  // The client may be holding back a body we never asked for: its state is unknown afterwards.
  if (expectContinue_ && !continueSent_ && !messageDone_) keepAlive_ = false;
  appendHead(status, reason, headers, framing, false);
  scheduleFlush();
  return true;
}

void HttpConnection::appendHead(int status, std::string_view reason,
                                std::span<const HttpHeaderView> headers, HttpBodyFraming framing,
                                bool interim) {
  std::string& out = outBuf_;
  size_t before = out.size();
  if (reason.empty() || !validValue(reason)) reason = standardReason(status);
  out.append("HTTP/1.1 ");
  appendNumber(out, static_cast<uint64_t>(status));
  out.push_back(' ');
  out.append(reason);
  out.append("\r\n");
  bool upgrade = status == 101;
  bool sawConnection = false;
  for (const HttpHeaderView& h : headers) {
    if (!isToken(h.name) || !validValue(h.value)) continue;
    if (equalsIgnoreCase(h.name, "content-length") ||
        equalsIgnoreCase(h.name, "transfer-encoding") || equalsIgnoreCase(h.name, "keep-alive")) {
      continue;
    }
    if (equalsIgnoreCase(h.name, "connection")) {
      if (!upgrade) {
        if (!interim && hasCloseToken(h.value)) keepAlive_ = false;
        continue;
      }
      sawConnection = true;
    }
    out.append(h.name);
    out.append(": ");
    out.append(h.value);
    out.append("\r\n");
  }
  if (upgrade) {
    if (!sawConnection) out.append("Connection: Upgrade\r\n");
    bodyMode_ = BodyMode::kRaw;
  } else if (!interim) {
    bodyMode_ = BodyMode::kDiscard;
    fixedRemaining_ = 0;
    if (status == 204) {
      // RFC 9110 8.6: no Content-Length in a 204.
    } else if (status == 304) {
      if (framing.kind == HttpBodyFraming::Kind::kFixed) {
        out.append("Content-Length: ");
        appendNumber(out, framing.length);
        out.append("\r\n");
      }
    } else if (framing.kind == HttpBodyFraming::Kind::kChunked) {
      if (httpMinor_ >= 1) {
        out.append("Transfer-Encoding: chunked\r\n");
        bodyMode_ = BodyMode::kChunked;
      } else if (!isHead_) {
        bodyMode_ = BodyMode::kRaw;  // HTTP/1.0: the end of the body is the end of the connection
        keepAlive_ = false;
      }
    } else {
      uint64_t n = framing.kind == HttpBodyFraming::Kind::kFixed ? framing.length : 0;
      out.append("Content-Length: ");
      appendNumber(out, n);
      out.append("\r\n");
      bodyMode_ = BodyMode::kFixed;
      fixedRemaining_ = n;
    }
    if (isHead_) bodyMode_ = BodyMode::kDiscard;
    if (!keepAlive_) {
      out.append("Connection: close\r\n");
    } else if (httpMinor_ == 0) {
      out.append("Connection: keep-alive\r\n");
    }
  }
  out.append("\r\n");
  appended_ += out.size() - before;
}

// --- Body ----------------------------------------------------------------------------------------

bool HttpConnection::write(HttpExchange* ex, std::string_view data, HttpWriteCallback done) {
  if (closed_ || !ex->responseStarted_ || ex->finished_) return false;
  switch (bodyMode_) {
    case BodyMode::kDiscard:
      break;
    case BodyMode::kFixed: {
      size_t n = static_cast<size_t>(std::min<uint64_t>(data.size(), fixedRemaining_));
      appendOut(data.data(), n);
      fixedRemaining_ -= n;
      break;
    }
    case BodyMode::kChunked:
      if (!data.empty()) {
        char size[24];
        auto res = std::to_chars(size, size + sizeof size, data.size(), 16);
        *res.ptr++ = '\r';
        *res.ptr++ = '\n';
        appendOut(size, static_cast<size_t>(res.ptr - size));
        appendOut(data.data(), data.size());
        appendOut("\r\n", 2);
      }
      break;
    case BodyMode::kRaw:
      appendOut(data.data(), data.size());
      break;
  }
  if (done) {
    writeCbs_.push_back({appended_, std::move(done)});
    if (callbackReady()) defer(kDeferCallbacks);
  }
  if (outBuf_.size() >= core_->options().writeHighWaterBytes && !inParse_) {
    flush();
  } else {
    scheduleFlush();
  }
  return true;
}

bool HttpConnection::finish(HttpExchange* ex) {
  if (closed_ || !ex->responseStarted_ || ex->finished_) return false;
  if (bodyMode_ == BodyMode::kChunked) {
    appendOut("0\r\n\r\n", 5);
  } else if (bodyMode_ == BodyMode::kRaw ||
             (bodyMode_ == BodyMode::kFixed && fixedRemaining_ > 0)) {
    keepAlive_ = false;  // close-delimited, or short: only closing tells the client
  }
  std::shared_ptr<HttpExchange> keep = std::move(exchange_);
  // No abort can follow: drop the handler now (it may hold the exchange in a cycle).
  std::function<void()> dropped = std::move(keep->onAborted_);
  ex->finished_ = true;
  ex->conn_ = nullptr;
  if (!keep->bodyDone_) {
    bodyAbandoned(keep, "response finished");
    bodyBuf_.clear();
  }
  if (!keepAlive_) {
    stopParsing_ = true;
    closeAfterFlush_ = true;
    pending_.clear();
  } else if (messageDone_) {
    nextMessage();
  } else {
    draining_ = true;  // discard the rest of the request body, then serve the next request
    drainBudget_ = kDrainLimit;
  }
  if (inParse_) {
    flushQueued_ = true;
  } else {
    flush();
    if (!closed_) {
      updateReading();
      updateTimer();
    }
  }
  return true;
}

// --- Output queue --------------------------------------------------------------------------------

void HttpConnection::appendOut(const char* data, size_t len) {
  outBuf_.append(data, len);
  appended_ += len;
}

void HttpConnection::scheduleFlush() {
  if (inParse_) {
    flushQueued_ = true;
  } else {
    defer(kDeferFlush);
  }
}

void HttpConnection::flush() {
  if (closed_ || writeInFlight_) return;
  if (outBuf_.empty()) {
    writeProgress();
    return;
  }
  auto* s = reinterpret_cast<uv_stream_t*>(&tcp_);
  uv_buf_t buf = uv_buf_init(outBuf_.data(), static_cast<unsigned>(outBuf_.size()));
  int n = uv_try_write(s, &buf, 1);
  if (n == UV_EAGAIN || n == UV_ENOSYS) n = 0;
  if (n < 0) {
    closeNow("write failed");
    return;
  }
  flushed_ += static_cast<uint64_t>(n);
  core_->stats().bytesWritten += static_cast<uint64_t>(n);
  if (static_cast<size_t>(n) == outBuf_.size()) {
    outBuf_.clear();
    releaseIfLarge(outBuf_);
  } else {
    // The rest goes through one uv_write; later output accumulates in outBuf_ meanwhile.
    inflight_.swap(outBuf_);
    outBuf_.clear();
    inflightOffset_ = static_cast<size_t>(n);
    uv_buf_t rest = uv_buf_init(inflight_.data() + n, static_cast<unsigned>(inflight_.size() - n));
    if (uv_write(&writeReq_, s, &rest, 1, onWriteDone) != 0) {
      closeNow("write failed");
      return;
    }
    writeInFlight_ = true;
  }
  writeProgress();
}

void HttpConnection::onWriteDone(uv_write_t* req, int status) {
  auto* c = static_cast<HttpConnection*>(req->handle->data);
  c->writeInFlight_ = false;
  if (c->closed_) return;
  if (status < 0) {
    c->closeNow("write failed");
    return;
  }
  uint64_t n = c->inflight_.size() - c->inflightOffset_;
  c->flushed_ += n;
  c->core_->stats().bytesWritten += n;
  c->inflight_.clear();
  releaseIfLarge(c->inflight_);
  c->flush();
  if (!c->closed_) c->fireWriteCallbacks();
}

void HttpConnection::writeProgress() {
  if (closed_) return;
  if (callbackReady()) defer(kDeferCallbacks);
  if (writeInFlight_ || !outBuf_.empty()) return;
  if (closeAfterFlush_) {
    if (eof_) {
      closeNow("");
    } else {
      beginShutdown();
    }
    return;
  }
  if (!inParse_) {
    // Output drained: a pipelined request held back by the backlog may go on.
    if (!inMessage_ && !pending_.empty() && !stopParsing_ && !blocked()) defer(kDeferResume);
    updateReading();
    updateTimer();
  }
}

bool HttpConnection::callbackReady() const {
  return cbHead_ < writeCbs_.size() &&
         writeCbs_[cbHead_].end <= flushed_ + core_->options().writeHighWaterBytes;
}

void HttpConnection::fireWriteCallbacks() {
  while (!closed_ && callbackReady()) {
    HttpWriteCallback cb = std::move(writeCbs_[cbHead_].done);
    if (++cbHead_ == writeCbs_.size()) {
      writeCbs_.clear();
      cbHead_ = 0;
    }
    cb(true);
  }
}

void HttpConnection::beginShutdown() {
  if (shutdownSent_ || closed_) return;
  shutdownSent_ = true;
  stopParsing_ = true;
  pending_.clear();
  if (uv_shutdown(&shutdownReq_, reinterpret_cast<uv_stream_t*>(&tcp_), onShutdownDone) != 0) {
    closeNow("");
    return;
  }
  updateTimer();    // linger timeout
  updateReading();  // read and drop until the client closes
}

void HttpConnection::onShutdownDone(uv_shutdown_t* req, int status) {
  auto* c = static_cast<HttpConnection*>(req->handle->data);
  if (c->closed_) return;
  if (status < 0 || c->eof_) c->closeNow("");
}

}  // namespace pactown::runtime::detail
