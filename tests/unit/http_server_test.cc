// HttpServer over real loopback TCP: the server's loop runs on its own thread; the test thread
// talks to it with blocking sockets and reads/changes server-side state only through
// LoopThread::run (so every piece of state below is touched by the loop thread alone).
#include "runtime/http_server.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <deque>
#include <future>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace pactown::runtime {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

class LoopThread {
 public:
  LoopThread() {
    uv_loop_init(&loop_);
    uv_async_init(&loop_, &async_, onAsync);
    async_.data = this;
    thread_ = std::thread([this] { uv_run(&loop_, UV_RUN_DEFAULT); });
  }
  ~LoopThread() {
    run([this] { uv_close(reinterpret_cast<uv_handle_t*>(&async_), nullptr); });
    thread_.join();
    EXPECT_EQ(uv_loop_close(&loop_), 0) << "uv handles left open";
  }
  uv_loop_t* loop() { return &loop_; }

  // Runs fn on the loop thread and waits for its result.
  template <class F>
  auto run(F fn) -> decltype(fn()) {
    std::packaged_task<decltype(fn())()> task(std::move(fn));
    auto result = task.get_future();
    {
      std::lock_guard<std::mutex> lock(mu_);
      queue_.push_back([&task] { task(); });
    }
    uv_async_send(&async_);
    return result.get();
  }

  // Polls pred on the loop thread until it holds or the timeout passes.
  template <class F>
  bool eventually(F pred, std::chrono::milliseconds timeout = 5000ms) {
    auto deadline = Clock::now() + timeout;
    while (Clock::now() < deadline) {
      if (run(pred)) return true;
      std::this_thread::sleep_for(2ms);
    }
    return false;
  }

 private:
  static void onAsync(uv_async_t* a) {
    auto* self = static_cast<LoopThread*>(a->data);
    std::deque<std::function<void()>> q;
    {
      std::lock_guard<std::mutex> lock(self->mu_);
      q.swap(self->queue_);
    }
    for (auto& fn : q) fn();
  }

  uv_loop_t loop_;
  uv_async_t async_;
  std::thread thread_;
  std::mutex mu_;
  std::deque<std::function<void()>> queue_;
};

struct Response {
  int status = 0;
  std::string reason;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::string rawHead;
  std::string rawBody;
  std::optional<std::string> header(std::string_view name) const {
    for (const auto& [n, v] : headers) {
      if (strcasecmp(n.c_str(), std::string(name).c_str()) == 0) return v;
    }
    return std::nullopt;
  }
  int count(std::string_view name) const {
    int n = 0;
    for (const auto& h : headers) n += strcasecmp(h.first.c_str(), std::string(name).c_str()) == 0;
    return n;
  }
};

class Client {
 public:
  explicit Client(uint16_t port, bool v6 = false) {
    fd_ = socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM, 0);
    int r;
    if (v6) {
      sockaddr_in6 a{};
      a.sin6_family = AF_INET6;
      a.sin6_port = htons(port);
      inet_pton(AF_INET6, "::1", &a.sin6_addr);
      r = connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a);
    } else {
      sockaddr_in a{};
      a.sin_family = AF_INET;
      a.sin_port = htons(port);
      a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      r = connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a);
    }
    connected_ = r == 0;
  }
  ~Client() { closeSocket(); }
  bool connected() const { return connected_; }
  void shutdownWrite() { shutdown(fd_, SHUT_WR); }
  // Reads until buf_ holds `text` somewhere.
  bool readUntil(std::string_view text, std::chrono::milliseconds timeout = 5000ms) {
    auto deadline = Clock::now() + timeout;
    while (buf_.find(text) == std::string::npos) {
      if (!fill(remaining(deadline))) return buf_.find(text) != std::string::npos;
    }
    return true;
  }
  void closeSocket() {
    if (fd_ >= 0) close(fd_);
    fd_ = -1;
  }
  void reset() {
    linger l{1, 0};
    setsockopt(fd_, SOL_SOCKET, SO_LINGER, &l, sizeof l);
    closeSocket();
  }
  bool send(std::string_view s) {
    while (!s.empty()) {
      ssize_t n = ::send(fd_, s.data(), s.size(), MSG_NOSIGNAL);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return false;
      s.remove_prefix(static_cast<size_t>(n));
    }
    return true;
  }
  // Reads what is available within timeout into buf_; false on timeout or end of stream.
  bool fill(std::chrono::milliseconds timeout) {
    pollfd p{fd_, POLLIN, 0};
    if (poll(&p, 1, static_cast<int>(timeout.count())) <= 0) return false;
    char tmp[65536];
    ssize_t n = recv(fd_, tmp, sizeof tmp, 0);
    if (n <= 0) {
      eof_ = true;
      return false;
    }
    buf_.append(tmp, static_cast<size_t>(n));
    return true;
  }
  // Waits until the server closed the connection (data received meanwhile is kept in buf_).
  bool waitClosed(std::chrono::milliseconds timeout = 5000ms) {
    auto deadline = Clock::now() + timeout;
    while (!eof_ && Clock::now() < deadline) fill(remaining(deadline));
    return eof_;
  }
  // Nothing arrives for `quiet`, and the connection stays open.
  bool silentFor(std::chrono::milliseconds quiet) {
    size_t before = buf_.size();
    fill(quiet);
    return buf_.size() == before && !eof_;
  }
  std::optional<Response> readResponse(bool headRequest = false,
                                       std::chrono::milliseconds timeout = 5000ms) {
    auto deadline = Clock::now() + timeout;
    auto need = [&](auto pred) {
      while (!pred()) {
        if (!fill(remaining(deadline))) return pred();
      }
      return true;
    };
    size_t end = 0;
    if (!need([&] { return (end = buf_.find("\r\n\r\n")) != std::string::npos; })) {
      return std::nullopt;
    }
    Response r;
    r.rawHead = buf_.substr(0, end + 4);
    buf_.erase(0, end + 4);
    size_t lineEnd = r.rawHead.find("\r\n");
    std::string statusLine = r.rawHead.substr(0, lineEnd);
    r.status = std::atoi(statusLine.c_str() + 9);
    r.reason = statusLine.size() > 13 ? statusLine.substr(13) : "";
    for (size_t pos = lineEnd + 2; pos < end;) {
      size_t e = r.rawHead.find("\r\n", pos);
      std::string line = r.rawHead.substr(pos, e - pos);
      size_t colon = line.find(':');
      std::string value = line.substr(colon + 1);
      while (!value.empty() && value.front() == ' ') value.erase(0, 1);
      r.headers.emplace_back(line.substr(0, colon), value);
      pos = e + 2;
    }
    if (headRequest || r.status / 100 == 1 || r.status == 204 || r.status == 304) return r;
    if (r.header("transfer-encoding") == "chunked") {
      for (;;) {
        size_t le = 0;
        if (!need([&] { return (le = buf_.find("\r\n")) != std::string::npos; })) {
          return std::nullopt;
        }
        size_t size = std::stoul(buf_.substr(0, le), nullptr, 16);
        r.rawBody += buf_.substr(0, le + 2);
        buf_.erase(0, le + 2);
        if (!need([&] { return buf_.size() >= size + 2; })) return std::nullopt;
        r.body += buf_.substr(0, size);
        r.rawBody += buf_.substr(0, size + 2);
        buf_.erase(0, size + 2);
        if (size == 0) break;
      }
    } else if (auto cl = r.header("content-length")) {
      size_t n = std::stoul(*cl);
      if (!need([&] { return buf_.size() >= n; })) return std::nullopt;
      r.body = buf_.substr(0, n);
      buf_.erase(0, n);
    } else {
      if (!waitClosed(remaining(deadline))) return std::nullopt;
      r.body.swap(buf_);
    }
    return r;
  }
  std::string buf_;
  bool eof_ = false;

 private:
  static std::chrono::milliseconds remaining(Clock::time_point deadline) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    return std::max(left, 0ms);
  }
  int fd_ = -1;
  bool connected_ = false;
};

std::string get(std::string_view target, std::string_view extra = "") {
  return "GET " + std::string(target) + " HTTP/1.1\r\nHost: test\r\n" + std::string(extra) + "\r\n";
}

// Server-side state; only the loop thread touches it.
struct State {
  std::vector<HttpRequestHead> heads;
  std::vector<std::shared_ptr<HttpExchange>> held;
  std::string body;
  int bodyChunks = 0;
  bool ended = false;
  std::string bodyError;
  int aborted = 0;
  int writesDone = 0;
  int writesFailed = 0;
};

class HttpServerTest : public ::testing::Test {
 protected:
  // Replies with the request target as the body.
  static void echoTarget(const std::shared_ptr<HttpExchange>& ex) {
    ex->respond(200, "", {{"Content-Type", "text/plain"}}, ex->head().target());
  }

  void start(HttpRequestHandler handler, HttpServerOptions options = {}) {
    port_ = loop_.run([&] {
      server_ = std::make_unique<HttpServer>(loop_.loop(), options, std::move(handler));
      EXPECT_EQ(server_->listen(), 0);
      return server_->port();
    });
    ASSERT_NE(port_, 0);
  }
  void TearDown() override {
    loop_.run([&] {
      state_.held.clear();
      server_.reset();
    });
  }
  template <class F>
  auto onLoop(F fn) {
    return loop_.run(std::move(fn));
  }
  // A fresh connection still gets served after whatever the test did.
  void expectServerStillWorks() {
    Client c(port_);
    ASSERT_TRUE(c.connected());
    c.send(get("/still-alive"));
    auto r = c.readResponse();
    ASSERT_TRUE(r.has_value());
    EXPECT_EQ(r->status, 200);
  }

  State state_;  // declared before loop_: destroyed after the loop thread has stopped
  LoopThread loop_;
  std::unique_ptr<HttpServer> server_;
  uint16_t port_ = 0;
};

TEST_F(HttpServerTest, SimpleGetDeliversHeadAsSent) {
  start([this](std::shared_ptr<HttpExchange> ex) {
    state_.heads.push_back(ex->head());
    ex->respond(200, "", {{"Content-Type", "text/plain"}, {"X-Custom", "Yes"}}, "hello");
  });
  Client c(port_);
  c.send(
      "GET /path?q=1&r=%20 HTTP/1.1\r\nHost: example.com\r\nX-Mixed-Case:  a b  \r\n"
      "X-Empty:\r\nX-Dup: 1\r\nx-dup: 2\r\n\r\n");
  auto r = c.readResponse();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->reason, "OK");
  EXPECT_EQ(r->body, "hello");
  EXPECT_EQ(r->header("content-length"), "5");
  EXPECT_EQ(r->header("x-custom"), "Yes");
  EXPECT_FALSE(r->header("date"));
  EXPECT_FALSE(r->header("connection"));
  onLoop([&] {
    ASSERT_EQ(state_.heads.size(), 1u);
    const HttpRequestHead& h = state_.heads[0];
    EXPECT_EQ(h.method(), "GET");
    EXPECT_EQ(h.target(), "/path?q=1&r=%20");
    EXPECT_EQ(h.httpMinor, 1);
    ASSERT_EQ(h.headerCount(), 5u);
    EXPECT_EQ(h.header(0).name, "Host");
    EXPECT_EQ(h.header(1).name, "X-Mixed-Case");
    EXPECT_EQ(h.header(1).value, "a b");
    EXPECT_EQ(h.header(2).value, "");
    EXPECT_EQ(h.header(3).name, "X-Dup");
    EXPECT_EQ(h.header(4).name, "x-dup");
    EXPECT_EQ(h.header(4).value, "2");
    EXPECT_EQ(h.find("X-DUP"), "1");
    EXPECT_EQ(h.peerAddress, "127.0.0.1");
    EXPECT_NE(h.peerPort, 0);
    EXPECT_TRUE(h.keepAlive);
    EXPECT_FALSE(h.hasBody);
    EXPECT_FALSE(h.chunked);
    EXPECT_FALSE(h.contentLength);
  });
}

TEST_F(HttpServerTest, ObsFoldBecomesASpaceAndApiMisuseIsRefused) {
  start([this](std::shared_ptr<HttpExchange> ex) {
    state_.heads.push_back(ex->head());
    EXPECT_FALSE(ex->write("x"));  // no response started
    EXPECT_FALSE(ex->finish());
    EXPECT_FALSE(ex->respond(100, "", {}, ""));
    EXPECT_FALSE(ex->startResponse(1000, "", {}, HttpBodyFraming::none()));
    EXPECT_TRUE(ex->respond(200, "Custom\r\nReason", {}, "ok"));
    EXPECT_FALSE(ex->respond(200, "", {}, "again"));
    EXPECT_FALSE(ex->write("late"));
    EXPECT_TRUE(ex->finished());
    bool sinkError = false;
    ex->setBodySink({nullptr, nullptr, [&](std::string_view) { sinkError = true; }});
    EXPECT_TRUE(sinkError);  // the documented synchronous report on a finished exchange
  });
  Client c(port_);
  c.send("GET / HTTP/1.1\r\nX-Fold: a\r\n b\r\nX-Utf8: caf\xc3\xa9\r\n\r\n");
  auto r = c.readResponse();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->reason, "OK");  // an invalid reason phrase falls back to the standard one
  onLoop([&] {
    EXPECT_EQ(state_.heads[0].find("x-fold"), "a b");
    EXPECT_EQ(state_.heads[0].find("x-utf8"), "caf\xc3\xa9");
  });
}

TEST_F(HttpServerTest, KeepAliveReusesConnection) {
  start([this](std::shared_ptr<HttpExchange> ex) {
    state_.heads.push_back(ex->head());
    echoTarget(ex);
  });
  Client c(port_);
  for (const char* t : {"/one", "/two", "/three"}) {
    c.send(get(t));
    auto r = c.readResponse();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->body, t);
  }
  c.send(get("/last", "Connection: close\r\n"));
  auto r = c.readResponse();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->header("connection"), "close");
  EXPECT_TRUE(c.waitClosed());
  onLoop([&] {
    HttpServerStats s = server_->stats();
    EXPECT_EQ(s.connectionsAccepted, 1u);
    EXPECT_EQ(s.requests, 4u);
    EXPECT_EQ(state_.heads[0].peerPort, state_.heads[2].peerPort);
  });
}

TEST_F(HttpServerTest, PipelinedRequestsWaitForPreviousResponse) {
  start([this](std::shared_ptr<HttpExchange> ex) {
    if (ex->head().target() == "/sync") return echoTarget(ex);
    state_.held.push_back(ex);
  });
  Client c(port_);
  // Synchronous responder: three answers in order.
  c.send(get("/sync") + get("/sync") + get("/sync"));
  for (int i = 0; i < 3; ++i) {
    auto r = c.readResponse();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->body, "/sync");
  }
  // Asynchronous responder: the second request is not delivered before the first finished.
  c.send("POST /a HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\n\r\nxyz" + get("/b") + get("/c"));
  ASSERT_TRUE(loop_.eventually([&] { return state_.held.size() == 1; }));
  std::this_thread::sleep_for(100ms);
  EXPECT_EQ(onLoop([&] { return state_.held.size(); }), 1u);
  for (size_t i = 0; i < 3; ++i) {
    ASSERT_TRUE(loop_.eventually([&] { return state_.held.size() == i + 1; }));
    onLoop([&] { echoTarget(state_.held[i]); });
  }
  for (const char* t : {"/a", "/b", "/c"}) {
    auto r = c.readResponse();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->body, t);
  }
}

// Collects the body, then answers with it.
void echoBody(State& st, const std::shared_ptr<HttpExchange>& ex) {
  st.heads.push_back(ex->head());
  std::weak_ptr<HttpExchange> weak = ex;
  ex->setBodySink({
      [&st](const char* d, size_t n) {
        st.body.append(d, n);
        ++st.bodyChunks;
      },
      [&st, weak] {
        st.ended = true;
        if (auto e = weak.lock()) e->respond(200, "", {}, st.body);
      },
      [&st](std::string_view why) { st.bodyError = why; },
  });
}

TEST_F(HttpServerTest, ChunkedRequestBodyIsStreamed) {
  start([this](std::shared_ptr<HttpExchange> ex) { echoBody(state_, ex); });
  Client c(port_);
  c.send("POST /up HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n");
  ASSERT_TRUE(loop_.eventually([&] { return state_.body == "hello"; }));
  c.send("6;ext=1\r\n world\r\n");
  std::this_thread::sleep_for(20ms);
  c.send("0\r\nX-Trailer: t\r\n\r\n");
  auto r = c.readResponse();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "hello world");
  onLoop([&] {
    const HttpRequestHead& h = state_.heads[0];
    EXPECT_TRUE(h.chunked);
    EXPECT_TRUE(h.hasBody);
    EXPECT_FALSE(h.contentLength);
    EXPECT_EQ(h.headerCount(), 2u);  // trailers are not added to the head
    EXPECT_TRUE(state_.ended);
    EXPECT_GE(state_.bodyChunks, 2);
  });
  // The connection is reusable afterwards.
  c.send(get("/next"));
  ASSERT_TRUE(loop_.eventually([&] { return state_.heads.size() == 2; }));
}

TEST_F(HttpServerTest, ContentLengthBodyIsStreamed) {
  start([this](std::shared_ptr<HttpExchange> ex) { echoBody(state_, ex); });
  Client c(port_);
  std::string big(1 << 20, 'x');
  for (size_t i = 0; i < big.size(); i += 4099) big[i] = static_cast<char>('a' + i % 26);
  c.send("PUT /big HTTP/1.1\r\nHost: t\r\nContent-Length: " + std::to_string(big.size()) +
         "\r\n\r\n");
  c.send(big);
  auto r = c.readResponse();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_TRUE(r->body == big);
  onLoop([&] {
    EXPECT_EQ(state_.heads[0].contentLength, big.size());
    EXPECT_TRUE(state_.heads[0].hasBody);
    EXPECT_GT(state_.bodyChunks, 1);
  });
}

TEST_F(HttpServerTest, ExpectContinueSentWhenBodyIsRequested) {
  start([this](std::shared_ptr<HttpExchange> ex) {
    if (ex->head().target() == "/reject") {
      ex->respond(413, "", {}, "too big");
      return;
    }
    state_.held.push_back(ex);
  });
  Client c(port_);
  c.send("POST /up HTTP/1.1\r\nHost: t\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n");
  ASSERT_TRUE(loop_.eventually([&] { return state_.held.size() == 1; }));
  EXPECT_TRUE(c.silentFor(150ms));  // nothing until the application asks for the body
  onLoop([&] {
    EXPECT_TRUE(state_.held[0]->head().expectContinue);
    echoBody(state_, state_.held[0]);
    state_.held[0]->pauseBody();  // a registered but paused sink is not asking yet
  });
  EXPECT_TRUE(c.silentFor(150ms));
  onLoop([&] { state_.held[0]->resumeBody(); });
  ASSERT_TRUE(c.fill(2000ms));
  EXPECT_EQ(c.buf_, "HTTP/1.1 100 Continue\r\n\r\n");
  c.buf_.clear();
  c.send("data");
  auto r = c.readResponse();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "data");

  // Answered without reading: no 100, and the connection closes after the response.
  Client d(port_);
  d.send("POST /reject HTTP/1.1\r\nHost: t\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n");
  auto r2 = d.readResponse();
  ASSERT_TRUE(r2);
  EXPECT_EQ(r2->status, 413);
  EXPECT_EQ(r2->header("connection"), "close");
  EXPECT_TRUE(d.waitClosed());
}

TEST_F(HttpServerTest, HeadResponseKeepsLengthButSendsNoBody) {
  start([](std::shared_ptr<HttpExchange> ex) {
    if (ex->head().target() == "/chunked") {
      ex->startResponse(200, "", {}, HttpBodyFraming::chunked());
      ex->write("abc");
      ex->finish();
      return;
    }
    ex->respond(200, "", {}, "hello");
  });
  Client c(port_);
  c.send("HEAD / HTTP/1.1\r\nHost: t\r\n\r\n");
  auto r = c.readResponse(true);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->header("content-length"), "5");
  c.send("HEAD /chunked HTTP/1.1\r\nHost: t\r\n\r\n");
  r = c.readResponse(true);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->header("transfer-encoding"), "chunked");
  EXPECT_TRUE(c.silentFor(50ms));
  // Had any body bytes been written, this response would not parse.
  c.send(get("/"));
  r = c.readResponse();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "hello");
}

TEST_F(HttpServerTest, Http10ClosesUnlessKeepAlive) {
  start([](std::shared_ptr<HttpExchange> ex) {
    if (ex->head().target() == "/stream") {
      ex->startResponse(200, "", {}, HttpBodyFraming::chunked());
      ex->write("close-");
      ex->write("delimited");
      ex->finish();
      return;
    }
    echoTarget(ex);
  });
  {
    Client c(port_);
    c.send("GET /plain HTTP/1.0\r\n\r\n");
    auto r = c.readResponse();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->body, "/plain");
    EXPECT_EQ(r->header("connection"), "close");
    EXPECT_TRUE(c.waitClosed());
  }
  {
    Client c(port_);
    c.send("GET /ka HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
    auto r = c.readResponse();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->header("connection"), "keep-alive");
    c.send("GET /ka2 HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
    r = c.readResponse();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->body, "/ka2");
    // Unknown length on HTTP/1.0: no chunked coding, the body ends with the connection.
    c.send("GET /stream HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
    r = c.readResponse();
    ASSERT_TRUE(r);
    EXPECT_FALSE(r->header("transfer-encoding"));
    EXPECT_FALSE(r->header("content-length"));
    EXPECT_EQ(r->header("connection"), "close");
    EXPECT_EQ(r->body, "close-delimited");
    EXPECT_TRUE(c.eof_);
  }
}

TEST_F(HttpServerTest, StreamedChunkedResponseWithWriteCallbacks) {
  start([this](std::shared_ptr<HttpExchange> ex) {
    ex->startResponse(200, "Fine",
                      {{"Content-Length", "999"},
                       {"Transfer-Encoding", "gzip"},
                       {"X-Bad", "a\r\nInjected: 1"},
                       {"Bad Name", "x"},
                       {"X-Ok", "1"}},
                      HttpBodyFraming::chunked());
    std::weak_ptr<HttpExchange> weak = ex;
    ex->write("a", [this, weak](bool ok) {
      ++state_.writesDone;
      auto e = weak.lock();
      if (!ok || !e) return;
      e->write("bb", [this, weak](bool ok) {
        ++state_.writesDone;
        if (auto e = weak.lock()) {
          e->write("");  // an empty chunk must not end the body
          e->write("ccc", [this](bool ok) { state_.writesDone += ok; });
          e->finish();
        }
      });
    });
  });
  Client c(port_);
  c.send(get("/"));
  auto r = c.readResponse();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->reason, "Fine");
  EXPECT_EQ(r->body, "abbccc");
  EXPECT_EQ(r->count("transfer-encoding"), 1);
  EXPECT_EQ(r->header("transfer-encoding"), "chunked");
  EXPECT_FALSE(r->header("content-length"));
  EXPECT_FALSE(r->header("x-bad"));
  EXPECT_FALSE(r->header("injected"));
  EXPECT_EQ(r->header("x-ok"), "1");
  EXPECT_EQ(r->rawBody, "1\r\na\r\n2\r\nbb\r\n3\r\nccc\r\n0\r\n\r\n");
  ASSERT_TRUE(loop_.eventually([&] { return state_.writesDone == 3; }));
}

TEST_F(HttpServerTest, PausedBodyStopsReadingTheSocket) {
  start([this](std::shared_ptr<HttpExchange> ex) { state_.held.push_back(ex); });
  constexpr size_t kTotal = 8 << 20;
  Client c(port_);
  std::thread sender([&] {
    c.send("POST /upload HTTP/1.1\r\nHost: t\r\nContent-Length: " + std::to_string(kTotal) +
           "\r\n\r\n");
    c.send(std::string(kTotal, 'u'));
  });
  ASSERT_TRUE(loop_.eventually([&] { return state_.held.size() == 1; }));
  // No sink yet: reading stops after about bodyHighWaterBytes (+ one read buffer).
  std::this_thread::sleep_for(300ms);
  uint64_t read1 = onLoop([&] { return server_->stats().bytesRead; });
  std::this_thread::sleep_for(200ms);
  uint64_t read2 = onLoop([&] { return server_->stats().bytesRead; });
  EXPECT_EQ(read1, read2);
  EXPECT_LT(read1, 200u * 1024);
  // A paused sink: delivery stops at ~1 MiB, and reading stops again.
  size_t received = 0;
  onLoop([&] {
    auto ex = state_.held[0];
    std::weak_ptr<HttpExchange> weak = ex;
    ex->setBodySink({[&received, weak, pausedOnce = false](const char*, size_t n) mutable {
                       received += n;
                       if (received >= (1 << 20) && !pausedOnce) {
                         pausedOnce = true;
                         if (auto e = weak.lock()) e->pauseBody();
                       }
                     },
                     [this, weak, &received] {
                       state_.ended = true;
                       if (auto e = weak.lock()) e->respond(200, "", {}, std::to_string(received));
                     },
                     nullptr});
  });
  ASSERT_TRUE(loop_.eventually([&] { return received >= (1 << 20); }));
  std::this_thread::sleep_for(200ms);
  auto [got1, read3] = onLoop([&] { return std::pair(received, server_->stats().bytesRead); });
  std::this_thread::sleep_for(200ms);
  auto [got2, read4] = onLoop([&] { return std::pair(received, server_->stats().bytesRead); });
  EXPECT_EQ(got1, got2);
  EXPECT_EQ(read3, read4);
  EXPECT_LT(got1, (1u << 20) + 200 * 1024);
  EXPECT_LT(read3 - got1, 200u * 1024);  // what the server holds unread stays bounded
  onLoop([&] { state_.held[0]->resumeBody(); });
  sender.join();
  auto r = c.readResponse();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, std::to_string(kTotal));
}

TEST_F(HttpServerTest, WriteCallbacksFollowTheClientsReading) {
  constexpr size_t kChunk = 64 * 1024;
  constexpr int kChunks = 512;  // 32 MiB, far beyond the socket buffers
  struct Pump {
    std::weak_ptr<HttpExchange> ex;
    int sent = 0;
    void next(State& st) {
      auto e = ex.lock();
      if (!e) return;
      if (sent == kChunks) {
        e->finish();
        return;
      }
      ++sent;
      e->write(std::string(kChunk, 'w'), [this, &st](bool ok) {
        if (ok) next(st);
      });
    }
  };
  auto pump = std::make_shared<Pump>();
  start([this, pump](std::shared_ptr<HttpExchange> ex) {
    state_.held.push_back(ex);
    ex->startResponse(200, "", {}, HttpBodyFraming::fixed(kChunk * kChunks));
    pump->ex = ex;
    pump->next(state_);
  });
  Client c(port_);
  c.send(get("/"));
  std::this_thread::sleep_for(300ms);  // the client reads nothing meanwhile
  int sent1 = onLoop([&] { return pump->sent; });
  EXPECT_LT(sent1, kChunks);
  std::this_thread::sleep_for(100ms);
  EXPECT_EQ(onLoop([&] { return pump->sent; }), sent1);  // stalled
  auto r = c.readResponse(false, 20000ms);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body.size(), kChunk * kChunks);
  EXPECT_EQ(onLoop([&] { return pump->sent; }), kChunks);
}

TEST_F(HttpServerTest, PipeliningStopsWhileResponsesPileUp) {
  start([this](std::shared_ptr<HttpExchange> ex) {
    state_.heads.push_back(ex->head());
    ex->respond(200, "", {}, std::string(1 << 20, 'r'));
  });
  constexpr int kRequests = 40;
  Client c(port_);
  std::string all;
  for (int i = 0; i < kRequests; ++i) all += get("/" + std::to_string(i));
  c.send(all);
  std::this_thread::sleep_for(300ms);
  size_t served = onLoop([&] { return state_.heads.size(); });
  EXPECT_LT(served, static_cast<size_t>(kRequests));  // the client reads nothing meanwhile
  for (int i = 0; i < kRequests; ++i) {
    auto r = c.readResponse(false, 20000ms);
    ASSERT_TRUE(r);
    ASSERT_EQ(r->body.size(), 1u << 20);
  }
  EXPECT_EQ(onLoop([&] { return state_.heads.size(); }), static_cast<size_t>(kRequests));
}

TEST_F(HttpServerTest, ClientHalfCloseAbortsUnlessAllowed) {
  for (bool allow : {false, true}) {
    SCOPED_TRACE(allow ? "allowHalfOpen" : "default");
    HttpServerOptions o;
    o.allowHalfOpen = allow;
    state_ = State();
    start(
        [this](std::shared_ptr<HttpExchange> ex) {
          state_.held.push_back(ex);
          ex->setAbortHandler([this] { ++state_.aborted; });
        },
        o);
    Client c(port_);
    c.send(get("/a") + get("/b"));
    c.shutdownWrite();
    ASSERT_TRUE(loop_.eventually([&] { return state_.held.size() == 1; }));
    if (!allow) {
      ASSERT_TRUE(loop_.eventually([&] { return state_.aborted == 1; }));
      EXPECT_TRUE(c.waitClosed());
    } else {
      std::this_thread::sleep_for(50ms);
      onLoop([&] { echoTarget(state_.held[0]); });
      ASSERT_TRUE(loop_.eventually([&] { return state_.held.size() == 2; }));
      onLoop([&] { echoTarget(state_.held[1]); });
      auto r1 = c.readResponse();
      auto r2 = c.readResponse();
      ASSERT_TRUE(r1 && r2);
      EXPECT_EQ(r1->body, "/a");
      EXPECT_EQ(r2->body, "/b");
      EXPECT_EQ(r2->header("connection"), "close");
      EXPECT_TRUE(c.waitClosed());
      EXPECT_EQ(onLoop([&] { return state_.aborted; }), 0);
    }
    onLoop([&] {
      state_.held.clear();
      server_.reset();
    });
  }
}

struct BadCase {
  const char* name;
  std::string request;
  int status;
};

TEST_F(HttpServerTest, BadRequestsGetAnErrorAndAClose) {
  start([this](std::shared_ptr<HttpExchange> ex) {
    state_.heads.push_back(ex->head());
    echoTarget(ex);
  });
  std::vector<BadCase> cases = {
      {"head over 64 KiB", "GET / HTTP/1.1\r\nX-Big: " + std::string(70 * 1024, 'a') + "\r\n\r\n",
       431},
      {"many headers over 64 KiB",
       [] {
         std::string s = "GET / HTTP/1.1\r\n";
         for (int i = 0; i < 20000; ++i) s += "a:b\r\n";
         return s + "\r\n";
       }(),
       431},
      {"long target", "GET /" + std::string(70 * 1024, 'p') + " HTTP/1.1\r\n\r\n", 431},
      {"content-length with transfer-encoding",
       "POST / HTTP/1.1\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400},
      {"duplicate differing content-length",
       "POST / HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!", 400},
      {"non-numeric content-length", "POST / HTTP/1.1\r\nContent-Length: 5x\r\n\r\nhello", 400},
      {"transfer-encoding not ending in chunked",
       "POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\nabc", 400},
      {"garbage request line", "HELLO\r\n\r\n", 400},
      {"header without colon", "GET / HTTP/1.1\r\nBad Header\r\n\r\n", 400},
      {"bad version", "GET / HTTP/9.9\r\n\r\n", 400},
      {"space before colon", "GET / HTTP/1.1\r\nHost : x\r\n\r\n", 400},
      {"control character in a value", "GET / HTTP/1.1\r\nX: a\x01b\r\n\r\n", 400},
      {"NUL in a value", std::string("GET / HTTP/1.1\r\nX: a\0b\r\n\r\n", 26), 400},
      {"CR without LF", "GET / HTTP/1.1\r\nX: a\rb\r\n\r\n", 400},
      {"space in target", "GET /a b HTTP/1.1\r\n\r\n", 400},
  };
  for (const BadCase& bc : cases) {
    SCOPED_TRACE(bc.name);
    Client c(port_);
    c.send(bc.request);
    auto r = c.readResponse();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, bc.status);
    EXPECT_EQ(r->header("connection"), "close");
    EXPECT_EQ(r->header("content-type"), "text/plain; charset=utf-8");
    EXPECT_FALSE(r->body.empty());
    EXPECT_TRUE(c.waitClosed());
    expectServerStillWorks();
  }
  onLoop([&] {
    EXPECT_EQ(state_.heads.size(), cases.size());  // only the still-alive probes got through
    EXPECT_EQ(server_->stats().badRequests, cases.size());
  });
}

TEST_F(HttpServerTest, InvalidChunkSizeFailsTheOpenExchange) {
  start([this](std::shared_ptr<HttpExchange> ex) {
    if (ex->head().target() == "/still-alive") return echoTarget(ex);
    state_.held.push_back(ex);
    ex->setAbortHandler([this] { ++state_.aborted; });
    echoBody(state_, ex);
  });
  Client c(port_);
  c.send("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\nzz\r\nhello\r\n");
  auto r = c.readResponse();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
  EXPECT_EQ(r->header("connection"), "close");
  EXPECT_TRUE(c.waitClosed());
  ASSERT_TRUE(loop_.eventually([&] { return state_.aborted == 1; }));
  onLoop([&] {
    EXPECT_FALSE(state_.bodyError.empty());
    EXPECT_FALSE(state_.ended);
    EXPECT_FALSE(state_.held[0]->respond(200, "", {}, "late"));
  });
  expectServerStillWorks();
}

TEST_F(HttpServerTest, HeaderTimeoutAndIdleTimeout) {
  HttpServerOptions o;
  o.headerTimeoutMs = 200;
  o.idleTimeoutMs = 300;
  start([](std::shared_ptr<HttpExchange> ex) { echoTarget(ex); }, o);
  {
    Client c(port_);
    auto t0 = Clock::now();
    c.send("GET / HTTP/1.1\r\nHost: slow");
    auto r = c.readResponse();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 408);
    EXPECT_TRUE(c.waitClosed());
    EXPECT_GE(Clock::now() - t0, 150ms);
  }
  {
    Client c(port_);
    c.send(get("/x"));
    ASSERT_TRUE(c.readResponse());
    auto t0 = Clock::now();
    EXPECT_TRUE(c.waitClosed());
    EXPECT_TRUE(c.buf_.empty());
    EXPECT_GE(Clock::now() - t0, 200ms);
  }
  expectServerStillWorks();
  ASSERT_TRUE(loop_.eventually([&] { return server_->stats().openConnections == 0; }));
}

TEST_F(HttpServerTest, ClientDisconnectAbortsTheExchange) {
  start([this](std::shared_ptr<HttpExchange> ex) {
    if (ex->head().target() == "/still-alive") return echoTarget(ex);
    state_.held.push_back(ex);
    ex->setAbortHandler([this] { ++state_.aborted; });
    if (ex->head().target() == "/stream") {
      ex->startResponse(200, "", {}, HttpBodyFraming::chunked());
      ex->write("first", [this](bool ok) { ok ? ++state_.writesDone : ++state_.writesFailed; });
    }
    if (ex->head().target() == "/upload") echoBody(state_, ex);
  });
  {
    Client c(port_);  // mid-response
    c.send(get("/stream"));
    ASSERT_TRUE(c.fill(2000ms));
    c.closeSocket();
    ASSERT_TRUE(loop_.eventually([&] { return state_.aborted == 1; }));
  }
  {
    Client c(port_);  // before any response
    c.send(get("/wait"));
    ASSERT_TRUE(loop_.eventually([&] { return state_.held.size() == 2; }));
    c.reset();
    ASSERT_TRUE(loop_.eventually([&] { return state_.aborted == 2; }));
  }
  {
    Client c(port_);  // mid-upload
    c.send("POST /upload HTTP/1.1\r\nContent-Length: 100\r\n\r\npartial");
    ASSERT_TRUE(loop_.eventually([&] { return state_.body == "partial"; }));
    c.closeSocket();
    ASSERT_TRUE(loop_.eventually([&] { return state_.aborted == 3; }));
  }
  onLoop([&] {
    EXPECT_EQ(state_.bodyError, "client disconnected");
    for (auto& ex : state_.held) {
      EXPECT_TRUE(ex->aborted());
      EXPECT_FALSE(ex->write("more", [this](bool) { ++state_.writesFailed; }));
      EXPECT_FALSE(ex->finish());
      EXPECT_FALSE(ex->respond(200, "", {}, "late"));
      ex->abort();
    }
    EXPECT_EQ(state_.writesDone + state_.writesFailed, 1);
  });
  expectServerStillWorks();
}

TEST_F(HttpServerTest, AbortFromInsideTheBodySink) {
  start([this](std::shared_ptr<HttpExchange> ex) {
    if (ex->head().target() == "/still-alive") return echoTarget(ex);
    // The sink owns the only reference besides the server's: a cycle broken by abort().
    std::string label(100, 'L');  // heap-owned capture, so ASan sees a use after destruction
    ex->setBodySink({[this, ex, label](const char*, size_t) {
                       ex->abort();
                       state_.body = label;  // the callback must still be alive here
                     },
                     nullptr, nullptr});
  });
  Client c(port_);
  c.send("POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\nabcde");
  EXPECT_TRUE(c.waitClosed());
  EXPECT_EQ(onLoop([&] { return state_.body.size(); }), 100u);
  expectServerStillWorks();
}

TEST_F(HttpServerTest, GracefulShutdownFinishesInFlightExchanges) {
  start([this](std::shared_ptr<HttpExchange> ex) {
    if (ex->head().target() == "/hold") {
      state_.held.push_back(ex);
      return;
    }
    echoTarget(ex);
  });
  Client idle(port_);
  idle.send(get("/idle"));
  ASSERT_TRUE(idle.readResponse());
  Client busy(port_);
  busy.send(get("/hold"));
  ASSERT_TRUE(loop_.eventually([&] { return state_.held.size() == 1; }));
  bool drained = false;
  onLoop([&] { server_->shutdown([&drained] { drained = true; }); });
  EXPECT_TRUE(idle.waitClosed());
  Client late(port_);
  EXPECT_FALSE(late.connected());
  EXPECT_FALSE(onLoop([&] { return drained || server_->drained(); }));
  onLoop([&] { echoTarget(state_.held[0]); });
  auto r = busy.readResponse();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "/hold");
  EXPECT_EQ(r->header("connection"), "close");
  EXPECT_TRUE(busy.waitClosed());
  ASSERT_TRUE(loop_.eventually([&] { return drained; }));
  EXPECT_TRUE(onLoop([&] { return server_->drained(); }));
  EXPECT_EQ(onLoop([&] { return server_->stats().openConnections; }), 0u);
}

TEST_F(HttpServerTest, ShutdownWithoutConnectionsDrainsAtOnce) {
  start([](std::shared_ptr<HttpExchange> ex) { echoTarget(ex); });
  bool drained = false;
  onLoop([&] { server_->shutdown([&drained] { drained = true; }); });
  ASSERT_TRUE(loop_.eventually([&] { return drained; }));
}

TEST_F(HttpServerTest, ResponseFramingRules) {
  start([](std::shared_ptr<HttpExchange> ex) {
    std::string_view t = ex->head().target();
    if (t == "/204") {
      ex->startResponse(204, "", {{"Content-Length", "3"}}, HttpBodyFraming::fixed(3));
      ex->write("abc");
      ex->finish();
    } else if (t == "/304") {
      ex->startResponse(304, "", {}, HttpBodyFraming::fixed(10));
      ex->write("0123456789");
      ex->finish();
    } else if (t == "/over") {
      ex->startResponse(200, "", {}, HttpBodyFraming::fixed(3));
      ex->write("abcdef");
      ex->finish();
    } else if (t == "/early-hints") {
      ex->startResponse(103, "", {{"Link", "</a.css>; rel=preload"}}, HttpBodyFraming::none());
      ex->respond(200, "", {}, "final");
    } else if (t == "/close") {
      ex->respond(200, "", {{"Connection", "close"}}, "bye");
    } else if (t == "/short") {
      ex->startResponse(200, "", {}, HttpBodyFraming::fixed(10));
      ex->write("only");
      ex->finish();
    } else if (t == "/101") {
      bool ok = ex->startResponse(101, "", {}, HttpBodyFraming::none());
      ex->respond(426, "", {}, ok ? "accepted" : "refused");
    }
  });
  Client c(port_);
  c.send(get("/204"));
  auto r = c.readResponse();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 204);
  EXPECT_FALSE(r->header("content-length"));
  c.send(get("/304"));
  r = c.readResponse();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 304);
  EXPECT_EQ(r->header("content-length"), "10");
  c.send(get("/over"));
  r = c.readResponse();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "abc");
  c.send(get("/early-hints"));
  r = c.readResponse();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 103);
  EXPECT_EQ(r->header("link"), "</a.css>; rel=preload");
  r = c.readResponse();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "final");
  c.send(get("/101"));  // not an upgrade request: no 101 possible
  r = c.readResponse();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 426);
  EXPECT_EQ(r->body, "refused");
  c.send(get("/close"));
  r = c.readResponse();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->header("connection"), "close");
  EXPECT_TRUE(c.waitClosed());

  Client d(port_);
  d.send(get("/short"));
  ASSERT_TRUE(d.fill(2000ms));
  EXPECT_TRUE(d.waitClosed());
  EXPECT_NE(d.buf_.find("Content-Length: 10\r\n"), std::string::npos);
  EXPECT_EQ(d.buf_.substr(d.buf_.size() - 4), "only");
}

// Accepts an upgrade and echoes the tunnel's bytes until the client's EOF.
void acceptEcho(State& st, const std::shared_ptr<HttpExchange>& ex) {
  if (!ex->startResponse(101, "", {{"Upgrade", "echo"}}, HttpBodyFraming::none())) {
    ex->respond(500, "", {}, "101 refused");
    return;
  }
  std::weak_ptr<HttpExchange> weak = ex;
  ex->setBodySink({[weak](const char* d, size_t n) {
                     if (auto e = weak.lock()) e->write(std::string_view(d, n));
                   },
                   [&st, weak] {
                     st.ended = true;
                     if (auto e = weak.lock()) e->finish();
                   },
                   [&st](std::string_view why) { st.bodyError = why; }});
}

TEST_F(HttpServerTest, UpgradeTurnsTheConnectionIntoATunnel) {
  start([this](std::shared_ptr<HttpExchange> ex) {
    state_.heads.push_back(ex->head());
    if (ex->head().target() == "/later") {
      state_.held.push_back(ex);
      return;
    }
    if (!ex->head().upgrade || ex->head().target() == "/refuse") return echoTarget(ex);
    acceptEcho(state_, ex);
  });
  Client c(port_);
  c.send("GET /ws HTTP/1.1\r\nHost: t\r\nConnection: Upgrade\r\nUpgrade: echo\r\n\r\nearly");
  auto r = c.readResponse(true);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 101);
  EXPECT_EQ(r->reason, "Switching Protocols");
  EXPECT_EQ(r->header("upgrade"), "echo");
  EXPECT_EQ(r->header("connection"), "Upgrade");
  EXPECT_FALSE(r->header("content-length"));
  EXPECT_FALSE(r->header("transfer-encoding"));
  EXPECT_TRUE(c.readUntil("early"));
  c.send("GET / HTTP/1.1\r\n\r\n");  // no longer HTTP: echoed, not parsed
  EXPECT_TRUE(c.readUntil("earlyGET / HTTP/1.1\r\n\r\n"));
  c.shutdownWrite();
  EXPECT_TRUE(c.waitClosed());
  EXPECT_TRUE(onLoop([&] { return state_.ended && state_.heads.size() == 1; }));

  // Accepted later, with the client's first bytes already waiting.
  Client d(port_);
  d.send("GET /later HTTP/1.1\r\nConnection: keep-alive, Upgrade\r\nUpgrade: echo\r\n\r\nhi");
  ASSERT_TRUE(loop_.eventually([&] { return state_.held.size() == 1; }));
  EXPECT_TRUE(d.silentFor(50ms));
  onLoop([&] {
    EXPECT_TRUE(state_.held[0]->head().upgrade);
    acceptEcho(state_, state_.held[0]);
  });
  ASSERT_TRUE(d.readResponse(true));
  EXPECT_TRUE(d.readUntil("hi"));
  d.reset();
  ASSERT_TRUE(loop_.eventually([&] { return state_.bodyError == "connection reset"; }));

  // Refused upgrade: the connection goes on with HTTP/1.1.
  Client e(port_);
  e.send("GET /refuse HTTP/1.1\r\nConnection: Upgrade\r\nUpgrade: echo\r\n\r\n" + get("/next"));
  r = e.readResponse();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "/refuse");
  r = e.readResponse();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "/next");
}

TEST_F(HttpServerTest, BodyLeftUnreadIsDrainedOrClosed) {
  start([this](std::shared_ptr<HttpExchange> ex) {
    state_.heads.push_back(ex->head());
    ex->respond(200, "", {}, "early");
  });
  Client c(port_);
  c.send("POST /small HTTP/1.1\r\nContent-Length: 1000\r\n\r\n");
  auto r = c.readResponse();
  ASSERT_TRUE(r);
  EXPECT_FALSE(r->header("connection"));
  c.send(std::string(1000, 'b') + get("/after"));  // discarded, then the next request
  ASSERT_TRUE(c.readResponse());
  ASSERT_TRUE(loop_.eventually([&] { return state_.heads.size() == 2; }));
  EXPECT_EQ(onLoop([&] { return std::string(state_.heads[1].target()); }), "/after");

  Client d(port_);
  d.send("POST /huge HTTP/1.1\r\nContent-Length: 10000000\r\n\r\n");
  ASSERT_TRUE(d.readResponse());
  d.send(std::string(1 << 20, 'b'));
  EXPECT_TRUE(d.waitClosed());
}

TEST_F(HttpServerTest, ReusePortAndIpv6) {
  start([](std::shared_ptr<HttpExchange> ex) { echoTarget(ex); });
  HttpServerOptions o;
  o.reusePort = true;
  auto [r1, r2, r3] = onLoop([&] {
    HttpServerOptions a = o;
    auto s1 = std::make_unique<HttpServer>(loop_.loop(), a, [](auto ex) { echoTarget(ex); });
    int e1 = s1->listen();
    a.port = s1->port();
    auto s2 = std::make_unique<HttpServer>(loop_.loop(), a, [](auto ex) { echoTarget(ex); });
    int e2 = s2->listen();
    HttpServerOptions b;
    b.port = s1->port();
    auto s3 = std::make_unique<HttpServer>(loop_.loop(), b, [](auto ex) { echoTarget(ex); });
    int e3 = s3->listen();
    return std::tuple(e1, e2, e3);
  });
  EXPECT_EQ(r1, 0);
  EXPECT_EQ(r2, 0);
  EXPECT_EQ(r3, UV_EADDRINUSE);

  std::unique_ptr<HttpServer> v6;
  int err = onLoop([&] {
    HttpServerOptions a;
    a.host = "::1";
    v6 = std::make_unique<HttpServer>(
        loop_.loop(), a, [](auto ex) { ex->respond(200, "", {}, ex->head().peerAddress); });
    return v6->listen();
  });
  if (err == 0) {
    Client c(onLoop([&] { return v6->port(); }), true);
    c.send(get("/"));
    auto r = c.readResponse();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->body, "::1");
  }
  onLoop([&] { v6.reset(); });
  EXPECT_EQ(onLoop([&] {
              HttpServerOptions a;
              a.host = "not-an-ip";
              HttpServer s(loop_.loop(), a, nullptr);
              return s.listen();
            }),
            UV_EINVAL);
}

TEST_F(HttpServerTest, DestroyingTheServerAbortsOpenExchanges) {
  start([this](std::shared_ptr<HttpExchange> ex) {
    state_.held.push_back(ex);
    ex->setAbortHandler([this] { ++state_.aborted; });
  });
  Client c(port_);
  c.send(get("/"));
  ASSERT_TRUE(loop_.eventually([&] { return state_.held.size() == 1; }));
  onLoop([&] { server_.reset(); });
  ASSERT_TRUE(loop_.eventually([&] { return state_.aborted == 1; }));
  EXPECT_TRUE(c.waitClosed());
  onLoop([&] { EXPECT_FALSE(state_.held[0]->respond(200, "", {}, "x")); });
}

}  // namespace
}  // namespace pactown::runtime
