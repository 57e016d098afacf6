// Core ops: clocks, randomness, structured clone, environment and file access for the test runner.
#include <openssl/rand.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "bindings/op.h"
#include "runtime/isolate_host.h"

namespace pactown::bindings {
namespace {

using runtime::IsolateHost;
using runtime::toStdString;
using runtime::v8str;
using Args = v8::FunctionCallbackInfo<v8::Value>;

// performance.now(): ms since the isolate's time origin, full resolution.
void HrtimeMs(const Args& args) {
  IsolateHost* host = IsolateHost::from(args.GetIsolate());
  args.GetReturnValue().Set(static_cast<double>(uv_hrtime() - host->timeOrigin()) / 1e6);
}

// performance.timeOrigin: wall-clock ms at the isolate's time origin.
void TimeOriginMs(const Args& args) {
  IsolateHost* host = IsolateHost::from(args.GetIsolate());
  uv_timeval64_t tv;
  uv_gettimeofday(&tv);
  double nowMs = static_cast<double>(tv.tv_sec) * 1e3 + tv.tv_usec / 1e3;
  double sinceOrigin = static_cast<double>(uv_hrtime() - host->timeOrigin()) / 1e6;
  args.GetReturnValue().Set(nowMs - sinceOrigin);
}

// randomFill(view): fills an ArrayBufferView with CSPRNG bytes (caller validates type and size).
void RandomFill(const Args& args) {
  if (!args[0]->IsArrayBufferView())
    return runtime::throwTypeError(args.GetIsolate(), "not a view");
  v8::Local<v8::ArrayBufferView> view = args[0].As<v8::ArrayBufferView>();
  size_t len = view->ByteLength();
  if (len == 0) return;
  uint8_t* data = static_cast<uint8_t*>(view->Buffer()->Data()) + view->ByteOffset();
  if (RAND_bytes(data, static_cast<int>(len)) != 1) {
    runtime::throwError(args.GetIsolate(), "random number generator failed");
  }
}

void RandomUUID(const Args& args) {
  uint8_t b[16];
  RAND_bytes(b, sizeof b);
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  char out[37];
  static const char* hex = "0123456789abcdef";
  int j = 0;
  for (int i = 0; i < 16; i++) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out[j++] = '-';
    out[j++] = hex[b[i] >> 4];
    out[j++] = hex[b[i] & 15];
  }
  out[36] = 0;
  args.GetReturnValue().Set(v8str(args.GetIsolate(), out));
}

class CloneDelegate : public v8::ValueSerializer::Delegate {
 public:
  explicit CloneDelegate(v8::Isolate* isolate) : isolate_(isolate) {}
  void ThrowDataCloneError(v8::Local<v8::String> message) override {
    // Tagged so the JS wrapper can turn it into a DataCloneError DOMException.
    v8::Local<v8::Value> error = v8::Exception::Error(message);
    error.As<v8::Object>()
        ->Set(isolate_->GetCurrentContext(), v8str(isolate_, "dataCloneError"), v8::True(isolate_))
        .Check();
    isolate_->ThrowException(error);
  }

 private:
  v8::Isolate* isolate_;
};

// structuredClone(value, transferArrayBuffers[]): serialize + deserialize with V8's serializer.
void StructuredClone(const Args& args) {
  v8::Isolate* isolate = args.GetIsolate();
  v8::Local<v8::Context> context = isolate->GetCurrentContext();
  CloneDelegate delegate(isolate);
  v8::ValueSerializer serializer(isolate, &delegate);
  std::vector<v8::Local<v8::ArrayBuffer>> transfers;
  std::vector<std::shared_ptr<v8::BackingStore>> stores;
  if (args.Length() > 1 && args[1]->IsArray()) {
    v8::Local<v8::Array> list = args[1].As<v8::Array>();
    for (uint32_t i = 0; i < list->Length(); i++) {
      v8::Local<v8::Value> item = list->Get(context, i).ToLocalChecked();
      if (!item->IsArrayBuffer()) continue;
      v8::Local<v8::ArrayBuffer> ab = item.As<v8::ArrayBuffer>();
      if (!ab->IsDetachable()) {
        // e.g. a WebAssembly.Memory buffer: V8 aborts the process if asked to detach it.
        delegate.ThrowDataCloneError(
            v8str(isolate, "An ArrayBuffer is not detachable and could not be transferred."));
        return;
      }
      serializer.TransferArrayBuffer(static_cast<uint32_t>(transfers.size()), ab);
      transfers.push_back(ab);
    }
  }
  serializer.WriteHeader();
  if (serializer.WriteValue(context, args[0]).IsNothing()) return;
  for (auto& ab : transfers) {
    stores.push_back(ab->GetBackingStore());
    ab->Detach();
  }
  std::pair<uint8_t*, size_t> buf = serializer.Release();
  v8::ValueDeserializer deserializer(isolate, buf.first, buf.second);
  for (size_t i = 0; i < stores.size(); i++) {
    deserializer.TransferArrayBuffer(static_cast<uint32_t>(i),
                                     v8::ArrayBuffer::New(isolate, stores[i]));
  }
  v8::Local<v8::Value> result;
  if (deserializer.ReadHeader(context).FromMaybe(false) &&
      deserializer.ReadValue(context).ToLocal(&result)) {
    args.GetReturnValue().Set(result);
  }
  free(buf.first);
}

// transferArrayBuffer(ab) -> a new ArrayBuffer over the same memory; `ab` is detached.
// https://streams.spec.whatwg.org/#transfer-array-buffer
void TransferArrayBuffer(const Args& args) {
  v8::Isolate* isolate = args.GetIsolate();
  if (!args[0]->IsArrayBuffer())
    return runtime::throwTypeError(isolate, "Expected an ArrayBuffer.");
  v8::Local<v8::ArrayBuffer> ab = args[0].As<v8::ArrayBuffer>();
  if (!ab->IsDetachable()) {
    return runtime::throwTypeError(isolate, "The ArrayBuffer cannot be detached.");
  }
  std::shared_ptr<v8::BackingStore> store = ab->GetBackingStore();
  ab->Detach();
  args.GetReturnValue().Set(v8::ArrayBuffer::New(isolate, std::move(store)));
}

// Brand checks without throwing: built-ins ask these instead of try/catching a getter, which
// would build (and throw away) an exception object on every negative answer.
void IsArrayBuffer(const Args& args) { args.GetReturnValue().Set(args[0]->IsArrayBuffer()); }
void IsSharedArrayBuffer(const Args& args) {
  args.GetReturnValue().Set(args[0]->IsSharedArrayBuffer());
}
void IsDetachedBuffer(const Args& args) {
  args.GetReturnValue().Set(args[0]->IsArrayBuffer() &&
                            args[0].As<v8::ArrayBuffer>()->WasDetached());
}

void GetEnv(const Args& args) {
  std::string name = toStdString(args.GetIsolate(), args[0]);
  const char* value = getenv(name.c_str());
  if (value) args.GetReturnValue().Set(v8str(args.GetIsolate(), value));
}

// Reads a whole file as UTF-8 text (test runner and tooling only; never on a request path).
void ReadFileUtf8(const Args& args) {
  std::string path = toStdString(args.GetIsolate(), args[0]);
  std::ifstream in(path, std::ios::binary);
  if (!in) return runtime::throwError(args.GetIsolate(), "cannot read " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  args.GetReturnValue().Set(v8str(args.GetIsolate(), ss.str()));
}

// Writes text to stdout (fd 1) or stderr (fd 2) as UTF-8.
void WriteText(const Args& args) {
  std::string text = toStdString(args.GetIsolate(), args[0]);
  FILE* out = args[1]->IsTrue() ? stderr : stdout;
  fwrite(text.data(), 1, text.size(), out);
  fflush(out);
}

}  // namespace
}  // namespace pactown::bindings

PT_OP_TABLE(core, {"hrtimeMs", HrtimeMs}, {"timeOriginMs", TimeOriginMs},
            {"randomFill", RandomFill}, {"randomUUID", RandomUUID},
            {"structuredClone", StructuredClone}, {"transferArrayBuffer", TransferArrayBuffer},
            {"isArrayBuffer", IsArrayBuffer}, {"isSharedArrayBuffer", IsSharedArrayBuffer},
            {"isDetachedBuffer", IsDetachedBuffer}, {"getEnv", GetEnv},
            {"readFileUtf8", ReadFileUtf8}, {"writeText", WriteText})
