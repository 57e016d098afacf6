#include "compat/wrangler_config.h"

#include "compat/jsonc.h"

// cpptoml is header-only and used by this file alone; the map keeps table keys ordered.
#define CPPTOML_USE_MAP
#include <cpptoml.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>
#include <system_error>

namespace pactown::compat {
namespace {

namespace fs = std::filesystem;

// TOML dates and times have no JSON counterpart; they travel as {kDateKey: "<TOML text>"}.
constexpr const char* kDateKey = "\x01toml-date";

bool isTomlDate(const Json& v) { return v.is_object() && v.size() == 1 && v.contains(kDateKey); }

// Dates become their TOML text, as JSON.stringify() renders smol-toml's TomlDate.
Json plainJson(const Json& v) {
  if (isTomlDate(v)) return v[kDateKey];
  if (!v.is_structured()) return v;
  Json out = v.is_object() ? Json::object() : Json::array();
  for (auto it = v.begin(); it != v.end(); ++it) {
    if (v.is_object()) {
      out[it.key()] = plainJson(it.value());
    } else {
      out.push_back(plainJson(it.value()));
    }
  }
  return out;
}

std::string describe(const Json& v) {
  return plainJson(v).dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::string jsonQuote(std::string_view s) { return Json(std::string(s)).dump(); }

std::string oneLine(std::string s) {
  std::replace(s.begin(), s.end(), '\n', ' ');
  return s;
}

// ---- TOML
// ----------------------------------------------------------------------------------------
Json tomlToJson(const std::shared_ptr<cpptoml::base>& node) {
  if (node->is_table()) {
    Json out = Json::object();
    for (const auto& [key, child] : *node->as_table()) out[key] = tomlToJson(child);
    return out;
  }
  Json out = Json::array();
  if (node->is_table_array()) {
    for (const auto& table : node->as_table_array()->get()) out.push_back(tomlToJson(table));
    return out;
  }
  if (node->is_array()) {
    for (const auto& item : node->as_array()->get()) out.push_back(tomlToJson(item));
    return out;
  }
  if (auto v = node->as<std::string>()) return v->get();
  if (auto v = node->as<int64_t>()) return v->get();
  if (auto v = node->as<double>()) return v->get();
  if (auto v = node->as<bool>()) return v->get();
  std::ostringstream text;
  if (auto v = node->as<cpptoml::offset_datetime>()) text << v->get();
  if (auto v = node->as<cpptoml::local_datetime>()) text << v->get();
  if (auto v = node->as<cpptoml::local_date>()) text << v->get();
  if (auto v = node->as<cpptoml::local_time>()) text << v->get();
  return Json{{kDateKey, text.str()}};
}

// ---- Validation
// ----------------------------------------------------------------------------------
struct Diagnostics {
  std::vector<std::string> errors;
  std::vector<std::string> warnings;
  void error(std::string m) { errors.push_back(oneLine(std::move(m))); }
  void warn(std::string m) { warnings.push_back(oneLine(std::move(m))); }
};

enum class Scope { kInherit, kEnvOnly, kTopOnly };
enum class Shape { kSpecial, kString, kBool, kObject, kArray, kStringArray, kAny };

struct KeySpec {
  std::string_view key;
  Scope scope;
  Shape shape;
};

// Every key wrangler 4 knows, with how environments treat it. kSpecial keys have their own
// handling below (bindings included); the others only get a type check.
constexpr KeySpec kKeys[] = {
    {"name", Scope::kInherit, Shape::kSpecial},
    {"main", Scope::kInherit, Shape::kSpecial},
    {"compatibility_date", Scope::kInherit, Shape::kSpecial},
    {"compatibility_flags", Scope::kInherit, Shape::kSpecial},
    {"rules", Scope::kInherit, Shape::kSpecial},
    {"triggers", Scope::kInherit, Shape::kSpecial},
    {"base_dir", Scope::kInherit, Shape::kSpecial},
    {"find_additional_modules", Scope::kInherit, Shape::kSpecial},
    {"no_bundle", Scope::kInherit, Shape::kSpecial},
    {"migrations", Scope::kInherit, Shape::kSpecial},
    {"assets", Scope::kInherit, Shape::kSpecial},
    {"logfwdr", Scope::kInherit, Shape::kSpecial},
    {"node_compat", Scope::kInherit, Shape::kSpecial},
    {"account_id", Scope::kInherit, Shape::kString},
    {"jsx_factory", Scope::kInherit, Shape::kString},
    {"jsx_fragment", Scope::kInherit, Shape::kString},
    {"tsconfig", Scope::kInherit, Shape::kString},
    {"compliance_region", Scope::kInherit, Shape::kString},
    {"preserve_file_names", Scope::kInherit, Shape::kBool},
    {"workers_dev", Scope::kInherit, Shape::kBool},
    {"preview_urls", Scope::kInherit, Shape::kBool},
    {"minify", Scope::kInherit, Shape::kBool},
    {"keep_names", Scope::kInherit, Shape::kBool},
    {"first_party_worker", Scope::kInherit, Shape::kBool},
    {"logpush", Scope::kInherit, Shape::kBool},
    {"upload_source_maps", Scope::kInherit, Shape::kBool},
    {"route", Scope::kInherit, Shape::kAny},
    {"routes", Scope::kInherit, Shape::kArray},
    {"limits", Scope::kInherit, Shape::kObject},
    {"placement", Scope::kInherit, Shape::kObject},
    {"build", Scope::kInherit, Shape::kObject},
    {"exports", Scope::kInherit, Shape::kObject},
    {"observability", Scope::kInherit, Shape::kObject},
    {"access", Scope::kInherit, Shape::kObject},
    {"cache", Scope::kInherit, Shape::kObject},
    {"python_modules", Scope::kInherit, Shape::kObject},
    {"previews", Scope::kInherit, Shape::kObject},
    {"vars", Scope::kEnvOnly, Shape::kSpecial},
    {"secrets", Scope::kEnvOnly, Shape::kSpecial},
    {"kv_namespaces", Scope::kEnvOnly, Shape::kSpecial},
    {"durable_objects", Scope::kEnvOnly, Shape::kSpecial},
    {"define", Scope::kEnvOnly, Shape::kObject},
    {"cloudchamber", Scope::kEnvOnly, Shape::kObject},
    {"send_metrics", Scope::kTopOnly, Shape::kBool},
    {"keep_vars", Scope::kTopOnly, Shape::kBool},
    {"dependencies_instrumentation", Scope::kTopOnly, Shape::kObject},
    {"addresses", Scope::kTopOnly, Shape::kStringArray},
    {"pages_build_output_dir", Scope::kTopOnly, Shape::kString},
    {"$schema", Scope::kTopOnly, Shape::kString},
    {"dev", Scope::kTopOnly, Shape::kObject},
    {"alias", Scope::kTopOnly, Shape::kObject},
    {"env", Scope::kTopOnly, Shape::kSpecial},
    {"legacy_env", Scope::kTopOnly, Shape::kSpecial},
};

// Keys that change what wrangler builds or runs but that this loader only type-checks.
constexpr std::string_view kNotApplied[] = {
    "define",       "alias",          "build",  "limits",     "placement",           "jsx_factory",
    "jsx_fragment", "tsconfig",       "minify", "keep_names", "preserve_file_names", "exports",
    "cache",        "python_modules",
};

// How a binding kind is written, and which field names an entry.
enum class Form { kList, kSingle, kBindingsList, kQueues, kNameMap };
struct BindingSpec {
  std::string_view kind;
  Form form;
  std::string_view nameKey;  // empty: entries carry no name
  Scope scope;
};

constexpr BindingSpec kBindings[] = {
    {"r2_buckets", Form::kList, "binding", Scope::kEnvOnly},
    {"d1_databases", Form::kList, "binding", Scope::kEnvOnly},
    {"vectorize", Form::kList, "binding", Scope::kEnvOnly},
    {"ai_search_namespaces", Form::kList, "binding", Scope::kEnvOnly},
    {"ai_search", Form::kList, "binding", Scope::kEnvOnly},
    {"agent_memory", Form::kList, "binding", Scope::kEnvOnly},
    {"hyperdrive", Form::kList, "binding", Scope::kEnvOnly},
    {"services", Form::kList, "binding", Scope::kEnvOnly},
    {"analytics_engine_datasets", Form::kList, "binding", Scope::kEnvOnly},
    {"dispatch_namespaces", Form::kList, "binding", Scope::kEnvOnly},
    {"mtls_certificates", Form::kList, "binding", Scope::kEnvOnly},
    {"workflows", Form::kList, "binding", Scope::kEnvOnly},
    {"pipelines", Form::kList, "binding", Scope::kEnvOnly},
    {"secrets_store_secrets", Form::kList, "binding", Scope::kEnvOnly},
    {"artifacts", Form::kList, "binding", Scope::kEnvOnly},
    {"unsafe_hello_world", Form::kList, "binding", Scope::kEnvOnly},
    {"flagship", Form::kList, "binding", Scope::kEnvOnly},
    {"worker_loaders", Form::kList, "binding", Scope::kEnvOnly},
    {"vpc_services", Form::kList, "binding", Scope::kEnvOnly},
    {"vpc_networks", Form::kList, "binding", Scope::kEnvOnly},
    {"send_email", Form::kList, "name", Scope::kEnvOnly},
    {"ratelimits", Form::kList, "name", Scope::kEnvOnly},
    {"tail_consumers", Form::kList, "service", Scope::kEnvOnly},
    {"streaming_tail_consumers", Form::kList, "service", Scope::kEnvOnly},
    {"containers", Form::kList, "class_name", Scope::kEnvOnly},
    {"connect", Form::kList, "", Scope::kEnvOnly},
    {"ai", Form::kSingle, "binding", Scope::kEnvOnly},
    {"browser", Form::kSingle, "binding", Scope::kEnvOnly},
    {"images", Form::kSingle, "binding", Scope::kEnvOnly},
    {"stream", Form::kSingle, "binding", Scope::kEnvOnly},
    {"media", Form::kSingle, "binding", Scope::kEnvOnly},
    {"websearch", Form::kSingle, "binding", Scope::kEnvOnly},
    {"version_metadata", Form::kSingle, "binding", Scope::kEnvOnly},
    {"assets", Form::kSingle, "", Scope::kInherit},  // the binding is optional
    {"site", Form::kSingle, "", Scope::kTopOnly},    // Workers Sites
    {"unsafe", Form::kBindingsList, "name", Scope::kEnvOnly},
    {"logfwdr", Form::kBindingsList, "name", Scope::kInherit},
    {"queues", Form::kQueues, "binding", Scope::kEnvOnly},
    {"wasm_modules", Form::kNameMap, "", Scope::kTopOnly},
    {"text_blobs", Form::kNameMap, "", Scope::kTopOnly},
    {"data_blobs", Form::kNameMap, "", Scope::kTopOnly},
};

// wrangler's friendlyBindingNames, in its order, restricted to kinds whose names it compares.
constexpr std::pair<std::string_view, std::string_view> kFriendlyNames[] = {
    {"data_blobs", "Data Blob"},
    {"durable_objects", "Durable Object"},
    {"kv_namespaces", "KV Namespace"},
    {"queues", "Queue"},
    {"d1_databases", "D1 Database"},
    {"vectorize", "Vectorize Index"},
    {"ai_search_namespaces", "AI Search Namespace"},
    {"ai_search", "AI Search Instance"},
    {"websearch", "Web Search"},
    {"agent_memory", "Agent Memory"},
    {"hyperdrive", "Hyperdrive Config"},
    {"r2_buckets", "R2 Bucket"},
    {"logfwdr", "logfwdr"},
    {"services", "Worker"},
    {"analytics_engine_datasets", "Analytics Engine Dataset"},
    {"text_blobs", "Text Blob"},
    {"browser", "Browser Run"},
    {"ai", "AI"},
    {"images", "Images"},
    {"stream", "Stream"},
    {"media", "Media"},
    {"version_metadata", "Worker Version Metadata"},
    {"unsafe", "Unsafe Metadata"},
    {"vars", "Environment Variable"},
    {"wasm_modules", "Wasm Module"},
    {"dispatch_namespaces", "Dispatch Namespace"},
    {"mtls_certificates", "mTLS Certificate"},
    {"workflows", "Workflow"},
    {"pipelines", "Pipeline"},
    {"secrets_store_secrets", "Secrets Store Secret"},
    {"artifacts", "Artifacts"},
    {"assets", "Assets"},
    {"unsafe_hello_world", "Hello World"},
    {"flagship", "Flagship"},
    {"worker_loaders", "Worker Loader"},
    {"vpc_services", "VPC Service"},
    {"vpc_networks", "VPC Network"},
};

std::optional<KeySpec> findKey(std::string_view key) {
  for (const KeySpec& spec : kKeys) {
    if (spec.key == key) return spec;
  }
  for (const BindingSpec& b : kBindings) {
    if (b.kind == key) return KeySpec{b.kind, b.scope, Shape::kSpecial};
  }
  return std::nullopt;
}

const BindingSpec* findBinding(std::string_view kind) {
  for (const BindingSpec& b : kBindings) {
    if (b.kind == kind) return &b;
  }
  return nullptr;
}

Scope scopeOf(std::string_view kind) {
  std::optional<KeySpec> spec = findKey(kind == "queues.consumers" ? "queues" : kind);
  return spec ? spec->scope : Scope::kEnvOnly;
}

bool isStringArray(const Json& v) {
  return v.is_array() &&
         std::all_of(v.begin(), v.end(), [](const Json& e) { return e.is_string(); });
}

std::vector<std::string> stringsOf(const Json& v) {
  std::vector<std::string> out;
  for (const Json& e : v) out.push_back(e.get<std::string>());
  return out;
}

const Json* member(const Json& obj, std::string_view key) {
  auto it = obj.find(std::string(key));
  return it == obj.end() ? nullptr : &*it;
}

// wrangler feeds the value to `new Date()`; ISO-8601 dates, optionally with a time
// (THH:MM[:SS[.fff]][Z|+HH:MM]), are the forms a compatibility date takes in practice.
bool isValidDate(std::string_view v) {
  auto digits = [&](size_t at, size_t n) {
    if (at + n > v.size()) return false;
    for (size_t i = at; i < at + n; ++i) {
      if (v[i] < '0' || v[i] > '9') return false;
    }
    return true;
  };
  auto number = [&](size_t at, size_t n) { return std::stoi(std::string(v.substr(at, n))); };
  if (!digits(0, 4) || v.size() < 10 || v[4] != '-' || !digits(5, 2) || v[7] != '-' ||
      !digits(8, 2)) {
    return false;
  }
  int month = number(5, 2), day = number(8, 2);
  if (month < 1 || month > 12 || day < 1 || day > 31) return false;
  size_t i = 10;
  if (i == v.size()) return true;
  if (v[i] != 'T' || !digits(i + 1, 2) || v.substr(i + 3, 1) != ":" || !digits(i + 4, 2))
    return false;
  i += 6;
  if (i < v.size() && v[i] == ':') {
    if (!digits(i + 1, 2)) return false;
    i += 3;
    if (i < v.size() && v[i] == '.') {
      size_t from = ++i;
      while (i < v.size() && v[i] >= '0' && v[i] <= '9') ++i;
      if (i == from) return false;
    }
  }
  if (i == v.size() || (v[i] == 'Z' && i + 1 == v.size())) return true;
  return (v[i] == '+' || v[i] == '-') && digits(i + 1, 2) && v.substr(i + 3, 1) == ":" &&
         digits(i + 4, 2) && i + 6 == v.size();
}

bool isValidWorkerName(std::string_view name) {
  auto allowed = [](char c, bool first) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || (!first && c == '-');
  };
  for (size_t i = 0; i < name.size(); ++i) {
    if (!allowed(name[i], i == 0)) return false;
  }
  return true;
}

class Normalizer {
 public:
  Normalizer(fs::path configDir, Diagnostics& d) : dir_(std::move(configDir)), d_(d) {}

  // Validates one environment into `out`: the top level when `top` is null, else `env.<envName>`
  // on top of the already normalized top level.
  void normalize(const Json& raw, const std::string& envName, const WorkerConfig* top,
                 const Json* rawTop, WorkerConfig& out) {
    prefix_ = top ? "env." + envName + "." : "";
    if (top) {
      out = *top;
      out.vars = Json::object();
      out.requiredSecrets.reset();
      out.kvNamespaces.clear();
      out.durableObjects.clear();
      std::erase_if(out.otherBindings,
                    [](const OtherBinding& b) { return scopeOf(b.kind) == Scope::kEnvOnly; });
      if (!raw.contains("name") && top->name) out.name = *top->name + "-" + envName;
    }
    if (raw.contains("node_compat")) {
      d_.error(
          "Removed: \"node_compat\": The \"node_compat\" field is no longer supported as of "
          "Wrangler v4. Instead, use the `nodejs_compat` compatibility flag.");
    }
    if (raw.contains("unsafe") && (!rawTop || !rawTop->contains("unsafe"))) {
      d_.warn("\"unsafe\" fields are experimental and may change or break at any time.");
    }
    std::string unknown;
    for (auto it = raw.begin(); it != raw.end(); ++it) {
      std::optional<KeySpec> spec = findKey(it.key());
      if (!spec || (top && spec->scope == Scope::kTopOnly)) {
        unknown += (unknown.empty() ? "" : ",") + jsonQuote(it.key());
      } else {
        field(*spec, it.value(), out);
      }
    }
    if (!unknown.empty()) {
      d_.warn("Unexpected fields found in " + (top ? "env." + envName : std::string("top-level")) +
              " field: " + unknown);
    }
    if (top) warnNotInherited(raw, *rawTop, envName, *top, out);
  }

 private:
  std::string path(std::string_view key) const { return prefix_ + std::string(key); }

  void warnUnexpected(const std::string& field, const Json& obj,
                      std::initializer_list<std::string_view> known) {
    std::string list;
    for (auto it = obj.begin(); it != obj.end(); ++it) {
      if (std::find(known.begin(), known.end(), it.key()) == known.end()) {
        list += (list.empty() ? "" : ",") + jsonQuote(it.key());
      }
    }
    if (!list.empty()) d_.warn("Unexpected fields found in " + field + " field: " + list);
  }

  bool checkShape(Shape shape, const Json& v, const std::string& p) {
    switch (shape) {
      case Shape::kString:
        if (v.is_string()) return true;
        d_.error("Expected \"" + p + "\" to be of type string but got " + describe(v) + ".");
        return false;
      case Shape::kBool:
        if (v.is_boolean()) return true;
        d_.error("Expected \"" + p + "\" to be of type boolean but got " + describe(v) + ".");
        return false;
      case Shape::kObject:
        if (v.is_object()) return true;
        d_.error("The field \"" + p + "\" should be an object but got " + describe(v) + ".");
        return false;
      case Shape::kArray:
        if (v.is_array()) return true;
        d_.error("The field \"" + p + "\" should be an array but got " + describe(v) + ".");
        return false;
      case Shape::kStringArray:
        if (isStringArray(v)) return true;
        d_.error("Expected \"" + p + "\" to be of type string array but got " + describe(v) + ".");
        return false;
      default:
        return true;
    }
  }

  // An optional array of strings inside `obj`; false (with an error) if malformed.
  bool stringList(const Json& obj, std::string_view key, const std::string& p,
                  std::vector<std::string>& out) {
    const Json* v = member(obj, key);
    if (!v) return true;
    std::string at = p + "." + std::string(key);
    if (!v->is_array()) {
      d_.error("Expected \"" + at + "\" to be an array of strings but got " + describe(*v));
      return false;
    }
    bool ok = true;
    for (size_t i = 0; i < v->size(); ++i) {
      if (!(*v)[i].is_string()) {
        d_.error("Expected \"" + at + "[" + std::to_string(i) +
                 "]\" to be of type string but got " + describe((*v)[i]) + ".");
        ok = false;
      }
    }
    if (ok) out = stringsOf(*v);
    return ok;
  }

  void field(const KeySpec& spec, const Json& v, WorkerConfig& out) {
    const std::string key(spec.key);
    const std::string p = path(key);
    if (spec.shape != Shape::kSpecial) {
      if (!checkShape(spec.shape, v, p)) return;
      if (key == "dev") out.dev = plainJson(v);
      if (std::find(std::begin(kNotApplied), std::end(kNotApplied), key) != std::end(kNotApplied) &&
          std::find(out.ignoredKeys.begin(), out.ignoredKeys.end(), key) == out.ignoredKeys.end()) {
        out.ignoredKeys.push_back(key);
      }
    } else if (key == "name") {
      if (v.is_string() && isValidWorkerName(v.get<std::string>())) {
        out.name = v.get<std::string>();
      } else {
        d_.error(
            "Expected \"name\" to be of type string, alphanumeric and lowercase with dashes "
            "only but got " +
            describe(v) + ".");
      }
    } else if (key == "main" || key == "base_dir") {
      if (checkShape(Shape::kString, v, p)) {
        fs::path resolved = (dir_ / v.get<std::string>()).lexically_normal();
        (key == "main" ? out.main : out.baseDir) = resolved;
      }
    } else if (key == "compatibility_date") {
      compatibilityDate(v, p, out);
    } else if (key == "compatibility_flags") {
      if (checkShape(Shape::kStringArray, v, p)) out.compatibilityFlags = stringsOf(v);
    } else if (key == "find_additional_modules" || key == "no_bundle") {
      if (checkShape(Shape::kBool, v, p)) {
        (key == "no_bundle" ? out.noBundle : out.findAdditionalModules) = v.get<bool>();
      }
    } else if (key == "rules") {
      rules(v, p, out);
    } else if (key == "triggers") {
      triggers(v, p, out);
    } else if (key == "migrations") {
      migrations(v, p, out);
    } else if (key == "vars") {
      vars(v, p, out);
    } else if (key == "secrets") {
      if (!checkShape(Shape::kObject, v, p)) return;
      warnUnexpected(p, v, {"required"});
      std::vector<std::string> required;
      if (stringList(v, "required", p, required)) out.requiredSecrets = required;
    } else if (key == "kv_namespaces") {
      kvNamespaces(v, p, out);
    } else if (key == "durable_objects") {
      durableObjects(v, p, out);
    } else if (key == "env") {
      if (!checkShape(Shape::kObject, v, p)) return;
      for (auto it = v.begin(); it != v.end(); ++it)
        checkShape(Shape::kObject, it.value(), "env." + it.key());
    } else if (key == "legacy_env") {
      d_.error(
          "The \"legacy_env\" field is no longer supported, so please remove it from your "
          "configuration file.");
    } else if (const BindingSpec* binding = findBinding(key)) {
      otherBinding(*binding, v, p, out);
    }
  }

  void compatibilityDate(const Json& v, const std::string& p, WorkerConfig& out) {
    if (!v.is_string()) {
      d_.error("Expected \"" + p + "\" to be of type string but got " + describe(v) + ".");
      return;
    }
    std::string date = v.get<std::string>();
    bool ok = true;
    for (const char* dash : {"\u2013", "\u2014"}) {
      if (date.find(dash) == std::string::npos) continue;
      d_.error("\"" + p +
               "\" field should use ISO-8601 accepted hyphens (-) rather than en-dashes "
               "(\u2013) or em-dashes (\u2014).");
      ok = false;
      break;
    }
    std::string hyphenated = date;
    for (std::string_view dash : {"\u2013", "\u2014"}) {
      for (size_t at; (at = hyphenated.find(dash)) != std::string::npos;) {
        hyphenated.replace(at, dash.size(), "-");
      }
    }
    if (!isValidDate(hyphenated)) {
      d_.error("\"" + p + "\" field should be a valid ISO-8601 date (YYYY-MM-DD), but got " +
               describe(v) + ".");
      ok = false;
    }
    if (ok) out.compatibilityDate = date;
  }

  void rules(const Json& v, const std::string& p, WorkerConfig& out) {
    if (!checkShape(Shape::kArray, v, p)) return;
    std::vector<ModuleRule> parsed;
    bool ok = true;
    for (size_t i = 0; i < v.size(); ++i) {
      const Json& r = v[i];
      std::string rp = p + "[" + std::to_string(i) + "]";
      if (!r.is_object()) {
        d_.error("\"" + rp + "\" should be an object but got " + describe(r) + ".");
        ok = false;
        continue;
      }
      ModuleRule rule;
      const Json* type = member(r, "type");
      std::optional<ModuleType> t = type && type->is_string()
                                        ? moduleTypeFromRuleName(type->get<std::string>())
                                        : std::nullopt;
      if (t) {
        rule.type = *t;
      } else {
        d_.error("\"" + rp +
                 "\": bindings should have a string \"type\" field, which contains one "
                 "of \"ESModule\", \"CommonJS\", \"CompiledWasm\", \"Text\", or \"Data\".");
        ok = false;
      }
      if (!member(r, "globs")) {
        d_.error("Expected \"" + rp + ".globs\" to be an array of strings but got undefined");
        ok = false;
      } else {
        ok = stringList(r, "globs", rp, rule.globs) && ok;
      }
      if (const Json* f = member(r, "fallthrough")) {
        if (f->is_boolean()) {
          rule.fallthrough = f->get<bool>();
        } else {
          d_.error("\"" + rp + "\": the field \"fallthrough\", when present, should be a boolean.");
          ok = false;
        }
      }
      parsed.push_back(std::move(rule));
    }
    if (ok) out.rules = std::move(parsed);
  }

  void triggers(const Json& v, const std::string& p, WorkerConfig& out) {
    if (v.is_null()) return;
    if (!v.is_object() || isTomlDate(v)) {
      d_.error("Expected \"" + p + "\" to be of type object but got " + describe(v) + ".");
      return;
    }
    out.crons.clear();
    if (const Json* crons = member(v, "crons"); crons && !crons->is_array()) {
      d_.error("Expected \"" + p + ".crons\" to be of type array, but got " + describe(v) + ".");
    } else {
      stringList(v, "crons", p, out.crons);
    }
    warnUnexpected(p, v, {"crons", "events"});
  }

  void migrations(const Json& v, const std::string& p, WorkerConfig& out) {
    if (!v.is_array()) {
      d_.error("The optional \"" + p + "\" field should be an array, but got " + describe(v));
      return;
    }
    out.migrations.clear();
    for (size_t i = 0; i < v.size(); ++i) {
      const Json& m = v[i];
      std::string mp = "migrations[" + std::to_string(i) + "]";
      if (!m.is_object()) {
        d_.error("Expected \"" + mp + "\" to be an object but got " + describe(m) + ".");
        continue;
      }
      warnUnexpected("migrations", m,
                     {"tag", "new_classes", "new_sqlite_classes", "renamed_classes",
                      "deleted_classes", "transferred_classes"});
      Migration migration;
      if (const Json* tag = member(m, "tag"); !tag) {
        d_.error("\"" + mp + ".tag\" is a required field.");
      } else if (!tag->is_string()) {
        d_.error("Expected \"" + mp + ".tag\" to be of type string but got " + describe(*tag) +
                 ".");
      } else {
        migration.tag = tag->get<std::string>();
      }
      stringList(m, "new_classes", mp, migration.newClasses);
      stringList(m, "new_sqlite_classes", mp, migration.newSqliteClasses);
      stringList(m, "deleted_classes", mp, migration.deletedClasses);
      if (const Json* renamed = member(m, "renamed_classes")) {
        if (classMoves(*renamed, false)) {
          for (const Json& c : *renamed) migration.renamedClasses.push_back({c["from"], c["to"]});
        } else {
          d_.error("Expected \"" + mp +
                   ".renamed_classes\" to be an array of \"{from: string, to: "
                   "string}\" objects but got " +
                   describe(*renamed) + ".");
        }
      }
      if (const Json* moved = member(m, "transferred_classes")) {
        if (classMoves(*moved, true)) {
          for (const Json& c : *moved) {
            migration.transferredClasses.push_back({c["from"], c["from_script"], c["to"]});
          }
        } else {
          d_.error("Expected \"" + mp +
                   ".transferred_classes\" to be an array of \"{from: string, "
                   "from_script: string, to: string}\" objects but got " +
                   describe(*moved) + ".");
        }
      }
      out.migrations.push_back(std::move(migration));
    }
  }

  static bool classMoves(const Json& v, bool withScript) {
    auto isStr = [](const Json& c, const char* k) { return c.contains(k) && c[k].is_string(); };
    return v.is_array() && std::all_of(v.begin(), v.end(), [&](const Json& c) {
             return c.is_object() && isStr(c, "from") && isStr(c, "to") &&
                    (!withScript || isStr(c, "from_script"));
           });
  }

  void vars(const Json& v, const std::string& p, WorkerConfig& out) {
    if (!v.is_object() || isTomlDate(v)) {
      d_.error("The field \"" + p + "\" should be an object but got " + describe(v) + ".");
      return;
    }
    for (auto it = v.begin(); it != v.end(); ++it) {
      if (isTomlDate(it.value())) {
        d_.error("The field \"" + p + "." + it.key() +
                 "\" is a TOML date, which is not supported. "
                 "Please use a string instead, e.g. " +
                 it.key() + " = \"2025-12-19\".");
      } else {
        out.vars[it.key()] = plainJson(it.value());
      }
    }
  }

  bool optionalOfType(const Json& e, const char* key, bool (Json::*is)() const noexcept) {
    const Json* v = member(e, key);
    return !v || (v->*is)();
  }

  void kvNamespaces(const Json& v, const std::string& p, WorkerConfig& out) {
    if (!checkShape(Shape::kArray, v, p)) return;
    for (size_t i = 0; i < v.size(); ++i) {
      const Json& e = v[i];
      std::string ep = p + "[" + std::to_string(i) + "]";
      if (!e.is_object()) {
        d_.error("\"kv_namespaces\" bindings should be objects, but got " + describe(e));
        continue;
      }
      bool ok = true;
      auto fail = [&](const std::string& message) {
        d_.error(message);
        ok = false;
      };
      if (!member(e, "binding") || !e["binding"].is_string()) {
        fail("\"" + ep + "\" bindings should have a string \"binding\" field but got " +
             describe(e) + ".");
      }
      const Json* id = member(e, "id");
      if (id && (!id->is_string() || id->get<std::string>().empty())) {
        fail("\"" + ep + "\" bindings should have a string \"id\" field but got " + describe(e) +
             ".");
      }
      if (!optionalOfType(e, "preview_id", &Json::is_string)) {
        fail("\"" + ep +
             "\" bindings should, optionally, have a string \"preview_id\" field but got " +
             describe(e) + ".");
      }
      if (!optionalOfType(e, "remote", &Json::is_boolean)) {
        fail("\"" + ep + "\" should, optionally, have a boolean \"remote\" field but got " +
             describe(e) + ".");
      }
      warnUnexpected(ep, e, {"binding", "id", "preview_id", "remote"});
      if (!ok) continue;
      KvNamespaceBinding kv{e["binding"], std::nullopt, std::nullopt};
      if (id) kv.id = id->get<std::string>();
      if (const Json* preview = member(e, "preview_id")) kv.previewId = preview->get<std::string>();
      out.kvNamespaces.push_back(std::move(kv));
    }
  }

  void durableObjects(const Json& v, const std::string& p, WorkerConfig& out) {
    if (!v.is_object() || isTomlDate(v)) {
      d_.error("The field \"" + p + "\" should be an object but got " + describe(v) + ".");
      return;
    }
    const Json* bindings = member(v, "bindings");
    if (!bindings) {
      d_.error("The field \"" + p + "\" is missing the required \"bindings\" property.");
      return;
    }
    if (!checkShape(Shape::kArray, *bindings, p + ".bindings")) return;
    for (size_t i = 0; i < bindings->size(); ++i) {
      const Json& b = (*bindings)[i];
      std::string bp = p + ".bindings[" + std::to_string(i) + "]";
      if (!b.is_object()) {
        d_.error("Expected \"" + bp + "\" to be an object but got " + describe(b));
        continue;
      }
      size_t before = d_.errors.size();
      auto require = [&](const char* key, bool needed) {
        const Json* f = member(b, key);
        if (f ? f->is_string() : !needed) return;
        d_.error(
            "\"" + bp + "\": " +
            (needed ? "binding should have a string \"" + std::string(key) + "\" field."
                    : "the field \"" + std::string(key) + "\", when present, should be a string."));
      };
      require("name", true);
      require("class_name", true);
      require("script_name", false);
      require("environment", false);
      if (b.contains("environment") && !b.contains("script_name")) {
        d_.error("\"" + bp +
                 "\": binding should have a \"script_name\" field if \"environment\" is "
                 "present.");
      }
      if (!optionalOfType(b, "remote", &Json::is_boolean)) {
        d_.error("\"" + bp + "\" should, optionally, have a boolean \"remote\" field but got " +
                 describe(b) + ".");
      }
      warnUnexpected(bp, b, {"class_name", "environment", "name", "script_name"});
      if (d_.errors.size() != before) continue;
      DurableObjectBinding dob{b["name"], b["class_name"], std::nullopt, std::nullopt};
      if (b.contains("script_name")) dob.scriptName = b["script_name"].get<std::string>();
      if (b.contains("environment")) dob.environment = b["environment"].get<std::string>();
      out.durableObjects.push_back(std::move(dob));
    }
  }

  // Bindings pactown-run does not implement: checked for shape and recorded by name.
  void otherBinding(const BindingSpec& spec, const Json& v, const std::string& p,
                    WorkerConfig& out) {
    const std::string kind(spec.kind);
    std::erase_if(out.otherBindings, [&](const OtherBinding& b) {
      return b.kind == kind || (kind == "queues" && b.kind == "queues.consumers");
    });
    auto add = [&](std::string k, std::string name) { out.otherBindings.push_back({k, name}); };
    // Entries of an array: objects with a string `key` (when key is not empty).
    auto list = [&](const Json& arr, const std::string& ap, std::string_view key,
                    const std::string& k) {
      if (!checkShape(Shape::kArray, arr, ap)) return;
      for (size_t i = 0; i < arr.size(); ++i) {
        const Json& e = arr[i];
        std::string ep = ap + "[" + std::to_string(i) + "]";
        if (!e.is_object()) {
          d_.error("\"" + ep + "\" bindings should be objects, but got " + describe(e));
        } else if (key.empty()) {
          add(k, "");
        } else if (const Json* name = member(e, key); name && name->is_string()) {
          add(k, name->get<std::string>());
        } else {
          d_.error("\"" + ep + "\" bindings should have a string \"" + std::string(key) +
                   "\" field but got " + describe(e) + ".");
        }
      }
    };
    if (spec.form == Form::kList) return list(v, p, spec.nameKey, kind);
    if (!v.is_object() || isTomlDate(v)) {
      d_.error("The field \"" + p + "\" should be an object but got " + describe(v) + ".");
      return;
    }
    switch (spec.form) {
      case Form::kSingle:
        if (kind == "site") return add(kind, "__STATIC_CONTENT");
        if (const Json* b = member(v, "binding"); b && b->is_string()) return add(kind, *b);
        if (kind == "assets" && !v.contains("binding")) return add(kind, "");
        d_.error("\"" + p + "\": binding should have a string \"binding\" field.");
        return;
      case Form::kBindingsList:
        if (const Json* b = member(v, "bindings")) list(*b, p + ".bindings", "name", kind);
        return;
      case Form::kQueues:
        if (const Json* b = member(v, "producers")) list(*b, p + ".producers", "binding", kind);
        if (const Json* c = member(v, "consumers"))
          list(*c, p + ".consumers", "queue", kind + ".consumers");
        return;
      case Form::kNameMap:
        for (auto it = v.begin(); it != v.end(); ++it) {
          if (checkShape(Shape::kString, it.value(), p + "." + it.key())) add(kind, it.key());
        }
        return;
      case Form::kList:
        return;
    }
  }

  void warnNotInherited(const Json& raw, const Json& rawTop, const std::string& envName,
                        const WorkerConfig& top, const WorkerConfig& out) {
    const std::string env = "env." + envName;
    for (auto it = rawTop.begin(); it != rawTop.end(); ++it) {
      std::optional<KeySpec> spec = findKey(it.key());
      if (!spec || spec->scope != Scope::kEnvOnly || raw.contains(it.key())) continue;
      d_.warn("\"" + it.key() + "\" exists at the top level, but not on \"" + env +
              "\". This is "
              "not what you probably want, since \"" +
              it.key() +
              "\" is not inherited by "
              "environments. Please add \"" +
              it.key() + "\" to \"" + env + "\".");
    }
    if (raw.contains("vars") && raw["vars"].is_object()) {
      std::string missing;
      for (auto it = top.vars.begin(); it != top.vars.end(); ++it) {
        if (!raw["vars"].contains(it.key())) missing += " - " + it.key();
      }
      if (!missing.empty()) {
        d_.warn("The following vars exist at the top level, but not on \"" + env +
                ".vars\". This "
                "is probably not what you want, since \"vars\" configuration is not inherited by "
                "environments. Please add these vars to \"" +
                env + ".vars\":" + missing);
      }
    }
    if (raw.contains("kv_namespaces")) {
      for (const KvNamespaceBinding& kv : top.kvNamespaces) {
        bool present =
            std::any_of(out.kvNamespaces.begin(), out.kvNamespaces.end(),
                        [&](const KvNamespaceBinding& e) { return e.binding == kv.binding; });
        if (present) continue;
        d_.warn("There is a kv_namespaces binding with name \"" + kv.binding +
                "\" at the top level, "
                "but not on \"" +
                env +
                "\". This is not what you probably want, since "
                "\"kv_namespaces\" configuration is not inherited by environments. Please add a "
                "binding for \"" +
                kv.binding + "\" to \"" + env + ".kv_namespaces.bindings\".");
      }
    }
    if (raw.contains("durable_objects")) {
      std::string missing;
      for (const DurableObjectBinding& dob : top.durableObjects) {
        bool present =
            std::any_of(out.durableObjects.begin(), out.durableObjects.end(),
                        [&](const DurableObjectBinding& e) { return e.name == dob.name; });
        if (!present) missing += " - " + dob.name;
      }
      if (!missing.empty()) {
        d_.warn("The following bindings are at the top level, but not on \"" + env +
                "\". This is "
                "not what you probably want, since \"durable_objects\" configuration is not "
                "inherited by environments. Please add a binding for each to \"" +
                env + ".durable_objects.bindings\":" + missing);
      }
    }
  }

  fs::path dir_;
  Diagnostics& d_;
  std::string prefix_;
};

std::string englishList(const std::vector<std::string>& items) {
  if (items.size() == 2) return items[0] + " and " + items[1];
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    out +=
        (i == 0 ? "" : ", ") + std::string(i + 1 == items.size() && i > 0 ? "and " : "") + items[i];
  }
  return out;
}

// Entries of these kinds name something other than an `env` binding.
bool namesABinding(std::string_view kind) {
  for (std::string_view other : {"tail_consumers", "streaming_tail_consumers", "containers",
                                 "connect", "queues.consumers"}) {
    if (kind == other) return false;
  }
  return true;
}

std::vector<std::string> bindingNamesOf(const WorkerConfig& c, std::string_view kind) {
  std::vector<std::string> names;
  if (kind == "vars") {
    for (auto it = c.vars.begin(); it != c.vars.end(); ++it) names.push_back(it.key());
  } else if (kind == "kv_namespaces") {
    for (const auto& kv : c.kvNamespaces) names.push_back(kv.binding);
  } else if (kind == "durable_objects") {
    for (const auto& dob : c.durableObjects) names.push_back(dob.name);
  } else {
    for (const auto& b : c.otherBindings) {
      if (b.kind == kind && !b.name.empty()) names.push_back(b.name);
    }
  }
  return names;
}

// wrangler's validateBindingsHaveUniqueNames().
void checkUniqueNames(const WorkerConfig& c, Diagnostics& d) {
  std::vector<std::pair<std::string, std::vector<std::string>>> byName;
  auto note = [&](const std::string& name, const std::string& type) {
    auto it =
        std::find_if(byName.begin(), byName.end(), [&](const auto& e) { return e.first == name; });
    if (it == byName.end()) it = byName.insert(byName.end(), {name, {}});
    it->second.push_back(type);
  };
  for (const auto& [kind, friendly] : kFriendlyNames) {
    for (const std::string& name : bindingNamesOf(c, kind)) note(name, std::string(friendly));
  }
  for (const std::string& name : c.requiredSecrets.value_or(std::vector<std::string>{})) {
    note(name, "Secret");
  }
  bool duplicates = false;
  for (const auto& [name, types] : byName) {
    if (types.size() < 2) continue;
    duplicates = true;
    std::vector<std::string> distinct, repeated;
    for (size_t i = 0; i < types.size(); ++i) {
      bool seenBefore = std::find(types.begin(), types.begin() + i, types[i]) != types.begin() + i;
      auto& target = seenBefore ? repeated : distinct;
      if (std::find(target.begin(), target.end(), types[i]) == target.end())
        target.push_back(types[i]);
    }
    if (distinct.size() > 1) d.error(name + " assigned to " + englishList(distinct) + " bindings.");
    for (const std::string& type : repeated) {
      d.error(name + " assigned to multiple " + type + " bindings.");
    }
  }
  if (duplicates) {
    d.error(
        "Bindings must have unique names, so that they can all be referenced in the worker. "
        "Please change your bindings to have unique names.");
  }
}

ConfigResult failure(const fs::path& path, std::string message,
                     std::vector<std::string> errors = {}) {
  ConfigResult result;
  result.error.message = oneLine(path.string() + ": " + message);
  result.error.errors = errors.empty() ? std::vector<std::string>{message} : std::move(errors);
  return result;
}

}  // namespace

ConfigResult parseWorkerConfig(std::string_view text, ConfigFormat format, const fs::path& path,
                               std::optional<std::string> env) {
  Json raw;
  if (format == ConfigFormat::kToml) {
    try {
      std::istringstream in{std::string(text)};
      raw = tomlToJson(cpptoml::parser(in).parse());
    } catch (const cpptoml::parse_exception& e) {
      // cpptoml reports "<problem> at line <n>".
      std::string what = e.what();
      size_t at = what.rfind(" at line ");
      std::string where = at == std::string::npos ? "" : ":" + what.substr(at + 9);
      std::string problem = at == std::string::npos ? what : what.substr(0, at);
      ConfigResult result = failure(path, problem);
      result.error.message = oneLine(path.string() + where + ": " + problem);
      return result;
    } catch (const std::exception& e) {
      return failure(path, e.what());
    }
  } else {
    JsoncError parser;
    if (!parseJsonc(text, raw, &parser)) {
      size_t line = 1 + std::count(text.begin(), text.begin() + parser.offset, '\n');
      size_t lineStart = text.rfind('\n', parser.offset == 0 ? 0 : parser.offset - 1);
      size_t column =
          parser.offset -
          (lineStart == std::string_view::npos || parser.offset == 0 ? 0 : lineStart + 1) + 1;
      ConfigResult result = failure(path, parser.code);
      result.error.message = path.string() + ":" + std::to_string(line) + ":" +
                             std::to_string(column) + ": " + parser.code;
      return result;
    }
  }
  if (!raw.is_object()) return failure(path, "the configuration must be an object");

  Diagnostics d;
  std::error_code ec;
  fs::path configPath = fs::absolute(path, ec).lexically_normal();
  Normalizer normalizer(configPath.parent_path(), d);
  WorkerConfig top;
  top.configPath = configPath;
  top.format = format;
  normalizer.normalize(raw, "top level", nullptr, nullptr, top);
  if (raw.contains("env") && raw["env"].is_object()) {
    for (auto it = raw["env"].begin(); it != raw["env"].end(); ++it) {
      top.definedEnvironments.push_back(it.key());
    }
  }

  WorkerConfig config = top;
  if (env && !env->empty()) {
    const Json* rawEnv =
        raw.contains("env") && raw["env"].is_object() ? member(raw["env"], *env) : nullptr;
    if (rawEnv && rawEnv->is_object()) {
      normalizer.normalize(*rawEnv, *env, &top, &raw, config);
    } else if (!rawEnv) {
      std::string names;
      for (const std::string& n : top.definedEnvironments)
        names += (names.empty() ? "" : ",") + jsonQuote(n);
      std::string message = "No environment found in configuration with name \"" + *env +
                            "\". Before using `--env=" + *env +
                            "` there should be an equivalent "
                            "environment section in the configuration.";
      if (!names.empty()) {
        d.error(message + " The available configured environment names are: [" + names + "]");
      } else {
        // Like wrangler: only a warning when no environments are configured at all.
        d.warn(message + " Consider adding an environment configuration section: [env." + *env +
               "]");
        if (top.name) config.name = *top.name + "-" + *env;
      }
    }
    config.env = *env;
  }
  checkUniqueNames(config, d);
  if (!d.errors.empty()) return failure(path, d.errors.front(), d.errors);
  config.warnings = std::move(d.warnings);
  ConfigResult result;
  result.config = std::move(config);
  return result;
}

ConfigResult loadWorkerConfig(const fs::path& path, std::optional<std::string> env) {
  std::string ext = path.extension().string();
  ConfigFormat format;
  if (ext == ".toml") {
    format = ConfigFormat::kToml;
  } else if (ext == ".json" || ext == ".jsonc") {
    format = ext == ".json" ? ConfigFormat::kJson : ConfigFormat::kJsonc;
  } else {
    return failure(path, "unsupported configuration file type (expected .toml, .json or .jsonc)");
  }
  std::ifstream in(path, std::ios::binary);
  std::error_code ec;
  if (!in || fs::is_directory(path, ec)) {
    return failure(path, "Could not read file: " + std::string(std::strerror(errno ? errno : EIO)));
  }
  std::ostringstream buf;
  buf << in.rdbuf();
  std::string text = buf.str();
  static const std::pair<std::string_view, const char*> kBoms[] = {
      {std::string_view("\xFF\xFE\x00\x00", 4), "UTF-32 LE"},
      {std::string_view("\x00\x00\xFE\xFF", 4), "UTF-32 BE"},
      {"\xFE\xFF", "UTF-16 BE"},
      {"\xFF\xFE", "UTF-16 LE"},
  };
  for (const auto& [bom, encoding] : kBoms) {
    if (text.compare(0, bom.size(), bom) == 0) {
      return failure(path, std::string("Configuration file contains ") + encoding +
                               " byte order marker; save it as UTF-8 without BOM");
    }
  }
  if (text.compare(0, 3, "\xEF\xBB\xBF") == 0) text.erase(0, 3);
  return parseWorkerConfig(text, format, path, std::move(env));
}

std::optional<fs::path> findConfig(const fs::path& workerScriptDir, const fs::path& cwd) {
  std::error_code ec;
  fs::path start = workerScriptDir.empty() ? cwd : cwd / workerScriptDir;
  start = fs::absolute(start, ec).lexically_normal();
  if (!start.has_filename() && start.has_parent_path()) start = start.parent_path();
  for (const char* name : {"wrangler.json", "wrangler.jsonc", "wrangler.toml"}) {
    for (fs::path dir = start;; dir = dir.parent_path()) {
      fs::path candidate = dir / name;
      if (fs::is_regular_file(candidate, ec)) return candidate;
      if (dir == dir.parent_path()) break;
    }
  }
  return std::nullopt;
}

std::optional<std::string> applyDevVars(WorkerConfig& config, DevVarsOptions options) {
  if (!options.env) options.env = config.env;
  // wrangler always reads process.env for the .env fallback once secrets are declared.
  if (config.requiredSecrets) options.includeProcessEnv = true;
  DevVars loaded = loadDevVars(config.configPath.parent_path(), options);
  config.secretsFiles = loaded.files;
  if (loaded.error) return loaded.error;
  config.secrets.clear();
  if (!config.requiredSecrets) {
    if (loaded.found) config.secrets = std::move(loaded.values);
    return std::nullopt;
  }
  const std::vector<std::string>& required = *config.requiredSecrets;
  for (auto& [key, value] : loaded.values) {
    if (config.vars.contains(key) ||
        std::find(required.begin(), required.end(), key) != required.end()) {
      setEntry(config.secrets, key, value);
    }
  }
  std::string missing;
  for (const std::string& key : required) {
    if (!loaded.found || !findEntry(loaded.values, key))
      missing += (missing.empty() ? "" : ", ") + key;
  }
  if (!missing.empty()) {
    config.warnings.push_back("Missing required secrets: " + missing +
                              ". Add them to .dev.vars, .env, or set as environment variables.");
  }
  return std::nullopt;
}

std::optional<std::string> applyVarOverrides(WorkerConfig& config,
                                             const std::vector<std::string>& args) {
  DotenvEntries parsed;
  for (const std::string& arg : args) {
    size_t sep = arg.find_first_of(":=");
    if (sep == std::string::npos || sep == 0) {
      return "Invalid --var \"" + arg + "\": expected KEY:VALUE or KEY=VALUE with a non-empty KEY";
    }
    setEntry(parsed, arg.substr(0, sep), arg.substr(sep + 1));
  }
  for (auto& [key, value] : parsed) setEntry(config.varOverrides, key, std::move(value));
  return std::nullopt;
}

Json mergedVars(const WorkerConfig& config) {
  Json out = config.vars;
  std::set<std::string> bindings;
  for (const auto& kv : config.kvNamespaces) bindings.insert(kv.binding);
  for (const auto& dob : config.durableObjects) bindings.insert(dob.name);
  for (const auto& b : config.otherBindings) {
    if (!b.name.empty() && namesABinding(b.kind)) bindings.insert(b.name);
  }
  for (const auto& [key, value] : config.secrets) {
    if (!bindings.count(key)) out[key] = value;
  }
  for (const auto& [key, value] : config.varOverrides) out[key] = value;
  return out;
}

fs::path moduleRoot(const WorkerConfig& config) {
  if (config.baseDir) return *config.baseDir;
  return config.main ? config.main->parent_path() : fs::path();
}

bool findsAdditionalModules(const WorkerConfig& config) {
  return config.findAdditionalModules.value_or(config.noBundle.value_or(false));
}

}  // namespace pactown::compat
