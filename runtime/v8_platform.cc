#include "runtime/v8_platform.h"

#include <libplatform/libplatform.h>
#include <v8.h>

#include <cstdlib>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

namespace pactown::runtime {
namespace {

// Isolate → the async handle that wakes its loop. Foreground tasks can be posted from V8's worker
// threads (async Wasm compilation, GC finalization), and a loop blocked in epoll must learn of
// them; the loop then pumps the tasks (pumpPlatformTasks).
std::mutex wakersMutex;
std::unordered_map<v8::Isolate*, uv_async_t*> wakers;

void wake(v8::Isolate* isolate) {
  std::lock_guard<std::mutex> lock(wakersMutex);
  auto it = wakers.find(isolate);
  if (it != wakers.end()) uv_async_send(it->second);
}

// Posts to the default platform's runner, then wakes the isolate's loop.
class WakingTaskRunner : public v8::TaskRunner {
 public:
  WakingTaskRunner(std::shared_ptr<v8::TaskRunner> inner, v8::Isolate* isolate)
      : inner_(std::move(inner)), isolate_(isolate) {}
  void PostTask(std::unique_ptr<v8::Task> task) override {
    inner_->PostTask(std::move(task));
    wake(isolate_);
  }
  void PostNonNestableTask(std::unique_ptr<v8::Task> task) override {
    inner_->PostNonNestableTask(std::move(task));
    wake(isolate_);
  }
  // Delayed tasks run from the loop's periodic pump once due.
  void PostDelayedTask(std::unique_ptr<v8::Task> task, double delay) override {
    inner_->PostDelayedTask(std::move(task), delay);
  }
  void PostNonNestableDelayedTask(std::unique_ptr<v8::Task> task, double delay) override {
    inner_->PostNonNestableDelayedTask(std::move(task), delay);
  }
  void PostIdleTask(std::unique_ptr<v8::IdleTask> task) override {
    inner_->PostIdleTask(std::move(task));
  }
  bool IdleTasksEnabled() override { return inner_->IdleTasksEnabled(); }
  bool NonNestableTasksEnabled() const override { return inner_->NonNestableTasksEnabled(); }
  bool NonNestableDelayedTasksEnabled() const override {
    return inner_->NonNestableDelayedTasksEnabled();
  }

 private:
  std::shared_ptr<v8::TaskRunner> inner_;
  v8::Isolate* isolate_;
};

// The default platform, with foreground task runners that wake loops.
class WakingPlatform : public v8::Platform {
 public:
  explicit WakingPlatform(std::unique_ptr<v8::Platform> inner) : inner_(std::move(inner)) {}
  v8::Platform* inner() { return inner_.get(); }

  v8::PageAllocator* GetPageAllocator() override { return inner_->GetPageAllocator(); }
  void OnCriticalMemoryPressure() override { inner_->OnCriticalMemoryPressure(); }
  bool OnCriticalMemoryPressure(size_t length) override {
    return inner_->OnCriticalMemoryPressure(length);
  }
  int NumberOfWorkerThreads() override { return inner_->NumberOfWorkerThreads(); }
  std::shared_ptr<v8::TaskRunner> GetForegroundTaskRunner(v8::Isolate* isolate) override {
    return std::make_shared<WakingTaskRunner>(inner_->GetForegroundTaskRunner(isolate), isolate);
  }
  void CallOnWorkerThread(std::unique_ptr<v8::Task> task) override {
    inner_->CallOnWorkerThread(std::move(task));
  }
  void CallBlockingTaskOnWorkerThread(std::unique_ptr<v8::Task> task) override {
    inner_->CallBlockingTaskOnWorkerThread(std::move(task));
  }
  void CallLowPriorityTaskOnWorkerThread(std::unique_ptr<v8::Task> task) override {
    inner_->CallLowPriorityTaskOnWorkerThread(std::move(task));
  }
  void CallDelayedOnWorkerThread(std::unique_ptr<v8::Task> task, double delay) override {
    inner_->CallDelayedOnWorkerThread(std::move(task), delay);
  }
  bool IdleTasksEnabled(v8::Isolate* isolate) override { return inner_->IdleTasksEnabled(isolate); }
  std::unique_ptr<v8::JobHandle> PostJob(v8::TaskPriority priority,
                                         std::unique_ptr<v8::JobTask> job) override {
    return inner_->PostJob(priority, std::move(job));
  }
  double MonotonicallyIncreasingTime() override { return inner_->MonotonicallyIncreasingTime(); }
  double CurrentClockTimeMillis() override { return inner_->CurrentClockTimeMillis(); }
  StackTracePrinter GetStackTracePrinter() override { return inner_->GetStackTracePrinter(); }
  v8::TracingController* GetTracingController() override { return inner_->GetTracingController(); }

 private:
  std::unique_ptr<v8::Platform> inner_;
};

std::unique_ptr<WakingPlatform> platform;

}  // namespace

void pumpPlatformTasks(v8::Isolate* isolate) {
  while (v8::platform::PumpMessageLoop(platform->inner(), isolate,
                                       v8::platform::MessageLoopBehavior::kDoNotWait)) {
  }
}

void setPlatformWaker(v8::Isolate* isolate, uv_async_t* waker) {
  std::lock_guard<std::mutex> lock(wakersMutex);
  if (waker) {
    wakers[isolate] = waker;
  } else {
    wakers.erase(isolate);
  }
}

void initV8(const V8Options& options) {
  static std::once_flag once;
  std::call_once(once, [&] {
    // Two worker threads for V8's background jobs (GC, compile): the machine's loops own the cores.
    platform = std::make_unique<WakingPlatform>(v8::platform::NewDefaultPlatform(2));
    v8::V8::InitializePlatform(platform.get());
    std::string flags = "--harmony-import-assertions";
    if (options.exposeGc) flags += " --expose-gc";
    // Profiling and diagnosis (e.g. --perf-basic-prof, --trace-deopt); never needed to run.
    if (const char* extra = getenv("PT_V8_FLAGS")) flags += std::string(" ") + extra;
    v8::V8::SetFlagsFromString(flags.c_str(), flags.size());
    v8::V8::Initialize();
  });
}

}  // namespace pactown::runtime
