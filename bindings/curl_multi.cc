#include "bindings/curl_multi.h"

#include <mutex>

namespace pactown::bindings {
namespace {

void initCurlOnce() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

uv_handle_t* asHandle(void* h) { return static_cast<uv_handle_t*>(h); }

}  // namespace

CurlMulti::CurlMulti(uv_loop_t* loop) : loop_(loop), timer_(new uv_timer_t) {
  initCurlOnce();
  multi_ = curl_multi_init();
  curl_multi_setopt(multi_, CURLMOPT_SOCKETFUNCTION, &CurlMulti::onSocket);
  curl_multi_setopt(multi_, CURLMOPT_SOCKETDATA, this);
  curl_multi_setopt(multi_, CURLMOPT_TIMERFUNCTION, &CurlMulti::onTimer);
  curl_multi_setopt(multi_, CURLMOPT_TIMERDATA, this);
  uv_timer_init(loop, timer_);
  timer_->data = this;
}

CurlMulti::~CurlMulti() {
  destroying_ = true;
  // Owners remove their easy handles first; this closes the connection cache.
  curl_multi_cleanup(multi_);
  while (!sockets_.empty()) releaseSocket(*sockets_.begin());
  if (!uv_is_closing(asHandle(timer_))) {
    uv_close(asHandle(timer_), [](uv_handle_t* h) { delete reinterpret_cast<uv_timer_t*>(h); });
  } else {
    delete timer_;  // closed by the loop's shutdown walk, which has completed
  }
}

bool CurlMulti::loopClosing() const { return uv_is_closing(asHandle(timer_)) != 0; }

CURLMcode CurlMulti::add(CURL* easy) { return curl_multi_add_handle(multi_, easy); }

void CurlMulti::remove(CURL* easy) { curl_multi_remove_handle(multi_, easy); }

void CurlMulti::releaseSocket(Socket* s) {
  sockets_.erase(s);
  if (!uv_is_closing(asHandle(&s->poll))) {
    uv_close(asHandle(&s->poll), [](uv_handle_t* h) { delete static_cast<Socket*>(h->data); });
  } else {
    delete s;  // closed by the loop's shutdown walk, which has completed
  }
}

int CurlMulti::onSocket(CURL*, curl_socket_t fd, int what, void* userp, void* socketp) {
  auto* self = static_cast<CurlMulti*>(userp);
  auto* s = static_cast<Socket*>(socketp);
  if (what == CURL_POLL_REMOVE) {
    if (s) {
      curl_multi_assign(self->multi_, fd, nullptr);
      self->releaseSocket(s);
    }
    return 0;
  }
  if (self->destroying_ || self->loopClosing()) return -1;
  if (!s) {
    s = new Socket{};
    s->fd = fd;
    s->owner = self;
    if (uv_poll_init_socket(self->loop_, &s->poll, fd) != 0) {
      delete s;
      return -1;
    }
    s->poll.data = s;
    self->sockets_.insert(s);
    curl_multi_assign(self->multi_, fd, s);
  }
  s->events = 0;
  if (what & CURL_POLL_IN) s->events |= UV_READABLE;
  if (what & CURL_POLL_OUT) s->events |= UV_WRITABLE;
  uv_poll_start(&s->poll, s->events, &CurlMulti::onPoll);
  return 0;
}

void CurlMulti::onPoll(uv_poll_t* handle, int status, int events) {
  auto* s = static_cast<Socket*>(handle->data);
  CurlMulti* self = s->owner;
  int flags = 0;
  if (status < 0) {
    // libuv reports POLLERR (e.g. a reset peer) as an error and stops the handle. Let curl read
    // and write as it wanted: it gets the data still buffered, then the socket's real error.
    if (s->events & UV_READABLE) flags |= CURL_CSELECT_IN;
    if (s->events & UV_WRITABLE) flags |= CURL_CSELECT_OUT;
  } else {
    if (events & UV_READABLE) flags |= CURL_CSELECT_IN;
    if (events & UV_WRITABLE) flags |= CURL_CSELECT_OUT;
  }
  self->drive(s->fd, flags);
  // A released socket's memory lives until its close callback, so `s` can still be inspected.
  if (status < 0 && !uv_is_closing(reinterpret_cast<uv_handle_t*>(handle)) &&
      !uv_is_active(reinterpret_cast<uv_handle_t*>(handle))) {
    uv_poll_start(handle, s->events, &CurlMulti::onPoll);
  }
}

int CurlMulti::onTimer(CURLM*, long timeoutMs, void* userp) {
  auto* self = static_cast<CurlMulti*>(userp);
  if (self->destroying_ || self->loopClosing()) return 0;
  if (timeoutMs < 0) {
    uv_timer_stop(self->timer_);
  } else {
    // Never call curl from inside this callback: wake up from the loop instead (0 = next turn).
    uv_timer_start(
        self->timer_,
        [](uv_timer_t* t) { static_cast<CurlMulti*>(t->data)->drive(CURL_SOCKET_TIMEOUT, 0); },
        static_cast<uint64_t>(timeoutMs), 0);
  }
  return 0;
}

void CurlMulti::drive(curl_socket_t fd, int flags) {
  int running = 0;
  curl_multi_socket_action(multi_, fd, flags, &running);
  int left = 0;
  while (CURLMsg* msg = curl_multi_info_read(multi_, &left)) {
    if (msg->msg != CURLMSG_DONE) continue;
    // The message dies with the handle: copy it before the callee removes the handle.
    CURL* easy = msg->easy_handle;
    CURLcode result = msg->data.result;
    if (onDone) onDone(easy, result);
  }
  if (afterActivity) afterActivity();
}

}  // namespace pactown::bindings
