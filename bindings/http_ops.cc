#include "bindings/http_ops.h"

#include <cinttypes>
#include <cstdio>
#include <deque>
#include <string>
#include <unordered_map>

#include "bindings/op.h"

namespace pactown::bindings {
namespace {

using runtime::HttpExchange;
using runtime::HttpHeaderView;
using runtime::IsolateHost;
using runtime::toStdString;
using runtime::v8str;
using Args = v8::FunctionCallbackInfo<v8::Value>;

struct InFlight {
  std::shared_ptr<HttpExchange> exchange;
  uint64_t startNs = 0;
  int status = 0;
  bool aborted = false;
  // Request body: chunks received but not yet read by JS, and a pending read.
  std::deque<std::string> chunks;
  size_t bufferedBytes = 0;
  bool bodyEnded = false;
  std::string bodyError;
  v8::Global<v8::Promise::Resolver> reader;
};

// One isolate per thread, so per-thread tables are per-isolate tables.
thread_local std::unordered_map<uint32_t, InFlight> inFlight;
thread_local uint32_t nextId = 1;
thread_local size_t waitUntilCount = 0;
thread_local std::string logBuffer;
thread_local HttpDispatchOptions dispatchOptions;

constexpr size_t kBodyBufferLimit = 256 * 1024;

InFlight* find(const Args& args, uint32_t* idOut = nullptr) {
  uint32_t id = args[0]->Uint32Value(args.GetIsolate()->GetCurrentContext()).FromMaybe(0);
  if (idOut) *idOut = id;
  auto it = inFlight.find(id);
  return it == inFlight.end() ? nullptr : &it->second;
}

std::string_view bytesOf(v8::Local<v8::Value> value, std::string* scratch, v8::Isolate* isolate) {
  if (value->IsArrayBufferView()) {
    auto view = value.As<v8::ArrayBufferView>();
    const char* base = static_cast<const char*>(view->Buffer()->Data());
    return std::string_view(base + view->ByteOffset(), view->ByteLength());
  }
  if (value->IsString()) {
    *scratch = toStdString(isolate, value);
    return *scratch;
  }
  return {};
}

void logAccess(InFlight& f) {
  if (!dispatchOptions.accessLog) return;
  const runtime::HttpRequestHead& head = f.exchange->head();
  double ms = static_cast<double>(uv_hrtime() - f.startNs) / 1e6;
  std::string_view target = head.target();
  char line[160];
  if (dispatchOptions.jsonLogs) {
    std::string path;
    for (char c : target) {
      if (c == '"' || c == '\\') path += '\\';
      if (static_cast<unsigned char>(c) >= 0x20) path += c;
    }
    uv_timeval64_t tv;
    uv_gettimeofday(&tv);
    logBuffer += "{\"ts\":" + std::to_string(tv.tv_sec * 1000 + tv.tv_usec / 1000) +
                 ",\"method\":\"" + std::string(head.method()) + "\",\"path\":\"" + path +
                 "\",\"status\":" + std::to_string(f.status) + ",\"durationMs\":";
    snprintf(line, sizeof line, "%.3f", ms);
    logBuffer += line;
    logBuffer += f.aborted ? ",\"aborted\":true}\n" : "}\n";
  } else {
    logBuffer += std::string(head.method()) + " " + std::string(target) + " ";
    snprintf(line, sizeof line, "%d (%.1fms)%s\n", f.status, ms, f.aborted ? " aborted" : "");
    logBuffer += line;
  }
  if (logBuffer.size() > 64 * 1024) flushAccessLog();
}

void finishEntry(uint32_t id) {
  auto it = inFlight.find(id);
  if (it == inFlight.end()) return;
  logAccess(it->second);
  inFlight.erase(it);
}

bool readReady(const InFlight& f) {
  return !f.chunks.empty() || f.bodyEnded || !f.bodyError.empty();
}

// Settles `resolver` with the next chunk, null at the end, or a rejection after a lost connection.
void resolveRead(v8::Isolate* isolate, v8::Local<v8::Context> context, InFlight& f,
                 v8::Local<v8::Promise::Resolver> resolver) {
  if (!f.chunks.empty()) {
    std::string chunk = std::move(f.chunks.front());
    f.chunks.pop_front();
    f.bufferedBytes -= chunk.size();
    auto store = v8::ArrayBuffer::NewBackingStore(isolate, chunk.size());
    memcpy(store->Data(), chunk.data(), chunk.size());
    auto ab = v8::ArrayBuffer::New(isolate, std::move(store));
    (void)resolver->Resolve(context, v8::Uint8Array::New(ab, 0, chunk.size()));
    if (f.bufferedBytes < kBodyBufferLimit) f.exchange->resumeBody();
  } else if (!f.bodyError.empty()) {
    (void)resolver->Reject(context,
                           v8::Exception::TypeError(v8str(isolate, "Network connection lost.")));
  } else {
    (void)resolver->Resolve(context, v8::Null(isolate));
  }
}

// Settles a read JS is waiting on, from a loop callback (enters the isolate, runs microtasks).
void settleReader(IsolateHost* host, InFlight& f) {
  if (f.reader.IsEmpty() || !readReady(f)) return;
  runtime::CallbackScope scope(host);
  v8::Local<v8::Promise::Resolver> resolver = f.reader.Get(host->isolate());
  f.reader.Reset();
  resolveRead(host->isolate(), scope.context(), f, resolver);
}

// httpReadBody(id) -> Promise<Uint8Array | null>
void HttpReadBody(const Args& args) {
  v8::Isolate* isolate = args.GetIsolate();
  v8::Local<v8::Context> context = isolate->GetCurrentContext();
  v8::Local<v8::Promise::Resolver> resolver = v8::Promise::Resolver::New(context).ToLocalChecked();
  args.GetReturnValue().Set(resolver->GetPromise());
  InFlight* f = find(args);
  if (!f) {
    (void)resolver->Resolve(context, v8::Null(isolate));
  } else if (readReady(*f)) {
    resolveRead(isolate, context, *f, resolver);
  } else {
    f->reader.Reset(isolate, resolver);
    f->exchange->resumeBody();
  }
}

// httpDiscardBody(id): the worker cancelled the request body stream.
void HttpDiscardBody(const Args& args) {
  InFlight* f = find(args);
  if (!f) return;
  f->chunks.clear();
  f->bufferedBytes = 0;
  f->bodyEnded = true;
}

bool headersFrom(v8::Isolate* isolate, v8::Local<v8::Value> value, std::vector<std::string>* store,
                 std::vector<HttpHeaderView>* views, std::optional<uint64_t>* contentLength) {
  if (!value->IsArray()) return false;
  v8::Local<v8::Context> context = isolate->GetCurrentContext();
  v8::Local<v8::Array> list = value.As<v8::Array>();
  uint32_t n = list->Length();
  store->reserve(n);
  for (uint32_t i = 0; i < n; i++) {
    store->push_back(toStdString(isolate, list->Get(context, i).ToLocalChecked()));
  }
  for (uint32_t i = 0; i + 1 < n; i += 2) {
    const std::string& name = (*store)[i];
    if (contentLength && name.size() == 14 &&
        strncasecmp(name.c_str(), "content-length", 14) == 0) {
      char* end = nullptr;
      unsigned long long v = strtoull((*store)[i + 1].c_str(), &end, 10);
      if (end && *end == 0 && !(*store)[i + 1].empty()) *contentLength = v;
    }
    views->push_back({(*store)[i], (*store)[i + 1]});
  }
  return true;
}

// httpRespond(id, status, statusText, headersFlat, body): body is null/undefined (empty), a
// string or Uint8Array (sent in one write), or true (streamed: httpWrite… then httpEnd).
void HttpRespond(const Args& args) {
  v8::Isolate* isolate = args.GetIsolate();
  uint32_t id = 0;
  InFlight* f = find(args, &id);
  if (!f) return;
  f->status = args[1]->Int32Value(isolate->GetCurrentContext()).FromMaybe(500);
  std::string reason = toStdString(isolate, args[2]);
  std::vector<std::string> store;
  std::vector<HttpHeaderView> headers;
  std::optional<uint64_t> contentLength;
  headersFrom(isolate, args[3], &store, &headers, &contentLength);
  if (args[4]->IsTrue()) {
    auto framing = contentLength ? runtime::HttpBodyFraming::fixed(*contentLength)
                                 : runtime::HttpBodyFraming::chunked();
    f->exchange->startResponse(f->status, reason, headers, framing);
    return;
  }
  std::string scratch;
  std::string_view body = bytesOf(args[4], &scratch, isolate);
  f->exchange->respond(f->status, reason, headers, body);
  finishEntry(id);
}

// httpWrite(id, Uint8Array) -> Promise<boolean>: true once the bytes are handed over (or queued
// below the high-water mark), false when the client is gone.
void HttpWrite(const Args& args) {
  v8::Isolate* isolate = args.GetIsolate();
  InFlight* f = find(args);
  if (!f || f->aborted) {
    args.GetReturnValue().Set(false);
    return;
  }
  std::string scratch;
  std::string_view data = bytesOf(args[1], &scratch, isolate);
  v8::Local<v8::Context> context = isolate->GetCurrentContext();
  v8::Local<v8::Promise::Resolver> resolver = v8::Promise::Resolver::New(context).ToLocalChecked();
  auto pending = std::make_shared<v8::Global<v8::Promise::Resolver>>(isolate, resolver);
  IsolateHost* host = IsolateHost::from(isolate);
  bool ok = f->exchange->write(data, [host, pending](bool written) {
    runtime::CallbackScope scope(host);
    (void)pending->Get(host->isolate())
        ->Resolve(scope.context(), v8::Boolean::New(host->isolate(), written));
    pending->Reset();
  });
  if (!ok) {
    args.GetReturnValue().Set(false);
    return;
  }
  args.GetReturnValue().Set(resolver->GetPromise());
}

void HttpEnd(const Args& args) {
  uint32_t id = 0;
  InFlight* f = find(args, &id);
  if (!f) return;
  f->exchange->finish();
  finishEntry(id);
}

void HttpAbort(const Args& args) {
  uint32_t id = 0;
  InFlight* f = find(args, &id);
  if (!f) return;
  f->aborted = true;
  f->exchange->abort();
  finishEntry(id);
}

// waitUntilChange(+1 | -1): ctx.waitUntil bookkeeping for graceful shutdown.
void WaitUntilChange(const Args& args) {
  int delta = args[0]->Int32Value(args.GetIsolate()->GetCurrentContext()).FromMaybe(0);
  if (delta < 0 && waitUntilCount == 0) return;
  waitUntilCount += delta;
}

std::string requestUrl(const runtime::HttpRequestHead& head) {
  std::string_view target = head.target();
  if (target.rfind("http://", 0) == 0 || target.rfind("https://", 0) == 0)
    return std::string(target);
  std::string scheme = "http";
  if (auto proto = head.find("x-forwarded-proto")) {
    std::string_view p = proto->substr(0, proto->find(','));
    if (p == "https") scheme = "https";
  }
  std::string host = std::string(head.find("host").value_or("localhost"));
  return scheme + "://" + host + std::string(target);
}

}  // namespace

size_t pendingWork() { return inFlight.size() + waitUntilCount; }

void flushAccessLog() {
  if (logBuffer.empty()) return;
  fwrite(logBuffer.data(), 1, logBuffer.size(), stdout);
  fflush(stdout);
  logBuffer.clear();
}

namespace {

// Small bodies of known length are collected before the worker runs: the Request then holds its
// bytes in memory (no stream machinery per request, as for in-memory responses). Larger or
// chunked bodies stream, pulled by the worker through httpReadBody.
constexpr uint64_t kCollectedBodyLimit = 64 * 1024;

enum class BodyMode { kNone, kStreamed, kCollected };

void onStreamData(IsolateHost* host, uint32_t id, const char* data, size_t length) {
  auto it = inFlight.find(id);
  if (it == inFlight.end() || it->second.bodyEnded) return;
  it->second.chunks.emplace_back(data, length);
  it->second.bufferedBytes += length;
  if (it->second.bufferedBytes >= kBodyBufferLimit) it->second.exchange->pauseBody();
  settleReader(host, it->second);
}

void onStreamEnd(IsolateHost* host, uint32_t id, std::string_view error) {
  auto it = inFlight.find(id);
  if (it == inFlight.end()) return;
  if (error.empty()) {
    it->second.bodyEnded = true;
  } else {
    it->second.bodyError = std::string(error);
  }
  settleReader(host, it->second);
}

// Calls the JS dispatcher: fetch(id, method, url, headerPairs, body, testScheduled) with body
// false (none), true (streamed) or a Uint8Array (collected).
void invokeFetch(IsolateHost* host, uint32_t id, BodyMode mode, const std::string& collected) {
  auto entry = inFlight.find(id);
  if (entry == inFlight.end()) return;
  const runtime::HttpRequestHead& head = entry->second.exchange->head();
  runtime::CallbackScope scope(host, "Uncaught exception in fetch dispatch");
  v8::Isolate* isolate = host->isolate();
  v8::Local<v8::Context> context = scope.context();
  // Header pairs as received, plus CF-Connecting-IP when no Cloudflare edge set it already.
  size_t n = head.headerCount();
  bool hasConnectingIp = head.find("cf-connecting-ip").has_value();
  v8::Local<v8::Array> headers =
      v8::Array::New(isolate, static_cast<int>(n * 2 + (hasConnectingIp ? 0 : 2)));
  uint32_t k = 0;
  for (size_t i = 0; i < n; i++) {
    HttpHeaderView h = head.header(i);
    headers->Set(context, k++, v8str(isolate, h.name)).Check();
    headers->Set(context, k++, v8str(isolate, h.value)).Check();
  }
  if (!hasConnectingIp) {
    headers->Set(context, k++, v8str(isolate, "cf-connecting-ip")).Check();
    headers->Set(context, k++, v8str(isolate, head.peerAddress)).Check();
  }
  v8::Local<v8::Value> body = v8::Boolean::New(isolate, mode == BodyMode::kStreamed);
  if (mode == BodyMode::kCollected) {
    auto store = v8::ArrayBuffer::NewBackingStore(isolate, collected.size());
    memcpy(store->Data(), collected.data(), collected.size());
    body =
        v8::Uint8Array::New(v8::ArrayBuffer::New(isolate, std::move(store)), 0, collected.size());
  }
  v8::Local<v8::Value> argv[] = {
      v8::Integer::NewFromUnsigned(isolate, id),
      v8str(isolate, head.method()),
      v8str(isolate, requestUrl(head)),
      headers,
      body,
      v8::Boolean::New(isolate, dispatchOptions.testScheduled),
  };
  v8::Local<v8::Function> fetch = host->internalFunction("dispatch.fetch");
  if (fetch.IsEmpty() || fetch->Call(context, v8::Undefined(isolate), 6, argv).IsEmpty()) {
    auto it = inFlight.find(id);
    if (it != inFlight.end()) {
      it->second.status = 500;
      it->second.exchange->respond(500, "", {{"content-type", "text/plain;charset=UTF-8"}},
                                   "Internal Server Error");
      finishEntry(id);
    }
  }
}

}  // namespace

void dispatchHttpRequest(IsolateHost* host, std::shared_ptr<HttpExchange> exchange,
                         const HttpDispatchOptions& options) {
  dispatchOptions = options;
  uint32_t id = nextId++;
  if (nextId == 0) nextId = 1;
  InFlight& f = inFlight[id];
  f.exchange = exchange;
  f.startNs = uv_hrtime();
  const runtime::HttpRequestHead& head = exchange->head();

  exchange->setAbortHandler([host, id] {
    auto it = inFlight.find(id);
    if (it == inFlight.end()) return;
    it->second.aborted = true;
    if (!it->second.bodyEnded) it->second.bodyError = "aborted";
    settleReader(host, it->second);
  });
  if (!head.hasBody) return invokeFetch(host, id, BodyMode::kNone, {});

  if (head.contentLength && *head.contentLength <= kCollectedBodyLimit) {
    auto buffer = std::make_shared<std::string>();
    buffer->reserve(*head.contentLength);
    exchange->setBodySink(runtime::HttpBodySink{
        [buffer](const char* data, size_t length) { buffer->append(data, length); },
        [host, id, buffer] { invokeFetch(host, id, BodyMode::kCollected, *buffer); },
        [id](std::string_view) {
          // The client went away before its body was complete: the worker never sees it.
          auto it = inFlight.find(id);
          if (it == inFlight.end()) return;
          it->second.aborted = true;
          finishEntry(id);
        }});
    return;
  }
  exchange->setBodySink(runtime::HttpBodySink{
      [host, id](const char* data, size_t length) { onStreamData(host, id, data, length); },
      [host, id] { onStreamEnd(host, id, {}); },
      [host, id](std::string_view reason) {
        onStreamEnd(host, id, reason.empty() ? "error" : reason);
      }});
  exchange->pauseBody();  // pulled by the worker through httpReadBody
  invokeFetch(host, id, BodyMode::kStreamed, {});
}

}  // namespace pactown::bindings

PT_OP_TABLE(http, {"httpReadBody", HttpReadBody}, {"httpDiscardBody", HttpDiscardBody},
            {"httpRespond", HttpRespond}, {"httpWrite", HttpWrite}, {"httpEnd", HttpEnd},
            {"httpAbort", HttpAbort}, {"waitUntilChange", WaitUntilChange})
