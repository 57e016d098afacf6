// Internals of the HTTP server (runtime/http_server.h): the per-loop server core and one
// connection. Not for use outside runtime/http_*.cc.
//
// Invariants:
// - Everything runs on the loop thread. A connection is deleted only from its last uv close
//   callback, so raw pointers to it stay valid until the closing phase of the loop iteration in
//   which closeNow() ran; HttpExchange::conn_ is cleared as soon as the exchange ends.
// - Application callbacks are invoked only from loop contexts (read/write callbacks, timers, the
//   core's deferred pass), never from inside an HttpExchange method.
// - Output is one ordered byte queue per connection: outBuf_ accumulates, inflight_ is what a
//   pending uv_write points into. Parsing of the next pipelined request waits while an exchange is
//   open or while more than writeHighWaterBytes of responses are queued.
#pragma once

#include <llhttp.h>
#include <uv.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/http_server.h"

namespace pactown::runtime::detail {

class HttpConnection;

class HttpServerCore {
 public:
  HttpServerCore(uv_loop_t* loop, HttpServerOptions options, HttpRequestHandler onRequest);
  HttpServerCore(const HttpServerCore&) = delete;
  HttpServerCore& operator=(const HttpServerCore&) = delete;

  int listen();
  uint16_t port() const { return port_; }
  void stopAccepting();
  void shutdown(std::function<void()> onDrained);
  bool drained() const { return connections_ == nullptr && listenerState_ != kListenerOpen; }
  // The owning HttpServer is gone: close everything, delete this once all handles are closed.
  void release();

  // --- For connections ---
  uv_loop_t* loop() const { return loop_; }
  const HttpServerOptions& options() const { return options_; }
  bool shuttingDown() const { return shuttingDown_; }
  HttpServerStats& stats() { return stats_; }
  HttpServerStats statsSnapshot() const;
  void dispatch(std::shared_ptr<HttpExchange> exchange) { onRequest_(std::move(exchange)); }
  char* readBuffer() { return readBuffer_.get(); }
  static constexpr size_t kReadBufferSize = 64 * 1024;
  // Queue `c` for the deferred pass (its deferFlags say what to do).
  void defer(HttpConnection* c);
  // Run `fn` from the deferred pass (application notifications raised inside API calls).
  void post(std::function<void()> fn);
  void connectionClosed(HttpConnection* c);

 private:
  enum ListenerState : uint8_t { kListenerNone, kListenerOpen, kListenerClosing, kListenerClosed };

  static void onConnection(uv_stream_t* server, int status);
  static void onIdle(uv_idle_t* idle);
  void runDeferred();
  void wakeDeferred();
  void closeListener();
  void checkDrained();
  void maybeDelete();

  uv_loop_t* loop_;
  HttpServerOptions options_;
  HttpRequestHandler onRequest_;
  uv_tcp_t listener_;
  uv_idle_t idle_;
  ListenerState listenerState_ = kListenerNone;
  bool idleClosing_ = false;
  bool released_ = false;
  bool shuttingDown_ = false;
  uint16_t port_ = 0;
  std::unique_ptr<char[]> readBuffer_;
  HttpConnection* connections_ = nullptr;  // intrusive list through prev/next
  std::vector<HttpConnection*> deferred_;
  std::vector<HttpConnection*> deferredRunning_;
  std::vector<std::function<void()>> posted_;
  std::function<void()> onDrained_;
  HttpServerStats stats_;
};

class HttpConnection {
 public:
  enum DeferFlag : uint8_t {
    kDeferFlush = 1,
    kDeferCallbacks = 2,
    kDeferResume = 4,
    kDeferBody = 8
  };
  // Unread request body discarded after finish() to keep the connection; more closes it.
  static constexpr uint64_t kDrainLimit = 256 * 1024;

  explicit HttpConnection(HttpServerCore* core);
  HttpConnection(const HttpConnection&) = delete;
  HttpConnection& operator=(const HttpConnection&) = delete;

  // Initialises the handles and accepts from `listener`; on error the caller must closeNow().
  int start(uv_stream_t* listener);
  void runDeferred(uint8_t flags);
  // Close the socket now; an open exchange is aborted with `reason`.
  void closeNow(const char* reason);
  void onServerShutdown();

  // --- HttpExchange entry points (only while exchange->conn_ == this) ---
  void bodySinkSet(HttpExchange* ex);
  void bodyResumed(HttpExchange* ex);
  bool startResponse(HttpExchange* ex, int status, std::string_view reason,
                     std::span<const HttpHeaderView> headers, HttpBodyFraming framing);
  bool write(HttpExchange* ex, std::string_view data, HttpWriteCallback done);
  bool finish(HttpExchange* ex);
  void abort(HttpExchange* ex);

  // Owned by HttpServerCore.
  HttpConnection* prev = nullptr;
  HttpConnection* next = nullptr;
  uint8_t deferFlags = 0;

 private:
  enum class Pause : uint8_t { kNone, kHeaders, kMessage };
  enum class BodyMode : uint8_t { kDiscard, kFixed, kChunked, kRaw };
  enum class TimerMode : uint8_t { kNone, kIdle, kHeader, kLinger };
  struct PendingCallback {
    uint64_t end;  // appended_ after the write
    HttpWriteCallback done;
  };

  // llhttp callbacks.
  static const llhttp_settings_t* parserSettings();
  static int onMessageBegin(llhttp_t* p);
  static int onMethod(llhttp_t* p, const char* at, size_t len);
  static int onUrl(llhttp_t* p, const char* at, size_t len);
  static int onVersion(llhttp_t* p, const char* at, size_t len);
  static int onHeaderField(llhttp_t* p, const char* at, size_t len);
  static int onHeaderFieldComplete(llhttp_t* p);
  static int onHeaderValue(llhttp_t* p, const char* at, size_t len);
  static int onHeaderValueComplete(llhttp_t* p);
  static int onHeadersComplete(llhttp_t* p);
  static int onBody(llhttp_t* p, const char* at, size_t len);
  static int onMessageComplete(llhttp_t* p);
  bool countHead(size_t len);
  void appendHead(HttpRequestHead::Span& span, const char* at, size_t len);

  // uv callbacks.
  static void onAlloc(uv_handle_t* h, size_t suggested, uv_buf_t* buf);
  static void onRead(uv_stream_t* s, ssize_t nread, const uv_buf_t* buf);
  static void onWriteDone(uv_write_t* req, int status);
  static void onShutdownDone(uv_shutdown_t* req, int status);
  static void onTimer(uv_timer_t* t);
  static void onHandleClosed(uv_handle_t* h);

  // Input (http_connection.cc).
  void processInput(const char* data, size_t len);
  void parse(const char* data, size_t len);
  void parsePending();
  void endProcess();
  void handleEof(ssize_t status);
  void headersComplete();
  void messageComplete();
  void nextMessage();
  void deliverBody();
  bool blocked() const;
  void updateReading();
  void updateTimer();
  void badRequest(int status);
  void openTunnel();
  void sendContinue();
  void failExchange(const char* reason);
  void bodyAbandoned(const std::shared_ptr<HttpExchange>& ex, const char* reason);

  // Output (http_response.cc).
  void appendHead(int status, std::string_view reason, std::span<const HttpHeaderView> headers,
                  HttpBodyFraming framing, bool interim);
  void appendOut(const char* data, size_t len);
  void scheduleFlush();
  void flush();
  void writeProgress();
  void fireWriteCallbacks();
  bool callbackReady() const;
  void beginShutdown();
  uint64_t outPending() const { return appended_ - flushed_; }
  void defer(uint8_t flag);

  HttpServerCore* core_;
  uv_tcp_t tcp_;
  uv_timer_t timer_;
  uv_write_t writeReq_;
  uv_shutdown_t shutdownReq_;
  llhttp_t parser_;
  int openHandles_ = 0;
  std::string peerAddress_;
  uint16_t peerPort_ = 0;

  // Input state.
  std::string pending_;  // received but not yet parsed (held back while blocked)
  std::string spare_;    // swapped with pending_ while parsing it
  std::string bodyBuf_;  // parsed body bytes not yet delivered to the sink
  std::string deliverBuf_;
  HttpRequestHead building_;
  size_t headBytes_ = 0;
  uint64_t drainBudget_ = 0;
  uint64_t lingerBytes_ = 0;
  uint8_t headerState_ = 0;  // 0 between headers, 1 in a name, 2 in a value
  bool urlStarted_ = false;
  bool headTooLarge_ = false;
  Pause pause_ = Pause::kNone;
  bool inMessage_ = false;  // a request has begun and its successor may not be parsed yet
  bool headDone_ = false;
  bool messageDone_ = false;  // the current request is fully received
  bool draining_ = false;     // exchange finished, discarding the rest of its body
  bool stopParsing_ = false;  // no more requests on this connection; input is discarded
  bool reading_ = false;
  bool eof_ = false;
  bool inParse_ = false;

  // Current exchange (at most one is open).
  std::shared_ptr<HttpExchange> exchange_;
  bool expectContinue_ = false;
  bool continueSent_ = false;
  bool isHead_ = false;
  bool tunnel_ = false;    // a 101 was sent: raw bytes both ways from the end of the request
  bool keepAlive_ = true;  // for the response being sent
  uint8_t httpMinor_ = 1;
  BodyMode bodyMode_ = BodyMode::kDiscard;
  uint64_t fixedRemaining_ = 0;

  // Output state.
  std::string outBuf_;
  std::string inflight_;
  size_t inflightOffset_ = 0;
  uint64_t appended_ = 0;
  uint64_t flushed_ = 0;
  std::vector<PendingCallback> writeCbs_;
  size_t cbHead_ = 0;
  bool writeInFlight_ = false;
  bool flushQueued_ = false;  // flush at the end of the current parse
  bool closeAfterFlush_ = false;
  bool shutdownSent_ = false;
  bool closed_ = false;
  TimerMode timerMode_ = TimerMode::kNone;
};

// Shrinks a reusable buffer that grew past `limit` once it is empty again.
inline void releaseIfLarge(std::string& s, size_t limit = 256 * 1024) {
  if (s.capacity() > limit) std::string().swap(s);
}

bool equalsIgnoreCase(std::string_view a, std::string_view b);
// RFC 9110 5.6.2 token (header field names).
bool isToken(std::string_view s);

}  // namespace pactown::runtime::detail
