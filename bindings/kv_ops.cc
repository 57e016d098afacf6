// Workers KV ops: the bridge between compat/50_kv.js (KvNamespace) and the calling thread's
// storage::KvStore. JS validates (Cloudflare's rules and messages); these ops only move bytes.
//
// Asynchronous ops take a request id chosen by JS and return nothing; the completion calls
// internals.kv.complete(id, error, result) on the loop thread inside a CallbackScope. No V8 handle
// is held while an operation is in flight (callbacks capture the host pointer and the id), so a
// store that drops its callbacks when destroyed never touches V8.
//
// Isolate lifetime: runtime/server.cc and runtime/test_mode.cc destroy the isolate and then call
// shutdownThreadKv() without running the loop in between, so no completion can run for a dead
// isolate; completions of operations still in flight at that point are dropped by the store.
//
// Values handed to kvPut must come from kvAlloc or kvEncodeText: their memory is malloc'd (not
// from the isolate's ArrayBuffer allocator), so the store may keep the BackingStore as the owner
// of the bytes, without a copy, even past the isolate's end.
#include "bindings/kv_ops.h"

#include <cstdlib>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "bindings/op.h"
#include "runtime/isolate_host.h"

namespace pactown::bindings {
namespace {

using runtime::IsolateHost;
using runtime::toStdString;
using runtime::v8str;
using Args = v8::FunctionCallbackInfo<v8::Value>;

// The calling loop thread's store (one isolate and one loop per thread).
thread_local std::unique_ptr<storage::KvStore> threadStore;

storage::KvStore* storeFor(const Args& args) {
  if (!threadStore) {
    runtime::throwError(args.GetIsolate(), "KV storage is not available on this thread");
  }
  return threadStore.get();
}

double requestId(const Args& args) {
  return args[0]->NumberValue(args.GetIsolate()->GetCurrentContext()).FromMaybe(0);
}

std::string stringArg(const Args& args, int i) { return toStdString(args.GetIsolate(), args[i]); }

v8::Local<v8::Value> optionalString(v8::Isolate* isolate, const std::optional<std::string>& s) {
  if (!s) return v8::Undefined(isolate);
  return v8str(isolate, *s);
}

v8::Local<v8::Value> optionalSeconds(v8::Isolate* isolate, const std::optional<int64_t>& s) {
  if (!s) return v8::Undefined(isolate);
  return v8::Number::New(isolate, static_cast<double>(*s));
}

// Text as a JS string (invalid UTF-8 becomes U+FFFD); empty if V8 cannot hold it.
v8::MaybeLocal<v8::String> textValue(v8::Isolate* isolate, const std::string& bytes) {
  return v8::String::NewFromUtf8(isolate, bytes.data(), v8::NewStringType::kNormal,
                                 static_cast<int>(bytes.size()));
}

// An ArrayBuffer that takes over `bytes` without copying them.
v8::Local<v8::ArrayBuffer> bufferValue(v8::Isolate* isolate, std::string&& bytes) {
  if (bytes.empty()) return v8::ArrayBuffer::New(isolate, 0);
  auto* holder = new std::string(std::move(bytes));
  std::unique_ptr<v8::BackingStore> store = v8::ArrayBuffer::NewBackingStore(
      holder->data(), holder->size(),
      [](void*, size_t, void* owner) { delete static_cast<std::string*>(owner); }, holder);
  return v8::ArrayBuffer::New(isolate, std::move(store));
}

// A Uint8Array over `size` bytes of malloc'd memory (see the file comment).
v8::Local<v8::Uint8Array> mallocBytes(v8::Isolate* isolate, void* data, size_t size) {
  std::unique_ptr<v8::BackingStore> store = v8::ArrayBuffer::NewBackingStore(
      data, size, [](void* p, size_t, void*) { free(p); }, nullptr);
  return v8::Uint8Array::New(v8::ArrayBuffer::New(isolate, std::move(store)), 0, size);
}

// Calls internals.kv.complete(id, error, result): `build` makes the result when status is ok, and
// may return an error message instead through *error.
template <typename Build>
void settle(IsolateHost* host, double id, const storage::KvStatus& status, Build&& build) {
  runtime::CallbackScope scope(host, "Uncaught exception in a KV completion");
  v8::Isolate* isolate = host->isolate();
  v8::Local<v8::Function> complete = host->internalFunction("kv.complete");
  if (complete.IsEmpty()) return;
  v8::Local<v8::Value> args[3] = {v8::Number::New(isolate, id), v8::Undefined(isolate),
                                  v8::Undefined(isolate)};
  if (!status.ok) {
    args[1] = v8str(isolate, status.message);
  } else {
    std::string error;
    args[2] = build(isolate, scope.context(), &error);
    if (!error.empty()) args[1] = v8str(isolate, error);
  }
  // An exception here is reported by the CallbackScope.
  v8::MaybeLocal<v8::Value> ignored =
      complete->Call(scope.context(), v8::Undefined(isolate), 3, args);
  (void)ignored;
}

constexpr char kTooLongForString[] = "the value is too large to decode as a string";

// kvGet(id, ns, key, asText) -> complete(id, error, null | [value, metadata?, expiration?]):
// value is a string when asText, else an ArrayBuffer.
void KvGet(const Args& args) {
  storage::KvStore* store = storeFor(args);
  if (!store) return;
  IsolateHost* host = IsolateHost::from(args.GetIsolate());
  double id = requestId(args);
  bool asText = args[3]->IsTrue();
  store->get(stringArg(args, 1), stringArg(args, 2), [host, id, asText](storage::KvGetResult r) {
    settle(host, id, r.status,
           [&](v8::Isolate* isolate, v8::Local<v8::Context> context,
               std::string* error) -> v8::Local<v8::Value> {
             if (!r.found) return v8::Null(isolate);
             v8::Local<v8::Value> value;
             if (asText) {
               v8::Local<v8::String> text;
               if (!textValue(isolate, r.value).ToLocal(&text)) {
                 *error = kTooLongForString;
                 return v8::Undefined(isolate);
               }
               value = text;
             } else {
               value = bufferValue(isolate, std::move(r.value));
             }
             v8::Local<v8::Value> items[3] = {value, optionalString(isolate, r.metadata),
                                              optionalSeconds(isolate, r.expiration)};
             return v8::Array::New(isolate, items, 3);
           });
  });
}

// kvGetMany(id, ns, keys[]) -> complete(id, error, [value0, metadata0, value1, metadata1, ...]):
// values are strings, or null for a missing key.
void KvGetMany(const Args& args) {
  storage::KvStore* store = storeFor(args);
  if (!store) return;
  v8::Isolate* isolate = args.GetIsolate();
  v8::Local<v8::Context> context = isolate->GetCurrentContext();
  if (!args[2]->IsArray())
    return runtime::throwTypeError(isolate, "kvGetMany: keys must be an array");
  v8::Local<v8::Array> list = args[2].As<v8::Array>();
  std::vector<std::string> keys;
  keys.reserve(list->Length());
  for (uint32_t i = 0; i < list->Length(); i++) {
    v8::Local<v8::Value> key;
    if (!list->Get(context, i).ToLocal(&key)) return;
    keys.push_back(toStdString(isolate, key));
  }
  IsolateHost* host = IsolateHost::from(isolate);
  double id = requestId(args);
  store->getMany(stringArg(args, 1), std::move(keys), [host, id](storage::KvGetManyResult r) {
    settle(host, id, r.status,
           [&](v8::Isolate* isolate, v8::Local<v8::Context> context,
               std::string* error) -> v8::Local<v8::Value> {
             v8::Local<v8::Array> out =
                 v8::Array::New(isolate, static_cast<int>(r.entries.size() * 2));
             uint32_t i = 0;
             for (const storage::KvGetResult& entry : r.entries) {
               v8::Local<v8::Value> value = v8::Null(isolate);
               if (entry.found) {
                 v8::Local<v8::String> text;
                 if (!textValue(isolate, entry.value).ToLocal(&text)) {
                   *error = kTooLongForString;
                   return v8::Undefined(isolate);
                 }
                 value = text;
               }
               out->Set(context, i++, value).Check();
               out->Set(context, i++, optionalString(isolate, entry.metadata)).Check();
             }
             return out;
           });
  });
}

// kvPut(id, ns, key, bytes, expiration, metadata) -> complete(id, error): bytes is a Uint8Array
// from kvAlloc/kvEncodeText that JS no longer touches; expiration (unix seconds) and metadata
// (JSON text) may be undefined.
void KvPut(const Args& args) {
  storage::KvStore* store = storeFor(args);
  if (!store) return;
  v8::Isolate* isolate = args.GetIsolate();
  if (!args[3]->IsUint8Array()) return runtime::throwTypeError(isolate, "kvPut: bytes expected");
  v8::Local<v8::Uint8Array> view = args[3].As<v8::Uint8Array>();
  std::shared_ptr<v8::BackingStore> backing = view->Buffer()->GetBackingStore();
  const char* data = static_cast<const char*>(backing->Data()) + view->ByteOffset();
  storage::KvBytes value(std::shared_ptr<const void>(std::move(backing)), data, view->ByteLength());
  storage::KvPutOptions options;
  if (args[4]->IsNumber()) {
    options.expiration = static_cast<int64_t>(args[4].As<v8::Number>()->Value());
  }
  if (args[5]->IsString()) options.metadata = stringArg(args, 5);
  IsolateHost* host = IsolateHost::from(isolate);
  double id = requestId(args);
  store->put(stringArg(args, 1), stringArg(args, 2), std::move(value), std::move(options),
             [host, id](storage::KvStatus status) {
               settle(host, id, status,
                      [](v8::Isolate* isolate, v8::Local<v8::Context>,
                         std::string*) -> v8::Local<v8::Value> { return v8::Undefined(isolate); });
             });
}

// kvDelete(id, ns, key) -> complete(id, error)
void KvDelete(const Args& args) {
  storage::KvStore* store = storeFor(args);
  if (!store) return;
  IsolateHost* host = IsolateHost::from(args.GetIsolate());
  double id = requestId(args);
  store->remove(stringArg(args, 1), stringArg(args, 2), [host, id](storage::KvStatus status) {
    settle(host, id, status,
           [](v8::Isolate* isolate, v8::Local<v8::Context>, std::string*) -> v8::Local<v8::Value> {
             return v8::Undefined(isolate);
           });
  });
}

// kvList(id, ns, prefix, limit, cursor) -> complete(id, error, [listComplete, cursor, name0,
// expiration0, metadata0, name1, ...]); expiration and metadata may be undefined.
void KvList(const Args& args) {
  storage::KvStore* store = storeFor(args);
  if (!store) return;
  v8::Isolate* isolate = args.GetIsolate();
  storage::KvListOptions options;
  options.prefix = stringArg(args, 2);
  options.limit = args[3]->Uint32Value(isolate->GetCurrentContext()).FromMaybe(1000);
  options.cursor = stringArg(args, 4);
  IsolateHost* host = IsolateHost::from(isolate);
  double id = requestId(args);
  store->list(stringArg(args, 1), std::move(options), [host, id](storage::KvListResult r) {
    settle(host, id, r.status,
           [&](v8::Isolate* isolate, v8::Local<v8::Context> context,
               std::string*) -> v8::Local<v8::Value> {
             v8::Local<v8::Array> out =
                 v8::Array::New(isolate, static_cast<int>(2 + r.keys.size() * 3));
             uint32_t i = 0;
             out->Set(context, i++, v8::Boolean::New(isolate, r.listComplete)).Check();
             out->Set(context, i++, v8str(isolate, r.cursor)).Check();
             for (const storage::KvListKey& key : r.keys) {
               out->Set(context, i++, v8str(isolate, key.name)).Check();
               out->Set(context, i++, optionalSeconds(isolate, key.expiration)).Check();
               out->Set(context, i++, optionalString(isolate, key.metadata)).Check();
             }
             return out;
           });
  });
}

// kvAlloc(size) -> Uint8Array of `size` zero bytes, for kvPut.
void KvAlloc(const Args& args) {
  v8::Isolate* isolate = args.GetIsolate();
  double n = args[0]->NumberValue(isolate->GetCurrentContext()).FromMaybe(-1);
  if (!(n >= 0 && n <= static_cast<double>(v8::TypedArray::kMaxLength))) {
    isolate->ThrowException(v8::Exception::RangeError(v8str(isolate, "kvAlloc: invalid size")));
    return;
  }
  size_t size = static_cast<size_t>(n);
  void* data = calloc(size ? size : 1, 1);
  if (!data) {
    isolate->ThrowException(v8::Exception::RangeError(v8str(isolate, "kvAlloc: out of memory")));
    return;
  }
  args.GetReturnValue().Set(mallocBytes(isolate, data, size));
}

// kvEncodeText(string) -> Uint8Array of its UTF-8 bytes (lone surrogates become U+FFFD), for kvPut.
void KvEncodeText(const Args& args) {
  v8::Isolate* isolate = args.GetIsolate();
  if (!args[0]->IsString())
    return runtime::throwTypeError(isolate, "kvEncodeText: string expected");
  v8::Local<v8::String> text = args[0].As<v8::String>();
  size_t size = static_cast<size_t>(text->Utf8Length(isolate));
  void* data = malloc(size ? size : 1);
  if (!data) {
    isolate->ThrowException(
        v8::Exception::RangeError(v8str(isolate, "kvEncodeText: out of memory")));
    return;
  }
  text->WriteUtf8(isolate, static_cast<char*>(data), static_cast<int>(size), nullptr,
                  v8::String::NO_NULL_TERMINATION | v8::String::REPLACE_INVALID_UTF8);
  args.GetReturnValue().Set(mallocBytes(isolate, data, size));
}

}  // namespace

std::optional<std::string> initThreadKv(uv_loop_t* loop, const storage::KvStoreConfig& config) {
  std::string error;
  threadStore = storage::makeKvStore(loop, config, &error);
  if (!threadStore) return "cannot open the KV store: " + error;
  return std::nullopt;
}

void shutdownThreadKv() { threadStore.reset(); }

}  // namespace pactown::bindings

PT_OP_TABLE(kv, {"kvGet", KvGet}, {"kvGetMany", KvGetMany}, {"kvPut", KvPut},
            {"kvDelete", KvDelete}, {"kvList", KvList}, {"kvAlloc", KvAlloc},
            {"kvEncodeText", KvEncodeText})
