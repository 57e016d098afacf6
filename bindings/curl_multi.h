// libcurl's multi-socket API driven by a libuv loop: curl tells us which sockets to watch and when
// to wake it (CURLMOPT_SOCKETFUNCTION / CURLMOPT_TIMERFUNCTION); a uv_poll_t per socket and one
// uv_timer_t call curl_multi_socket_action back. Nothing here blocks the loop (DNS runs on curl's
// resolver threads). No V8.
//
// Lifetime: one CurlMulti per loop thread, owned by whoever created it (bindings/fetch_ops.cc).
// The runtime shuts a loop down by uv_walk-closing every handle (callbacks null) and then
// uv_loop_close; loopClosing() reports that, after which no uv call is made on the loop and the
// destructor frees the handle memory itself.
#pragma once

#include <curl/curl.h>
#include <uv.h>

#include <functional>
#include <unordered_set>

namespace pactown::bindings {

class CurlMulti {
 public:
  explicit CurlMulti(uv_loop_t* loop);
  ~CurlMulti();
  CurlMulti(const CurlMulti&) = delete;
  CurlMulti& operator=(const CurlMulti&) = delete;

  uv_loop_t* loop() const { return loop_; }
  // True once the runtime started closing every handle of the loop (shutdown).
  bool loopClosing() const;

  CURLMcode add(CURL* easy);
  // Safe for a handle that is not (or no longer) in the multi.
  void remove(CURL* easy);

  // A transfer finished (CURLMSG_DONE). The handle is still in the multi; the callee may remove
  // and clean it up.
  std::function<void(CURL* easy, CURLcode result)> onDone;
  // After every round of curl activity (a socket or the timer fired), once completions were
  // reported: the place to hand results to JavaScript. Never called from inside a curl call.
  std::function<void()> afterActivity;

 private:
  struct Socket {
    uv_poll_t poll;
    curl_socket_t fd;
    int events;  // UV_READABLE | UV_WRITABLE, as curl asked
    CurlMulti* owner;
  };

  static int onSocket(CURL* easy, curl_socket_t fd, int what, void* userp, void* socketp);
  static int onTimer(CURLM* multi, long timeoutMs, void* userp);
  static void onPoll(uv_poll_t* handle, int status, int events);
  void drive(curl_socket_t fd, int flags);
  void releaseSocket(Socket* s);

  uv_loop_t* loop_;
  CURLM* multi_ = nullptr;
  uv_timer_t* timer_;
  std::unordered_set<Socket*> sockets_;  // watched sockets whose poll handle is not closing
  bool destroying_ = false;
};

}  // namespace pactown::bindings
