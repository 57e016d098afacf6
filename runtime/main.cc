// pactown-run: serve an unmodified Cloudflare Worker over HTTP.
// The one file that wires every folder together: CLI → config (compat/) → runtime → bindings.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "bindings/http_ops.h"
#include "bindings/kv_ops.h"
#include "compat/wrangler_config.h"
#include "runtime/module_loader.h"
#include "runtime/server.h"
#include "runtime/test_mode.h"
#include "runtime/v8_platform.h"

namespace fs = std::filesystem;
using namespace pactown;

namespace {

// Flags whose behaviour pactown-run already has by default (or that need nothing from a runtime
// without Cloudflare's edge). Anything else is accepted with a warning.
const std::set<std::string> kKnownFlags = {
    "nodejs_compat",
    "nodejs_compat_v2",
    "streams_enable_constructors",
    "transformstream_enable_standard_constructor",
    "url_standard",
    "global_navigator",
    "formdata_parser_supports_files",
    "fetch_refuses_unknown_protocols",
    "no_global_navigator",
    "export_commonjs_default",
    "web_socket_compression",
    "global_fetch_strictly_public",
};

std::optional<runtime::ModuleKind> toKind(compat::ModuleType type) {
  switch (type) {
    case compat::ModuleType::kESModule:
      return runtime::ModuleKind::kEsm;
    case compat::ModuleType::kCommonJS:
      return runtime::ModuleKind::kCommonJs;
    case compat::ModuleType::kCompiledWasm:
      return runtime::ModuleKind::kCompiledWasm;
    case compat::ModuleType::kText:
      return runtime::ModuleKind::kText;
    case compat::ModuleType::kData:
      return runtime::ModuleKind::kData;
    default:
      return std::nullopt;
  }
}

void warn(const std::string& text) { fprintf(stderr, "pactown-run: warning: %s\n", text.c_str()); }

[[noreturn]] void die(const std::string& text, int code = 1) {
  fprintf(stderr, "pactown-run: %s\n", text.c_str());
  exit(code);
}

}  // namespace

int main(int argc, char** argv) {
  // A client that closes mid-response must fail that write, not kill the process.
  signal(SIGPIPE, SIG_IGN);
  CLI::App app{"pactown-run: run Cloudflare Workers scripts on your own machine", "pactown-run"};
  app.set_version_flag("--version", std::string("pactown-run ") + PT_VERSION);
  std::string script, configPath, testFile, jsDir, stateDir = ".pactown/state", host = "127.0.0.1";
  std::string logFormat = "pretty", envName, redisUrl;
  int port = 8787;
  int threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  uint64_t drainTimeoutMs = 30000;
  bool noSnapshot = false, testScheduled = false, noAccessLog = false;
  std::vector<std::string> vars;
  app.add_option("script", script, "Worker script (ES module or service-worker syntax)");
  app.add_option("--config,-c", configPath, "wrangler.toml | wrangler.json | wrangler.jsonc");
  app.add_option("--port,-p", port, "Port to listen on (0: any free port)")
      ->default_val(8787)
      ->check(CLI::Range(0, 65535));
  app.add_option("--host", host, "Address to listen on")->default_val("127.0.0.1");
  app.add_option("--threads", threads, "Loop threads, each with its own isolate (default: CPUs)")
      ->check(CLI::Range(1, 1024));
  app.add_option("--state-dir", stateDir, "Where embedded storage lives")
      ->default_val(".pactown/state");
  // One value per --var, so `--var K=V worker.js` leaves the script positional alone.
  app.add_option("--var", vars, "Override a var: KEY=VALUE (repeatable)")
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  app.add_option("--redis", redisUrl,
                 "Back every KV namespace with Redis: redis://[user:pass@]host:port/db "
                 "(default: $REDIS_URL, else the embedded store under --state-dir)");
  app.add_option("--env,-e", envName, "Select a wrangler environment ([env.NAME])");
  app.add_flag("--test-scheduled", testScheduled,
               "Serve GET /__scheduled?cron=... to run scheduled()");
  app.add_option("--log-format", logFormat, "Access log format: pretty | json")
      ->check(CLI::IsMember({"pretty", "json"}));
  app.add_flag("--no-access-log", noAccessLog, "Do not log one line per request");
  app.add_option("--drain-timeout", drainTimeoutMs,
                 "On SIGINT/SIGTERM, ms to finish in-flight work")
      ->default_val(30000);
  app.add_option("--test", testFile, "Run the test() exports of a test worker and exit");
  app.add_flag("--no-snapshot", noSnapshot,
               "Evaluate built-in JS at start-up instead of the snapshot");
  app.add_option("--js-dir", jsDir, "Load built-in JS from this source tree (development)")
      ->check(CLI::ExistingDirectory);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }

  // --- configuration ----------------------------------------------------------------------------
  std::string mainFile = !testFile.empty() ? testFile : script;
  if (!mainFile.empty() && !fs::exists(mainFile)) die("no such file: " + mainFile, 2);
  std::optional<fs::path> found;
  if (!configPath.empty()) {
    if (!fs::exists(configPath)) die("no such config file: " + configPath, 2);
    found = fs::absolute(configPath);
  } else if (!testFile.empty()) {
    // A test worker's bindings live beside it: foo_test.js → foo_test.jsonc / .json / .toml.
    for (const char* ext : {".jsonc", ".json", ".toml"}) {
      fs::path p = fs::path(testFile).replace_extension(ext);
      if (fs::exists(p)) {
        found = fs::absolute(p);
        break;
      }
    }
  } else {
    fs::path scriptDir = mainFile.empty() ? fs::path() : fs::absolute(mainFile).parent_path();
    found = compat::findConfig(scriptDir, fs::current_path());
  }
  // wrangler reads the environment from CLOUDFLARE_ENV when --env is not given.
  if (envName.empty()) {
    if (const char* fromEnv = getenv("CLOUDFLARE_ENV"); fromEnv && *fromEnv) envName = fromEnv;
  }
  std::optional<compat::WorkerConfig> config;
  if (found) {
    compat::ConfigResult loaded =
        compat::loadWorkerConfig(*found, envName.empty() ? std::nullopt : std::optional(envName));
    if (!loaded) die(loaded.error.message);
    config = std::move(*loaded.config);
    for (const std::string& w : config->warnings) warn(w);
    for (const std::string& key : config->ignoredKeys) {
      warn("\"" + key +
           "\" is a bundler setting; pactown-run runs the script as written and ignores it");
    }
    compat::DevVarsOptions devVars;
    if (auto err = compat::readDevVarsEnvironment(devVars)) die(*err);
    if (auto err = compat::applyDevVars(*config, devVars)) die(*err);
  } else if (!envName.empty()) {
    die("--env " + envName + " given but no wrangler configuration was found");
  }
  if (!vars.empty()) {
    if (!config) config.emplace();
    if (auto err = compat::applyVarOverrides(*config, vars)) die(*err, 2);
  }
  if (mainFile.empty()) {
    if (!config || !config->main) {
      die("no worker script: pass one (pactown-run worker.js) or set `main` in wrangler config", 2);
    }
    mainFile = config->main->string();
    if (!fs::exists(mainFile))
      die("no such file: " + mainFile + " (main in " + config->configPath.string() + ")", 2);
  }

  compat::Json envJson = {{"vars", compat::Json::object()}, {"bindings", compat::Json::array()}};
  std::vector<compat::ModuleRule> userRules;
  fs::path moduleRoot = fs::absolute(mainFile).parent_path();
  if (config) {
    envJson["vars"] = compat::mergedVars(*config);
    for (const std::string& flag : config->compatibilityFlags) {
      if (!kKnownFlags.count(flag)) warn("compatibility flag \"" + flag + "\" is not supported");
    }
    for (const auto& kv : config->kvNamespaces) {
      // The namespace id keys the data, so two bindings with one id share it (as on Cloudflare).
      std::string id = kv.id ? *kv.id : kv.previewId ? *kv.previewId : kv.binding;
      envJson["bindings"].push_back({{"type", "kv"}, {"name", kv.binding}, {"id", id}});
    }
    for (const auto& d : config->durableObjects) {
      warn("Durable Object binding " + d.name + " is not supported yet; env." + d.name +
           " is undefined");
    }
    for (const auto& other : config->otherBindings) {
      warn(other.kind + (other.name.empty() ? "" : " binding " + other.name) +
           " is not supported yet");
    }
    if (!config->crons.empty()) {
      warn(
          "[triggers] crons are not fired on a schedule yet; run with --test-scheduled and "
          "request /__scheduled?cron=... to trigger scheduled()");
    }
    userRules = config->rules;
    fs::path root = compat::moduleRoot(*config);
    if (!root.empty()) moduleRoot = root;
  }

  storage::KvStoreConfig kvConfig;
  if (redisUrl.empty()) {
    if (const char* fromEnv = getenv("REDIS_URL"); fromEnv && *fromEnv) redisUrl = fromEnv;
  }
  if (!redisUrl.empty()) kvConfig.redisUrl = redisUrl;
  kvConfig.stateDir = stateDir;
  if (auto err = storage::checkKvStoreConfig(kvConfig)) die(*err, 2);
  auto threadStart = [kvConfig](uv_loop_t* loop) -> std::string {
    return bindings::initThreadKv(loop, kvConfig).value_or("");
  };
  auto threadStop = [] { bindings::shutdownThreadKv(); };

  runtime::V8Options v8Options;
  runtime::initV8(v8Options);
  runtime::IsolateHostOptions hostOptions;
  hostOptions.useSnapshot = !noSnapshot;
  hostOptions.jsDir = jsDir;

  runtime::WorkerSpec spec;
  spec.mainPath = fs::absolute(mainFile).lexically_normal().string();
  spec.envJson = envJson.dump();
  spec.moduleKind = [rules = compat::parseRules(userRules),
                     moduleRoot](const std::string& path) -> std::optional<runtime::ModuleKind> {
    std::string rel = fs::path(path).lexically_relative(moduleRoot).generic_string();
    if (auto type = compat::moduleTypeFor(rel, rules)) return toKind(*type);
    // No rule: what wrangler's bundler would do (ES modules for .js/.mjs, JSON inlined, ...).
    return runtime::ModuleLoader::kindByExtension(path);
  };

  if (!testFile.empty()) {
    return runtime::runTestWorker(spec, hostOptions, {threadStart, threadStop});
  }

  bindings::HttpDispatchOptions dispatch;
  dispatch.jsonLogs = logFormat == "json";
  dispatch.accessLog = !noAccessLog;
  dispatch.testScheduled = testScheduled;
  runtime::ServeOptions serve;
  serve.host = host;
  serve.port = static_cast<uint16_t>(port);
  serve.threads = threads;
  serve.drainTimeoutMs = drainTimeoutMs;
  serve.worker = spec;
  serve.isolate = hostOptions;
  runtime::ServeHooks hooks;
  hooks.dispatch = [dispatch](runtime::IsolateHost* h, std::shared_ptr<runtime::HttpExchange> ex) {
    bindings::dispatchHttpRequest(h, std::move(ex), dispatch);
  };
  hooks.pendingWork = [] { return bindings::pendingWork(); };
  hooks.afterIteration = [] { bindings::flushAccessLog(); };
  hooks.threadStart = threadStart;
  hooks.threadStop = threadStop;
  return runtime::serve(serve, hooks);
}
