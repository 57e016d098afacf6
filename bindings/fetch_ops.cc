// Outgoing fetch() ops: the bridge between js/24_fetch.js and libcurl (bindings/curl_transfer.h on
// one CurlMulti per loop thread, created on the first fetch).
//
// Native code holds no V8 handles: a transfer is an integer id, and progress reaches JavaScript as
// calls of internals.outboundFetch.onEvent(id, kind, a, b, c), made from the loop after curl
// ran (never from inside a curl call or an op):
//   kHead (1):     a = status, b = status text, c = flat [name, value, ...] header pairs
//   kData (2):     a = Uint8Array (only while JavaScript waits: after fetchPull returned undefined)
//   kEnd (3):      the body is complete (same condition)
//   kError (4):    a = message ("Network connection lost." | "fetch failed"), b = curl's detail;
//                  before the head, or while JavaScript waits for the body
//   kNeedBody (5): a streamed request body may push more (after fetchWrite returned 0)
// After kEnd, kError, a terminal fetchPull result or fetchCancel, the id is gone.
#include <cstdlib>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "bindings/curl_multi.h"
#include "bindings/curl_transfer.h"
#include "bindings/op.h"
#include "runtime/isolate_host.h"

namespace pactown::bindings {
namespace {

using runtime::IsolateHost;
using Args = v8::FunctionCallbackInfo<v8::Value>;

enum Event : int { kHead = 1, kData = 2, kEnd = 3, kError = 4, kNeedBody = 5 };

struct Transfer {
  IsolateHost* host = nullptr;
  std::unique_ptr<CurlTransfer> curl;
  bool queued = false;  // listed in FetchThread::dirty
};

// Per loop thread. Transfers go before the multi they belong to.
struct FetchThread {
  std::unique_ptr<CurlMulti> multi;
  std::unordered_map<uint32_t, std::unique_ptr<Transfer>> transfers;
  std::vector<uint32_t> dirty;
  uint32_t nextId = 1;

  ~FetchThread() { reset(); }
  void reset() {
    transfers.clear();
    dirty.clear();
    multi.reset();
  }
};

thread_local FetchThread state;

void flush();

CurlMulti* multiFor(uv_loop_t* loop) {
  // A multi from a loop that has been shut down (or another loop) is dropped with its transfers.
  if (state.multi && (state.multi->loop() != loop || state.multi->loopClosing())) state.reset();
  if (!state.multi) {
    state.multi = std::make_unique<CurlMulti>(loop);
    state.multi->onDone = [](CURL* easy, CURLcode result) {
      void* transfer = nullptr;
      curl_easy_getinfo(easy, CURLINFO_PRIVATE, &transfer);
      if (transfer) static_cast<CurlTransfer*>(transfer)->finish(result);
    };
    state.multi->afterActivity = [] { flush(); };
  }
  return state.multi.get();
}

void markDirty(uint32_t id) {
  auto it = state.transfers.find(id);
  if (it == state.transfers.end() || it->second->queued) return;
  it->second->queued = true;
  state.dirty.push_back(id);
}

Transfer* find(uint32_t id) {
  auto it = state.transfers.find(id);
  return it == state.transfers.end() ? nullptr : it->second.get();
}

uint32_t idArg(const Args& args) {
  return args[0]->Uint32Value(args.GetIsolate()->GetCurrentContext()).FromMaybe(0);
}

// Header names and values are ByteStrings: one byte per code unit.
v8::Local<v8::String> byteString(v8::Isolate* isolate, const std::string& s) {
  return v8::String::NewFromOneByte(isolate, reinterpret_cast<const uint8_t*>(s.data()),
                                    v8::NewStringType::kNormal, static_cast<int>(s.size()))
      .ToLocalChecked();
}

std::string toByteString(v8::Isolate* isolate, v8::Local<v8::Value> value) {
  v8::Local<v8::String> s;
  if (!value->ToString(isolate->GetCurrentContext()).ToLocal(&s)) return {};
  std::string out(static_cast<size_t>(s->Length()), '\0');
  s->WriteOneByte(isolate, reinterpret_cast<uint8_t*>(out.data()), 0, s->Length(),
                  v8::String::NO_NULL_TERMINATION);
  return out;
}

// Takes ownership of a malloc'd block.
v8::Local<v8::Uint8Array> bytesFrom(v8::Isolate* isolate, BodyBlock block) {
  auto store = v8::ArrayBuffer::NewBackingStore(
      block.data, block.size, [](void* data, size_t, void*) { free(data); }, nullptr);
  v8::Local<v8::ArrayBuffer> buffer = v8::ArrayBuffer::New(isolate, std::move(store));
  return v8::Uint8Array::New(buffer, 0, block.size);
}

v8::Local<v8::Array> errorPair(v8::Isolate* isolate, const CurlTransfer& c) {
  v8::Local<v8::Value> items[] = {runtime::v8str(isolate, c.errorMessage()),
                                  runtime::v8str(isolate, c.errorDetail())};
  return v8::Array::New(isolate, items, 2);
}

void call(IsolateHost* host, v8::Local<v8::Function> onEvent, uint32_t id, Event kind,
          v8::Local<v8::Value> a = {}, v8::Local<v8::Value> b = {}, v8::Local<v8::Value> c = {}) {
  v8::Isolate* isolate = host->isolate();
  v8::Local<v8::Value> undefined = v8::Undefined(isolate);
  v8::Local<v8::Value> argv[] = {v8::Integer::NewFromUnsigned(isolate, id),
                                 v8::Integer::New(isolate, kind), a.IsEmpty() ? undefined : a,
                                 b.IsEmpty() ? undefined : b, c.IsEmpty() ? undefined : c};
  // An exception is left in the caller's CallbackScope, which reports it.
  (void)onEvent->Call(host->context(), undefined, 5, argv).IsEmpty();
}

// Hands one transfer's news to JavaScript. JavaScript may cancel (erase) the transfer during any
// call, so it is looked up again after each one; terminal events erase it before the call.
void deliver(v8::Local<v8::Function> onEvent, uint32_t id) {
  Transfer* t = find(id);
  if (!t) return;
  t->queued = false;
  IsolateHost* host = t->host;
  v8::Isolate* isolate = host->isolate();
  if (t->curl->wantsBody) {
    t->curl->wantsBody = false;
    call(host, onEvent, id, kNeedBody);
    if (!(t = find(id))) return;
  }
  CurlTransfer& c = *t->curl;
  if (!c.headDelivered) {
    if (c.headReady) {
      c.headDelivered = true;
      std::vector<v8::Local<v8::Value>> pairs;
      pairs.reserve(c.headerPairs.size());
      for (const std::string& s : c.headerPairs) pairs.push_back(byteString(isolate, s));
      call(host, onEvent, id, kHead, v8::Integer::New(isolate, c.status),
           byteString(isolate, c.statusText), v8::Array::New(isolate, pairs.data(), pairs.size()));
      if (!(t = find(id))) return;
    } else if (c.done) {
      v8::Local<v8::Array> error = errorPair(isolate, c);
      state.transfers.erase(id);
      call(host, onEvent, id, kError, error->Get(host->context(), 0).ToLocalChecked(),
           error->Get(host->context(), 1).ToLocalChecked());
      return;
    } else {
      return;
    }
  }
  CurlTransfer& body = *t->curl;
  if (!body.demand) return;
  if (body.hasBody()) {
    body.demand = false;
    call(host, onEvent, id, kData, bytesFrom(isolate, body.takeBody()));
  } else if (body.done) {
    if (body.result == CURLE_OK) {
      state.transfers.erase(id);
      call(host, onEvent, id, kEnd);
    } else {
      v8::Local<v8::Array> error = errorPair(isolate, body);
      state.transfers.erase(id);
      call(host, onEvent, id, kError, error->Get(host->context(), 0).ToLocalChecked(),
           error->Get(host->context(), 1).ToLocalChecked());
    }
  }
}

// After curl ran: deliver every transfer that changed. Deliveries can mark transfers again (a
// resumed transfer writes synchronously), so repeat a few times.
void flush() {
  for (int round = 0; round < 8 && !state.dirty.empty(); round++) {
    std::vector<uint32_t> ids;
    ids.swap(state.dirty);
    IsolateHost* host = nullptr;
    for (uint32_t id : ids) {
      if (Transfer* t = find(id)) {
        host = t->host;
        break;
      }
    }
    if (!host) return;
    runtime::CallbackScope scope(host, "Uncaught exception in fetch");
    v8::Local<v8::Function> onEvent = host->internalFunction("outboundFetch.onEvent");
    if (onEvent.IsEmpty()) return;
    for (uint32_t id : ids) deliver(onEvent, id);
  }
}

// fetchStart(method, url, headersFlat, body, streamLength, flags) -> id
//   body: null (none), a string (sent as UTF-8), a Uint8Array, or true (a stream: fetchWrite);
//   streamLength: the stream's length, or -1; flags: 1 = decode the response body.
void FetchStart(const Args& args) {
  v8::Isolate* isolate = args.GetIsolate();
  v8::Local<v8::Context> context = isolate->GetCurrentContext();
  IsolateHost* host = IsolateHost::from(isolate);
  TransferRequest request;
  request.method = toByteString(isolate, args[0]);
  request.url = toByteString(isolate, args[1]);
  if (args[2]->IsArray()) {
    v8::Local<v8::Array> list = args[2].As<v8::Array>();
    uint32_t n = list->Length();
    request.headers.reserve(n);
    for (uint32_t i = 0; i < n; i++) {
      request.headers.push_back(toByteString(isolate, list->Get(context, i).ToLocalChecked()));
    }
  }
  v8::Local<v8::Value> body = args[3];
  if (body->IsTrue()) {
    request.bodyKind = TransferRequest::BodyKind::kStream;
    double length = args[4]->NumberValue(context).FromMaybe(-1);
    request.streamLength = length >= 0 ? static_cast<int64_t>(length) : -1;
  } else if (body->IsString()) {
    request.bodyKind = TransferRequest::BodyKind::kBytes;
    request.bytes = runtime::toStdString(isolate, body);
  } else if (body->IsArrayBufferView()) {
    request.bodyKind = TransferRequest::BodyKind::kBytes;
    auto view = body.As<v8::ArrayBufferView>();
    request.bytes.resize(view->ByteLength());
    view->CopyContents(request.bytes.data(), request.bytes.size());
  }
  request.decodeBody = (args[5]->Int32Value(context).FromMaybe(1) & 1) != 0;

  uint32_t id = state.nextId++;
  if (state.nextId == 0) state.nextId = 1;
  auto transfer = std::make_unique<Transfer>();
  transfer->host = host;
  transfer->curl = std::make_unique<CurlTransfer>(multiFor(host->loop()), [id] { markDirty(id); });
  std::string error;
  if (!transfer->curl->start(std::move(request), &error)) {
    runtime::throwTypeError(isolate, error);
    return;
  }
  state.transfers[id] = std::move(transfer);
  args.GetReturnValue().Set(id);
}

// fetchPull(id) -> Uint8Array (buffered body bytes) | null (end of body) |
//                  [message, detail] (failed) | undefined (wait for kData/kEnd/kError)
void FetchPull(const Args& args) {
  v8::Isolate* isolate = args.GetIsolate();
  uint32_t id = idArg(args);
  Transfer* t = find(id);
  if (!t) {
    args.GetReturnValue().SetNull();
    return;
  }
  CurlTransfer& c = *t->curl;
  if (c.hasBody()) {
    c.demand = false;
    args.GetReturnValue().Set(bytesFrom(isolate, c.takeBody()));
  } else if (c.done) {
    if (c.result == CURLE_OK) {
      args.GetReturnValue().SetNull();
    } else {
      args.GetReturnValue().Set(errorPair(isolate, c));
    }
    state.transfers.erase(id);
  } else {
    c.demand = true;
  }
}

// fetchWrite(id, Uint8Array | null) -> 1 (push more), 0 (wait for kNeedBody), -1 (not reading a
// body any more: stop). null ends the body.
void FetchWrite(const Args& args) {
  Transfer* t = find(idArg(args));
  if (!t) {
    args.GetReturnValue().Set(-1);
    return;
  }
  int more;
  if (args[1]->IsArrayBufferView()) {
    auto view = args[1].As<v8::ArrayBufferView>();
    std::string chunk(view->ByteLength(), '\0');
    view->CopyContents(chunk.data(), chunk.size());
    more = t->curl->pushBody(chunk, false);
  } else {
    more = t->curl->pushBody({}, true);
  }
  args.GetReturnValue().Set(more);
}

// fetchCancel(id): stops the transfer (closing its connection if it was still in use) and forgets
// the id. Unknown ids are ignored.
void FetchCancel(const Args& args) { state.transfers.erase(idArg(args)); }

}  // namespace
}  // namespace pactown::bindings

PT_OP_TABLE(fetch, {"fetchStart", FetchStart}, {"fetchPull", FetchPull}, {"fetchWrite", FetchWrite},
            {"fetchCancel", FetchCancel})
