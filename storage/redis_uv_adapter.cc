#include "storage/redis_uv_adapter.h"

namespace pactown::storage {
namespace {

struct Poll {
  uv_poll_t handle;
  redisAsyncContext* ac;  // null once hiredis has cleaned up
  int events = 0;
};

void onPoll(uv_poll_t* handle, int status, int events) {
  auto* poll = static_cast<Poll*>(handle->data);
  if (status < 0) {
    // A socket error: libuv has stopped the handle. Let hiredis try the I/O it was waiting for,
    // so it sees the error (SO_ERROR while connecting, a failed read or write afterwards).
    events = poll->events != 0 ? poll->events : UV_READABLE;
  }
  if (poll->ac != nullptr && (events & UV_READABLE)) redisAsyncHandleRead(poll->ac);
  if (poll->ac != nullptr && (events & UV_WRITABLE)) redisAsyncHandleWrite(poll->ac);
}

void update(Poll* poll, int add, int remove) {
  poll->events = (poll->events | add) & ~remove;
  if (poll->events != 0) {
    uv_poll_start(&poll->handle, poll->events, onPoll);
  } else {
    uv_poll_stop(&poll->handle);
  }
}

void addRead(void* data) { update(static_cast<Poll*>(data), UV_READABLE, 0); }
void delRead(void* data) { update(static_cast<Poll*>(data), 0, UV_READABLE); }
void addWrite(void* data) { update(static_cast<Poll*>(data), UV_WRITABLE, 0); }
void delWrite(void* data) { update(static_cast<Poll*>(data), 0, UV_WRITABLE); }

void cleanup(void* data) {
  auto* poll = static_cast<Poll*>(data);
  poll->ac = nullptr;
  uv_close(reinterpret_cast<uv_handle_t*>(&poll->handle),
           [](uv_handle_t* h) { delete static_cast<Poll*>(h->data); });
}

}  // namespace

bool attachRedisToLoop(redisAsyncContext* ac, uv_loop_t* loop) {
  if (ac->ev.data != nullptr) return false;
  auto* poll = new Poll{};
  if (uv_poll_init(loop, &poll->handle, ac->c.fd) != 0) {
    delete poll;
    return false;
  }
  poll->handle.data = poll;
  poll->ac = ac;
  ac->ev.data = poll;
  ac->ev.addRead = addRead;
  ac->ev.delRead = delRead;
  ac->ev.addWrite = addWrite;
  ac->ev.delWrite = delWrite;
  ac->ev.cleanup = cleanup;
  return true;
}

}  // namespace pactown::storage
