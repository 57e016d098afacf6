// Runs closures on a libuv loop in a later iteration: how the KV stores deliver completions, so a
// callback never runs inside the call that started the operation, nor inside a hiredis or SQLite
// callback that user code could re-enter.
#pragma once

#include <uv.h>

#include <deque>
#include <functional>

namespace pactown::storage {

class LoopQueue {
 public:
  explicit LoopQueue(uv_loop_t* loop);
  // Drops closures that have not run yet, including the rest of a batch being run right now.
  ~LoopQueue();
  LoopQueue(const LoopQueue&) = delete;
  LoopQueue& operator=(const LoopQueue&) = delete;

  // Loop thread only. The closure runs in a later loop iteration, in posting order.
  void post(std::function<void()> fn);

 private:
  struct Idle;
  static void onIdle(uv_idle_t* idle);

  Idle* idle_;  // closed and freed asynchronously: it may outlive this object
  std::deque<std::function<void()>> queue_;
};

}  // namespace pactown::storage
