// Loads a worker script into an isolate: detects the format (ES modules or service-worker syntax),
// builds env from the configuration, evaluates the script and registers its handlers.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "runtime/isolate_host.h"
#include "runtime/module_loader.h"

namespace pactown::runtime {

struct WorkerSpec {
  std::string mainPath;
  // {"vars": {...}, "secrets": {...}, "bindings": [...]}: what env is built from.
  std::string envJson = "{}";
  // wrangler's module rules (absolute path → kind); empty: by file extension.
  std::function<std::optional<ModuleKind>(const std::string&)> moduleKind;
};

// Returns false and fills `error` ("file:line:column: message") when the script fails to load.
// Call inside no scope; it opens its own.
bool loadWorker(IsolateHost& host, const WorkerSpec& spec, std::string* error);

// For --test: returns the entry module namespace of the loaded worker (modules format only).
v8::Local<v8::Value> workerNamespace(IsolateHost& host);

}  // namespace pactown::runtime
