// Timer ops: one uv_timer per JS timer on the isolate's loop. JS owns ids and callbacks
// (js/07_timers.js); native code only calls internals.timers.fire(id) when a timer is due.
#include <memory>
#include <unordered_map>

#include "bindings/op.h"
#include "runtime/isolate_host.h"

namespace pactown::bindings {
namespace {

using runtime::IsolateHost;
using Args = v8::FunctionCallbackInfo<v8::Value>;

struct Timer {
  uv_timer_t handle;
  IsolateHost* host;
  double id;
};

// Live timers per isolate. Lives as long as the process; a host's timers are closed with its loop.
std::unordered_map<double, Timer*>& timersOf(IsolateHost* host) {
  thread_local std::unordered_map<IsolateHost*, std::unordered_map<double, Timer*>> all;
  return all[host];
}

void closeTimer(Timer* t) {
  uv_timer_stop(&t->handle);
  uv_close(reinterpret_cast<uv_handle_t*>(&t->handle),
           [](uv_handle_t* h) { delete reinterpret_cast<Timer*>(h->data); });
}

void onTimer(uv_timer_t* handle) {
  Timer* t = static_cast<Timer*>(handle->data);
  IsolateHost* host = t->host;
  double id = t->id;
  if (uv_timer_get_repeat(handle) == 0) {
    timersOf(host).erase(id);
    closeTimer(t);
  }
  runtime::CallbackScope scope(host, "Uncaught exception in timer");
  v8::Local<v8::Function> fire = host->internalFunction("timers.fire");
  if (fire.IsEmpty()) return;
  v8::Local<v8::Value> arg = v8::Number::New(host->isolate(), id);
  (void)fire->Call(scope.context(), v8::Undefined(host->isolate()), 1, &arg);
}

// timerStart(id, delayMs, repeat)
void TimerStart(const Args& args) {
  IsolateHost* host = IsolateHost::from(args.GetIsolate());
  v8::Local<v8::Context> context = args.GetIsolate()->GetCurrentContext();
  double id = args[0]->NumberValue(context).FromMaybe(0);
  double delay = args[1]->NumberValue(context).FromMaybe(0);
  if (!(delay >= 0)) delay = 0;
  if (delay > 2147483647.0) delay = 2147483647.0;
  bool repeat = args[2]->IsTrue();
  auto* t = new Timer{{}, host, id};
  uv_timer_init(host->loop(), &t->handle);
  t->handle.data = t;
  uint64_t ms = static_cast<uint64_t>(delay);
  // The loop's cached time is stale after a long stretch of JS; measure delays from now.
  uv_update_time(host->loop());
  uv_timer_start(&t->handle, onTimer, ms, repeat ? (ms == 0 ? 1 : ms) : 0);
  timersOf(host)[id] = t;
}

// timerCancel(id)
void TimerCancel(const Args& args) {
  IsolateHost* host = IsolateHost::from(args.GetIsolate());
  double id = args[0]->NumberValue(args.GetIsolate()->GetCurrentContext()).FromMaybe(0);
  auto& timers = timersOf(host);
  auto it = timers.find(id);
  if (it == timers.end()) return;
  closeTimer(it->second);
  timers.erase(it);
}

// timerRef(id, ref): an unref'd timer does not keep the loop alive (used by the test runner).
void TimerRef(const Args& args) {
  IsolateHost* host = IsolateHost::from(args.GetIsolate());
  double id = args[0]->NumberValue(args.GetIsolate()->GetCurrentContext()).FromMaybe(0);
  auto& timers = timersOf(host);
  auto it = timers.find(id);
  if (it == timers.end()) return;
  auto* h = reinterpret_cast<uv_handle_t*>(&it->second->handle);
  args[1]->IsTrue() ? uv_ref(h) : uv_unref(h);
}

}  // namespace
}  // namespace pactown::bindings

PT_OP_TABLE(timers, {"timerStart", TimerStart}, {"timerCancel", TimerCancel},
            {"timerRef", TimerRef})
