// Micro-benchmarks of start-up: an isolate + context from the embedded snapshot vs. evaluating the
// built-in JS from scratch (--no-snapshot), and a hello-world worker dispatch without sockets.
#include <benchmark/benchmark.h>
#include <uv.h>

#include "runtime/isolate_host.h"
#include "runtime/loop_util.h"
#include "runtime/v8_platform.h"

using namespace pactown::runtime;

static void runIsolate(benchmark::State& state, bool snapshot) {
  initV8();
  uv_loop_t loop;
  uv_loop_init(&loop);
  for (auto _ : state) {
    IsolateHostOptions options;
    options.useSnapshot = snapshot;
    IsolateHost host(&loop, options);
    benchmark::DoNotOptimize(host.isolate());
  }
  closeLoop(&loop);
}

static void BM_IsolateFromSnapshot(benchmark::State& state) { runIsolate(state, true); }
static void BM_IsolateWithoutSnapshot(benchmark::State& state) { runIsolate(state, false); }
BENCHMARK(BM_IsolateFromSnapshot)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_IsolateWithoutSnapshot)->Unit(benchmark::kMillisecond);

static void BM_NewRequestResponse(benchmark::State& state) {
  initV8();
  uv_loop_t loop;
  uv_loop_init(&loop);
  {
    IsolateHost host(&loop, IsolateHostOptions{});
    CallbackScope scope(&host);
    v8::Local<v8::Script> script = v8::Script::Compile(scope.context(), v8str(host.isolate(), R"(
          (() => {
            const h = [['host', 'example.com'], ['user-agent', 'wrk'], ['accept', '*/*']];
            return () => {
              const r = new Request('http://example.com/a?b=c', { headers: h });
              const res = new Response('Hello World!', { headers: { 'x-a': r.headers.get('host') } });
              return res.status;
            };
          })())"))
                                       .ToLocalChecked();
    v8::Local<v8::Function> fn = script->Run(scope.context()).ToLocalChecked().As<v8::Function>();
    for (auto _ : state) {
      v8::HandleScope hs(host.isolate());
      benchmark::DoNotOptimize(
          fn->Call(scope.context(), v8::Undefined(host.isolate()), 0, nullptr));
    }
  }
  closeLoop(&loop);
}
BENCHMARK(BM_NewRequestResponse)->Unit(benchmark::kMicrosecond);

BENCHMARK_MAIN();
