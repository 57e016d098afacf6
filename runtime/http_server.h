// HTTP/1.1 server core: libuv + llhttp, no V8. One HttpServer per uv loop (one loop per thread);
// several threads serve one port with `reusePort`.
//
// Contract for the application (the worker dispatcher):
// - `onRequest` receives a shared_ptr<HttpExchange> per request once its head is parsed. Pipelined
//   requests are parsed ahead but the next one is delivered only after the previous exchange
//   called finish() (or abort()).
// - Every notification to the application (body data, write completions, aborts, drained) runs
//   from the loop (read callback, write completion or a deferred pass), never from inside a call
//   the application made into this API. Exception: setBodySink() on an exchange that already
//   finished or was aborted reports onError before returning.
// - The HttpExchange stays safe to use after the client is gone: calls become no-ops returning
//   false, and onAborted tells the application to cancel its work.
// - Expect: 100-continue: "HTTP/1.1 100 Continue" goes out when the application first wants body
//   bytes before it started the response: a sink is registered and not paused (checked on the
//   next loop turn, so setBodySink + pauseBody in the same turn does not count), or resumeBody()
//   later. If it starts a response without that, no 100 is sent and the connection closes after
//   the response.
// - Unread request body after finish(): discarded (up to 256 KiB more, else the connection is
//   closed after the response); the sink, if any, gets onError("response finished").
#pragma once

#include <uv.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace pactown::runtime {

namespace detail {
class HttpConnection;
class HttpServerCore;
}  // namespace detail

struct HttpServerOptions {
  std::string host = "127.0.0.1";  // IPv4 or IPv6 literal: "127.0.0.1", "0.0.0.0", "::1", "::"
  uint16_t port = 0;               // 0: pick a free port; see HttpServer::port()
  bool reusePort = false;          // SO_REUSEPORT, so every thread's server binds the same port
  int backlog = 511;
  uint64_t headerTimeoutMs = 30'000;       // first byte of a request head until its end
  uint64_t idleTimeoutMs = 60'000;         // keep-alive connection with nothing in flight
  uint64_t lingerTimeoutMs = 2'000;        // after our FIN, drain the client before closing
  size_t maxHeadBytes = 64 * 1024;         // request line + headers; larger -> 431
  size_t bodyHighWaterBytes = 64 * 1024;   // unread request body before reading stops
  size_t writeHighWaterBytes = 64 * 1024;  // buffered response bytes before writes report late
  bool allowHalfOpen = false;  // false: client EOF aborts the in-flight exchange (Node's default)
};

struct HttpHeaderView {
  std::string_view name;
  std::string_view value;
};

// The parsed request head: plain data, copyable, owns its bytes.
struct HttpRequestHead {
  std::string_view method() const { return slice(methodSpan); }
  // Request-target exactly as sent (origin form "/p?q", or absolute/authority/asterisk form).
  std::string_view target() const { return slice(targetSpan); }
  size_t headerCount() const { return headerSpans.size(); }
  // Header i in arrival order, name with its original case, value without surrounding spaces.
  HttpHeaderView header(size_t i) const {
    return {slice(headerSpans[i].name), slice(headerSpans[i].value)};
  }
  // First header whose name equals `name` ignoring ASCII case.
  std::optional<std::string_view> find(std::string_view name) const;

  uint8_t httpMinor = 1;  // HTTP/1.<minor>; major is always 1
  bool keepAlive = true;  // what the client asked for (HTTP/1.1 default, 1.0 + keep-alive)
  std::optional<uint64_t> contentLength;  // set when framed by Content-Length
  bool chunked = false;                   // Transfer-Encoding: chunked
  bool hasBody = false;                   // chunked, or Content-Length > 0
  bool expectContinue = false;            // Expect: 100-continue on an HTTP/1.1 request with a body
  bool upgrade = false;                   // Upgrade or CONNECT request; see startResponse(101)
  std::string peerAddress;                // client IP, e.g. "127.0.0.1" or "::1"
  uint16_t peerPort = 0;

  // Storage: every string above is a slice of `bytes`.
  struct Span {
    uint32_t offset = 0;
    uint32_t length = 0;
  };
  struct HeaderSpan {
    Span name;
    Span value;
  };
  std::string bytes;
  Span methodSpan;
  Span targetSpan;
  std::vector<HeaderSpan> headerSpans;

 private:
  std::string_view slice(Span s) const {
    return std::string_view(bytes).substr(s.offset, s.length);
  }
};

// How the response body is framed on the wire. The server writes Content-Length or
// Transfer-Encoding itself from this; the application's own values of those headers are dropped.
struct HttpBodyFraming {
  enum class Kind : uint8_t { kNone, kFixed, kChunked };
  Kind kind = Kind::kNone;
  uint64_t length = 0;  // kFixed only

  static HttpBodyFraming none() { return {}; }
  static HttpBodyFraming fixed(uint64_t n) { return {Kind::kFixed, n}; }
  // Unknown length: chunked on HTTP/1.1, close-delimited on HTTP/1.0.
  static HttpBodyFraming chunked() { return {Kind::kChunked, 0}; }
};

struct HttpBodySink {
  std::function<void(const char* data, size_t length)> onData;
  std::function<void()> onEnd;                           // body complete (also for an empty body)
  std::function<void(std::string_view reason)> onError;  // body will never complete
};

// ok=false: the connection died before the bytes could be handed over.
using HttpWriteCallback = std::function<void(bool ok)>;

// One request/response exchange. Held by the application through shared_ptr; outlives the
// connection safely.
class HttpExchange {
 public:
  struct Key {
   private:
    Key() = default;
    friend class detail::HttpConnection;
  };
  explicit HttpExchange(Key) {}
  HttpExchange(const HttpExchange&) = delete;
  HttpExchange& operator=(const HttpExchange&) = delete;

  const HttpRequestHead& head() const { return head_; }

  // --- Request body (pull model) ---
  // Register the consumer; buffered and future body bytes flow to it from the loop, unless paused.
  // Only the first call counts; later ones are ignored.
  void setBodySink(HttpBodySink sink);
  // While paused nothing is delivered; once bodyHighWaterBytes are buffered the socket stops
  // being read, so a huge upload waits in the client instead of in memory.
  void pauseBody();
  void resumeBody();

  // --- Response ---
  // status 100..999. 1xx other than 101 are interim responses (call again for the final one).
  // 101 accepts an Upgrade request (head.upgrade, no body, not CONNECT, HTTP/1.1): the app's
  // Connection/Upgrade headers go out as given, then the exchange is a raw byte tunnel - write()
  // sends bytes unframed, the body sink receives the client's bytes after the request head and
  // onEnd at the client's EOF, finish() closes the connection. Any other response to an Upgrade
  // request leaves the connection speaking HTTP/1.1. Empty reason: the standard phrase. Headers
  // with CR/LF/NUL or an invalid name are dropped; Content-Length, Transfer-Encoding, Connection
  // and Keep-Alive are the server's (an application `Connection: close` is honoured). Returns false
  // if not possible (already started, finished or aborted).
  bool startResponse(int status, std::string_view reason, std::span<const HttpHeaderView> headers,
                     HttpBodyFraming framing);
  bool startResponse(int status, std::string_view reason,
                     std::initializer_list<HttpHeaderView> headers, HttpBodyFraming framing) {
    return startResponse(status, reason,
                         std::span<const HttpHeaderView>(headers.begin(), headers.size()), framing);
  }
  // Copies the bytes. `done` (optional) is called exactly once, never from inside write(): with
  // true when the bytes are handed to the kernel or at most writeHighWaterBytes are queued
  // ahead of their end, with false if the connection died first. This is the backpressure signal:
  // write the next chunk from `done`. Bytes beyond a fixed length are dropped; for HEAD, 204, 304
  // the bytes are dropped. Returns false when not writable (finished, aborted, no response
  // started); `done` is then dropped without being called.
  bool write(std::string_view data, HttpWriteCallback done = nullptr);
  // Ends the response. A fixed-length body that fell short makes the connection close.
  bool finish();
  // startResponse + write + finish with one syscall for the whole response when possible.
  bool respond(int status, std::string_view reason, std::span<const HttpHeaderView> headers,
               std::string_view body);
  bool respond(int status, std::string_view reason, std::initializer_list<HttpHeaderView> headers,
               std::string_view body) {
    return respond(status, reason, std::span<const HttpHeaderView>(headers.begin(), headers.size()),
                   body);
  }
  // Drop the connection (no response, or a truncated one). No onAborted for this.
  void abort();

  // Called once if the client goes away (or the server is destroyed) before finish()/abort().
  void setAbortHandler(std::function<void()> onAborted);

  bool aborted() const { return aborted_; }
  bool finished() const { return finished_; }
  bool responseStarted() const { return responseStarted_; }
  bool bodyPaused() const { return bodyPaused_; }

 private:
  friend class detail::HttpConnection;

  HttpRequestHead head_;
  detail::HttpConnection* conn_ = nullptr;  // null once finished or aborted
  HttpBodySink sink_;
  std::function<void()> onAborted_;
  std::string pendingError_;  // body error to report to a sink registered after the abort
  bool sinkSet_ = false;
  bool bodyPaused_ = false;
  bool bodyDone_ = false;  // onEnd or onError was delivered (or will be)
  bool responseStarted_ = false;
  bool finished_ = false;
  bool aborted_ = false;
};

using HttpRequestHandler = std::function<void(std::shared_ptr<HttpExchange>)>;

struct HttpServerStats {
  uint64_t connectionsAccepted = 0;
  uint64_t requests = 0;
  uint64_t badRequests = 0;
  uint64_t bytesRead = 0;
  uint64_t bytesWritten = 0;
  size_t openConnections = 0;
};

class HttpServer {
 public:
  // Loop-thread only. Nothing happens until listen().
  HttpServer(uv_loop_t* loop, HttpServerOptions options, HttpRequestHandler onRequest);
  // Closes the listener and every connection at once (in-flight exchanges get onAborted from the
  // loop). Memory is released by close callbacks, so keep running the loop afterwards.
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // 0 or a negative uv error code (UV_EADDRINUSE, UV_EINVAL for a bad host, ...).
  int listen();
  // The bound port (the real one when options.port was 0); 0 before a successful listen().
  // With reusePort across threads: listen on the first thread, then give the others this port.
  uint16_t port() const;

  // Stop accepting; existing connections carry on.
  void stopAccepting();
  // Graceful: stopAccepting(), idle keep-alive connections close now, the others finish their
  // in-flight exchange (responses get `Connection: close`) and close. `onDrained` runs from the
  // loop once every connection is gone (immediately-deferred if there are none).
  void shutdown(std::function<void()> onDrained);
  bool drained() const;

  HttpServerStats stats() const;

 private:
  detail::HttpServerCore* core_;  // deletes itself once all its uv handles are closed
};

}  // namespace pactown::runtime
