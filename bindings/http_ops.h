// HTTP exchange ops: the bridge between runtime/http_server (bytes) and compat/30_dispatch.js
// (Request/Response). One table of in-flight exchanges per isolate thread.
#pragma once

#include <memory>

#include "runtime/http_server.h"
#include "runtime/isolate_host.h"

namespace pactown::bindings {

struct HttpDispatchOptions {
  bool jsonLogs = false;  // --log-format json
  bool accessLog = true;
  bool testScheduled = false;  // serve GET /__scheduled?cron=… as wrangler dev --test-scheduled
};

// Hands one parsed request to the worker's fetch handler (or the scheduled test route).
void dispatchHttpRequest(runtime::IsolateHost* host,
                         std::shared_ptr<runtime::HttpExchange> exchange,
                         const HttpDispatchOptions& options);

// Requests still being handled plus ctx.waitUntil promises still pending, on this thread.
size_t pendingWork();

// Writes buffered access-log lines (called once per loop iteration by the server).
void flushAccessLog();

}  // namespace pactown::bindings
