#include "runtime/server.h"

#include <atomic>
#include <cstdio>
#include <future>
#include <thread>
#include <vector>

#include "runtime/loop_util.h"

namespace pactown::runtime {
namespace {

class WorkerThread {
 public:
  WorkerThread(const ServeOptions& options, const ServeHooks& hooks, int index)
      : options_(options), hooks_(hooks), index_(index) {}

  // Starts the thread; the future says whether the worker loaded and the port is bound (the port
  // number, or an error message).
  std::future<std::string> start(uint16_t port) {
    port_ = port;
    thread_ = std::thread([this] { run(); });
    return ready_.get_future();
  }

  uint16_t boundPort() const { return boundPort_; }

  // From any thread: begin the graceful drain.
  void requestShutdown() { uv_async_send(&shutdownAsync_); }
  void join() {
    if (thread_.joinable()) thread_.join();
  }

 private:
  void run() {
    uv_loop_init(&loop_);
    uv_async_init(&loop_, &shutdownAsync_,
                  [](uv_async_t* a) { static_cast<WorkerThread*>(a->data)->beginDrain(); });
    shutdownAsync_.data = this;
    std::string error = hooks_.threadStart ? hooks_.threadStart(&loop_) : "";
    if (!error.empty()) {
      ready_.set_value("error:" + error);
    } else {
      serveWithIsolate();
    }
    if (hooks_.threadStop) hooks_.threadStop();
    // The isolate is gone; close what is left (sockets, timers, our own handles).
    closeAll();
  }

  // Owns the isolate for the thread's lifetime: load the worker, listen, run the loop.
  void serveWithIsolate() {
    IsolateHost host(&loop_, options_.isolate);
    host_ = &host;
    std::string error;
    if (!loadWorker(host, options_.worker, &error)) {
      ready_.set_value("error:" + error);
      return;
    }
    HttpServerOptions http = options_.http;
    http.host = options_.host;
    http.port = port_;
    http.reusePort = options_.threads > 1;
    server_ = std::make_unique<HttpServer>(&loop_, http, [this](std::shared_ptr<HttpExchange> ex) {
      hooks_.dispatch(host_, std::move(ex));
    });
    int rc = server_->listen();
    if (rc != 0) {
      ready_.set_value(std::string("error:cannot listen on ") + options_.host + ":" +
                       std::to_string(port_) + ": " + uv_strerror(rc));
      server_.reset();
      return;
    }
    boundPort_ = server_->port();
    uv_check_init(&loop_, &check_);
    check_.data = this;
    uv_check_start(&check_, [](uv_check_t* c) {
      auto* self = static_cast<WorkerThread*>(c->data);
      if (self->hooks_.afterIteration) self->hooks_.afterIteration();
    });
    uv_unref(reinterpret_cast<uv_handle_t*>(&check_));
    ready_.set_value(std::to_string(boundPort_));
    uv_run(&loop_, UV_RUN_DEFAULT);
    if (hooks_.afterIteration) hooks_.afterIteration();
    if (draining_) uv_timer_stop(&drainTimer_);
    server_.reset();
    host_ = nullptr;
  }

  void beginDrain() {
    if (draining_) return;
    draining_ = true;
    drainStart_ = uv_now(&loop_);
    server_->shutdown([] {});
    uv_timer_init(&loop_, &drainTimer_);
    drainTimer_.data = this;
    uv_timer_start(
        &drainTimer_, [](uv_timer_t* t) { static_cast<WorkerThread*>(t->data)->checkDrained(); }, 0,
        10);
  }

  void checkDrained() {
    if (!server_) return;
    bool timedOut = uv_now(&loop_) - drainStart_ >= options_.drainTimeoutMs;
    if ((server_->drained() && hooks_.pendingWork() == 0) || timedOut) {
      if (timedOut && index_ == 0) {
        fprintf(stderr, "pactown-run: drain timeout reached with work still pending\n");
      }
      uv_stop(&loop_);
    }
  }

  void closeAll() { closeLoop(&loop_); }

  const ServeOptions& options_;
  const ServeHooks& hooks_;
  int index_;
  uint16_t port_ = 0;
  uint16_t boundPort_ = 0;
  std::thread thread_;
  std::promise<std::string> ready_;
  uv_loop_t loop_;
  uv_async_t shutdownAsync_;
  uv_timer_t drainTimer_;
  uv_check_t check_;
  IsolateHost* host_ = nullptr;
  std::unique_ptr<HttpServer> server_;
  bool draining_ = false;
  uint64_t drainStart_ = 0;
};

}  // namespace

int serve(const ServeOptions& options, const ServeHooks& hooks) {
  std::vector<std::unique_ptr<WorkerThread>> threads;
  int n = options.threads < 1 ? 1 : options.threads;
  uint16_t port = options.port;
  // The first thread binds (and resolves port 0); the others join it on the same port.
  for (int i = 0; i < n; i++) {
    threads.push_back(std::make_unique<WorkerThread>(options, hooks, i));
    std::string result = threads.back()->start(port).get();
    if (result.rfind("error:", 0) == 0) {
      fprintf(stderr, "%s\n", result.substr(6).c_str());
      threads.back()->join();  // this one already closed its loop
      threads.pop_back();
      for (auto& t : threads) t->requestShutdown();
      for (auto& t : threads) t->join();
      return 1;
    }
    port = static_cast<uint16_t>(std::stoi(result));
  }
  std::string shown =
      options.host.find(':') != std::string::npos ? "[" + options.host + "]" : options.host;
  printf("Ready on http://%s:%u (%d thread%s)\n", shown.c_str(), port, n, n == 1 ? "" : "s");
  fflush(stdout);

  // The main thread only waits for a signal.
  uv_loop_t loop;
  uv_loop_init(&loop);
  uv_signal_t sigint, sigterm;
  auto onSignal = [](uv_signal_t* s, int) {
    uv_signal_stop(s);
    uv_stop(s->loop);
  };
  uv_signal_init(&loop, &sigint);
  uv_signal_init(&loop, &sigterm);
  uv_signal_start(&sigint, onSignal, SIGINT);
  uv_signal_start(&sigterm, onSignal, SIGTERM);
  uv_run(&loop, UV_RUN_DEFAULT);
  fprintf(stderr, "pactown-run: shutting down, draining in-flight requests\n");
  for (auto& t : threads) t->requestShutdown();
  for (auto& t : threads) t->join();
  uv_close(reinterpret_cast<uv_handle_t*>(&sigint), nullptr);
  uv_close(reinterpret_cast<uv_handle_t*>(&sigterm), nullptr);
  uv_run(&loop, UV_RUN_DEFAULT);
  uv_loop_close(&loop);
  return 0;
}

}  // namespace pactown::runtime
