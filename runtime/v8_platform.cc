#include "runtime/v8_platform.h"

#include <libplatform/libplatform.h>
#include <v8.h>

#include <memory>
#include <mutex>
#include <cstdlib>
#include <string>

namespace pactown::runtime {

namespace {
std::unique_ptr<v8::Platform> platform;
}  // namespace

void pumpPlatformTasks(v8::Isolate* isolate) {
  while (v8::platform::PumpMessageLoop(platform.get(), isolate,
                                       v8::platform::MessageLoopBehavior::kDoNotWait)) {
  }
}

void initV8(const V8Options& options) {
  static std::once_flag once;
  std::call_once(once, [&] {
    // Two worker threads for V8's background jobs (GC, compile): the machine's loops own the cores.
    platform = v8::platform::NewDefaultPlatform(2);
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
