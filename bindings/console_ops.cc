// Console ops: writing log lines, and the engine facts value formatting needs without running user
// code (promise state, proxy internals, collection entries, exact value kinds). Used by
// js/06_console.js.
//
//   print(string, isStderr) -> undefined        writes the string as UTF-8, as is (the caller adds
//                                               the newline); lone surrogates become U+FFFD
//   inspectPromise(value) -> [state, result] | undefined   state: 0 pending, 1 fulfilled,
//                                               2 rejected; undefined if not a promise
//   inspectProxy(value) -> [target, handler] | undefined   undefined if not a proxy
//   inspectEntries(value) -> [entries, isKeyValue] | undefined   Map, Set, WeakMap, WeakSet and
//                                               their iterators; Map entries flattened k0,v0,...
//   inspectType(value) -> integer               a kValue* kind below (0: none of them)
#include <cstdio>
#include <vector>

#include "bindings/op.h"

namespace pactown::bindings {
namespace {

using Args = v8::FunctionCallbackInfo<v8::Value>;

// Kept in sync with kTypes in js/06_console.js.
enum ValueKind : int32_t {
  kValueOther = 0,
  kValueMap = 1,
  kValueSet = 2,
  kValueWeakMap = 3,
  kValueWeakSet = 4,
  kValueMapIterator = 5,
  kValueSetIterator = 6,
  kValuePromise = 7,
  kValueProxy = 8,
  kValueDate = 9,
  kValueRegExp = 10,
  kValueArrayBuffer = 11,
  kValueSharedArrayBuffer = 12,
  kValueDataView = 13,
  kValueTypedArray = 14,
  kValueNumberObject = 15,
  kValueStringObject = 16,
  kValueBooleanObject = 17,
  kValueBigIntObject = 18,
  kValueSymbolObject = 19,
  kValueNativeError = 20,
  kValueGeneratorObject = 21,
  kValueModuleNamespace = 22,
  kValueArgumentsObject = 23,
  kValueAsyncFunction = 24,
  kValueGeneratorFunction = 25,
  kValueWeakRef = 26,  // reserved: V8 10.2 has no IsWeakRef()
  kValueExternal = 27,
  kValueAsyncGeneratorFunction = 28,
};

void Print(const Args& args) {
  v8::Isolate* isolate = args.GetIsolate();
  v8::Local<v8::String> str;
  if (!args[0]->ToString(isolate->GetCurrentContext()).ToLocal(&str)) return;
  FILE* stream = args[1]->IsTrue() ? stderr : stdout;
  int length = str->Utf8Length(isolate);
  char stackBuffer[1024];
  std::vector<char> heapBuffer;
  char* buffer = stackBuffer;
  if (length > static_cast<int>(sizeof stackBuffer)) {
    heapBuffer.resize(static_cast<size_t>(length));
    buffer = heapBuffer.data();
  }
  int written = str->WriteUtf8(isolate, buffer, length, nullptr,
                               v8::String::NO_NULL_TERMINATION | v8::String::REPLACE_INVALID_UTF8);
  // One fwrite per message: lines from isolates on other threads do not interleave inside it.
  fwrite(buffer, 1, static_cast<size_t>(written), stream);
  fflush(stream);
}

void InspectPromise(const Args& args) {
  if (!args[0]->IsPromise()) return;
  v8::Isolate* isolate = args.GetIsolate();
  v8::Local<v8::Promise> promise = args[0].As<v8::Promise>();
  v8::Promise::PromiseState state = promise->State();
  int32_t code = state == v8::Promise::kPending ? 0 : state == v8::Promise::kFulfilled ? 1 : 2;
  v8::Local<v8::Value> items[2] = {
      v8::Integer::New(isolate, code),
      code == 0 ? v8::Undefined(isolate).As<v8::Value>() : promise->Result()};
  args.GetReturnValue().Set(v8::Array::New(isolate, items, 2));
}

void InspectProxy(const Args& args) {
  if (!args[0]->IsProxy()) return;
  v8::Isolate* isolate = args.GetIsolate();
  v8::Local<v8::Proxy> proxy = args[0].As<v8::Proxy>();
  v8::Local<v8::Value> items[2] = {proxy->GetTarget(), proxy->GetHandler()};
  args.GetReturnValue().Set(v8::Array::New(isolate, items, 2));
}

void InspectEntries(const Args& args) {
  if (!args[0]->IsObject() || args[0]->IsProxy()) return;
  v8::Isolate* isolate = args.GetIsolate();
  bool isKeyValue = false;
  v8::Local<v8::Array> entries;
  if (!args[0].As<v8::Object>()->PreviewEntries(&isKeyValue).ToLocal(&entries)) return;
  v8::Local<v8::Value> items[2] = {entries, v8::Boolean::New(isolate, isKeyValue)};
  args.GetReturnValue().Set(v8::Array::New(isolate, items, 2));
}

int32_t kindOf(v8::Local<v8::Value> v) {
  if (!v->IsObject()) return kValueOther;
  if (v->IsProxy()) return kValueProxy;
  if (v->IsMap()) return kValueMap;
  if (v->IsSet()) return kValueSet;
  if (v->IsWeakMap()) return kValueWeakMap;
  if (v->IsWeakSet()) return kValueWeakSet;
  if (v->IsMapIterator()) return kValueMapIterator;
  if (v->IsSetIterator()) return kValueSetIterator;
  if (v->IsPromise()) return kValuePromise;
  if (v->IsDate()) return kValueDate;
  if (v->IsRegExp()) return kValueRegExp;
  if (v->IsArrayBuffer()) return kValueArrayBuffer;
  if (v->IsSharedArrayBuffer()) return kValueSharedArrayBuffer;
  if (v->IsDataView()) return kValueDataView;
  if (v->IsTypedArray()) return kValueTypedArray;
  if (v->IsNumberObject()) return kValueNumberObject;
  if (v->IsStringObject()) return kValueStringObject;
  if (v->IsBooleanObject()) return kValueBooleanObject;
  if (v->IsBigIntObject()) return kValueBigIntObject;
  if (v->IsSymbolObject()) return kValueSymbolObject;
  if (v->IsNativeError()) return kValueNativeError;
  if (v->IsGeneratorObject()) return kValueGeneratorObject;
  if (v->IsModuleNamespaceObject()) return kValueModuleNamespace;
  if (v->IsArgumentsObject()) return kValueArgumentsObject;
  if (v->IsAsyncFunction() && v->IsGeneratorFunction()) return kValueAsyncGeneratorFunction;
  if (v->IsAsyncFunction()) return kValueAsyncFunction;
  if (v->IsGeneratorFunction()) return kValueGeneratorFunction;
  if (v->IsExternal()) return kValueExternal;
  return kValueOther;
}

void InspectType(const Args& args) { args.GetReturnValue().Set(kindOf(args[0])); }

}  // namespace
}  // namespace pactown::bindings

PT_OP_TABLE(console, {"print", Print}, {"inspectPromise", InspectPromise},
            {"inspectProxy", InspectProxy}, {"inspectEntries", InspectEntries},
            {"inspectType", InspectType});
