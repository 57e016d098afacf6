#include "storage/loop_queue.h"

#include "runtime/check.h"

namespace pactown::storage {

// An idle handle runs once per loop iteration and, while active, keeps the loop from blocking in
// poll; closures posted while a batch runs wait for the next iteration.
struct LoopQueue::Idle {
  uv_idle_t handle;
  LoopQueue* owner;
};

LoopQueue::LoopQueue(uv_loop_t* loop) : idle_(new Idle{}) {
  idle_->owner = this;
  PT_CHECK(uv_idle_init(loop, &idle_->handle) == 0);
  idle_->handle.data = idle_;
}

LoopQueue::~LoopQueue() {
  idle_->owner = nullptr;
  uv_close(reinterpret_cast<uv_handle_t*>(&idle_->handle),
           [](uv_handle_t* h) { delete static_cast<Idle*>(h->data); });
}

void LoopQueue::post(std::function<void()> fn) {
  queue_.push_back(std::move(fn));
  uv_idle_start(&idle_->handle, onIdle);  // no-op when already active
}

void LoopQueue::onIdle(uv_idle_t* handle) {
  auto* idle = static_cast<Idle*>(handle->data);
  std::deque<std::function<void()>> batch;
  batch.swap(idle->owner->queue_);
  for (auto& fn : batch) {
    // A closure may destroy the store that owns this queue; the rest of the batch is then dropped.
    if (idle->owner == nullptr) return;
    fn();
  }
  if (idle->owner != nullptr && idle->owner->queue_.empty()) uv_idle_stop(handle);
}

}  // namespace pactown::storage
