#include <v8.h>

#include "bindings/registry.h"
#include "runtime/isolate_host.h"
#include "runtime/snapshot.h"

namespace pactown::runtime {

std::string createSnapshotBlob() {
  v8::SnapshotCreator creator(bindings::externalReferences());
  v8::Isolate* isolate = creator.GetIsolate();
  {
    v8::HandleScope scope(isolate);
    v8::Local<v8::Context> context = v8::Context::New(isolate);
    v8::Context::Scope contextScope(context);
    std::vector<std::string> storage;
    v8::Local<v8::Object> internals =
        runBuiltins(isolate, context, loadBuiltinSources("", &storage));
    creator.SetDefaultContext(context);
    creator.AddData(context, internals);  // index 0: read back by IsolateHost
  }
  v8::StartupData blob = creator.CreateBlob(v8::SnapshotCreator::FunctionCodeHandling::kKeep);
  std::string out(blob.data, blob.raw_size);
  delete[] blob.data;
  return out;
}

}  // namespace pactown::runtime
