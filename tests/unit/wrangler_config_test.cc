// Wrangler configuration loading: TOML/JSON/JSONC, every supported key, environments, errors,
// config discovery, .dev.vars / .env parsing and --var overrides.
#include "compat/wrangler_config.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <fstream>

#include "compat/dev_vars.h"

namespace pactown::compat {
namespace {

namespace fs = std::filesystem;

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "pt-config-XXXXXX").string();
    root_ = mkdtemp(tmpl.data());
  }
  ~TempDir() { fs::remove_all(root_); }
  const fs::path& root() const { return root_; }
  fs::path write(const std::string& rel, const std::string& content) {
    fs::path p = root_ / rel;
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << content;
    return p;
  }

 private:
  fs::path root_;
};

class WranglerConfigTest : public ::testing::Test {
 protected:
  WorkerConfig load(const std::string& file, const std::string& text,
                    std::optional<std::string> env = std::nullopt) {
    ConfigResult r = loadWorkerConfig(dir_.write(file, text), env);
    EXPECT_TRUE(r) << r.error.message;
    return r ? *r.config : WorkerConfig{};
  }
  ConfigError loadError(const std::string& file, const std::string& text,
                        std::optional<std::string> env = std::nullopt) {
    ConfigResult r = loadWorkerConfig(dir_.write(file, text), env);
    EXPECT_FALSE(r) << "expected an error for:\n" << text;
    return r.error;
  }
  static bool hasWarning(const WorkerConfig& c, const std::string& part) {
    for (const std::string& w : c.warnings) {
      if (w.find(part) != std::string::npos) return true;
    }
    return false;
  }
  static bool hasError(const ConfigError& e, const std::string& part) {
    for (const std::string& m : e.errors) {
      if (m.find(part) != std::string::npos) return true;
    }
    return false;
  }
  TempDir dir_;
};

using Kinds = std::vector<std::pair<std::string, std::string>>;
Kinds kindsOf(const WorkerConfig& c) {
  Kinds out;
  for (const OtherBinding& b : c.otherBindings) out.emplace_back(b.kind, b.name);
  return out;
}

constexpr const char* kFullToml = R"(
name = "my-worker"
main = "src/index.js"
compatibility_date = "2024-09-23"
compatibility_flags = ["nodejs_compat", "streams_enable_constructors"]
base_dir = "src"
find_additional_modules = true
no_bundle = true
rules = [
  { type = "ESModule", globs = ["**/*.js"], fallthrough = true },
  { type = "Text", globs = ["**/*.md"] },
]

[vars]
GREETING = "hello"
COUNT = 3
RATIO = 1.5
ENABLED = true
CONFIG = { nested = { deep = [1, 2] } }

[[kv_namespaces]]
binding = "CACHE"
id = "abc123"
preview_id = "def456"

[[kv_namespaces]]
binding = "AUTO"

[durable_objects]
bindings = [
  { name = "COUNTER", class_name = "Counter" },
  { name = "REMOTE", class_name = "Room", script_name = "chat", environment = "prod" },
]

[[migrations]]
tag = "v1"
new_classes = ["Counter"]

[[migrations]]
tag = "v2"
new_sqlite_classes = ["Room"]
renamed_classes = [{ from = "Counter", to = "Counter2" }]
deleted_classes = ["Old"]
transferred_classes = [{ from = "A", from_script = "other", to = "B" }]

[triggers]
crons = ["*/5 * * * *", "0 0 * * *"]
)";

TEST_F(WranglerConfigTest, TomlEveryKnownKey) {
  WorkerConfig c = load("wrangler.toml", kFullToml);
  EXPECT_EQ(c.format, ConfigFormat::kToml);
  EXPECT_EQ(c.configPath, dir_.root() / "wrangler.toml");
  EXPECT_EQ(c.name, "my-worker");
  EXPECT_EQ(c.main, dir_.root() / "src/index.js");
  EXPECT_EQ(c.compatibilityDate, "2024-09-23");
  EXPECT_EQ(c.compatibilityFlags,
            (std::vector<std::string>{"nodejs_compat", "streams_enable_constructors"}));
  EXPECT_EQ(c.baseDir, dir_.root() / "src");
  EXPECT_EQ(c.findAdditionalModules, true);
  EXPECT_EQ(c.noBundle, true);
  ASSERT_EQ(c.rules.size(), 2u);
  EXPECT_EQ(c.rules[0].type, ModuleType::kESModule);
  EXPECT_EQ(c.rules[0].globs, std::vector<std::string>{"**/*.js"});
  EXPECT_EQ(c.rules[0].fallthrough, true);
  EXPECT_EQ(c.rules[1].type, ModuleType::kText);
  EXPECT_EQ(c.rules[1].fallthrough, std::nullopt);

  EXPECT_EQ(c.vars["GREETING"], "hello");
  EXPECT_TRUE(c.vars["GREETING"].is_string());
  EXPECT_EQ(c.vars["COUNT"], 3);
  EXPECT_EQ(c.vars["RATIO"], 1.5);
  EXPECT_EQ(c.vars["ENABLED"], true);
  EXPECT_EQ(c.vars["CONFIG"].dump(), R"({"nested":{"deep":[1,2]}})");

  ASSERT_EQ(c.kvNamespaces.size(), 2u);
  EXPECT_EQ(c.kvNamespaces[0].binding, "CACHE");
  EXPECT_EQ(c.kvNamespaces[0].id, "abc123");
  EXPECT_EQ(c.kvNamespaces[0].previewId, "def456");
  EXPECT_EQ(c.kvNamespaces[1].binding, "AUTO");
  EXPECT_EQ(c.kvNamespaces[1].id, std::nullopt);

  ASSERT_EQ(c.durableObjects.size(), 2u);
  EXPECT_EQ(c.durableObjects[0].name, "COUNTER");
  EXPECT_EQ(c.durableObjects[0].className, "Counter");
  EXPECT_EQ(c.durableObjects[0].scriptName, std::nullopt);
  EXPECT_EQ(c.durableObjects[1].scriptName, "chat");
  EXPECT_EQ(c.durableObjects[1].environment, "prod");

  ASSERT_EQ(c.migrations.size(), 2u);
  EXPECT_EQ(c.migrations[0].tag, "v1");
  EXPECT_EQ(c.migrations[0].newClasses, std::vector<std::string>{"Counter"});
  EXPECT_EQ(c.migrations[1].newSqliteClasses, std::vector<std::string>{"Room"});
  ASSERT_EQ(c.migrations[1].renamedClasses.size(), 1u);
  EXPECT_EQ(c.migrations[1].renamedClasses[0].from, "Counter");
  EXPECT_EQ(c.migrations[1].renamedClasses[0].to, "Counter2");
  EXPECT_EQ(c.migrations[1].deletedClasses, std::vector<std::string>{"Old"});
  ASSERT_EQ(c.migrations[1].transferredClasses.size(), 1u);
  EXPECT_EQ(c.migrations[1].transferredClasses[0].fromScript, "other");

  EXPECT_EQ(c.crons, (std::vector<std::string>{"*/5 * * * *", "0 0 * * *"}));
  EXPECT_TRUE(c.otherBindings.empty());
  EXPECT_TRUE(c.warnings.empty()) << c.warnings.front();
  EXPECT_EQ(moduleRoot(c), dir_.root() / "src");
  EXPECT_TRUE(findsAdditionalModules(c));
}

constexpr const char* kFullJsonc = R"({
  // Top-level configuration
  "$schema": "./node_modules/wrangler/config-schema.json",
  "name": "my-worker", /* inline block comment */
  "main": "src/index.js",
  "compatibility_date": "2024-09-23",
  "compatibility_flags": ["nodejs_compat", "streams_enable_constructors",],
  "base_dir": "src",
  "find_additional_modules": true,
  "no_bundle": true,
  "rules": [
    { "type": "ESModule", "globs": ["**/*.js"], "fallthrough": true },
    { "type": "Text", "globs": ["**/*.md"] },
  ],
  "vars": {
    "GREETING": "hello",
    "COUNT": 3,
    "RATIO": 1.5,
    "ENABLED": true,
    "CONFIG": { "nested": { "deep": [1, 2] } },
  },
  "kv_namespaces": [
    { "binding": "CACHE", "id": "abc123", "preview_id": "def456" },
    { "binding": "AUTO" },
  ],
  "durable_objects": {
    "bindings": [
      { "name": "COUNTER", "class_name": "Counter" },
      { "name": "REMOTE", "class_name": "Room", "script_name": "chat", "environment": "prod" }
    ]
  },
  "migrations": [
    { "tag": "v1", "new_classes": ["Counter"] },
    {
      "tag": "v2",
      "new_sqlite_classes": ["Room"],
      "renamed_classes": [{ "from": "Counter", "to": "Counter2" }],
      "deleted_classes": ["Old"],
      "transferred_classes": [{ "from": "A", "from_script": "other", "to": "B" }]
    }
  ],
  "triggers": { "crons": ["*/5 * * * *", "0 0 * * *"] },
}
// trailing comment without a newline)";

TEST_F(WranglerConfigTest, JsonAndJsoncMatchToml) {
  WorkerConfig toml = load("a/wrangler.toml", kFullToml);
  for (const char* file : {"b/wrangler.jsonc", "c/wrangler.json"}) {
    WorkerConfig json = load(file, kFullJsonc);
    EXPECT_EQ(json.format,
              std::string(file).ends_with("jsonc") ? ConfigFormat::kJsonc : ConfigFormat::kJson);
    EXPECT_EQ(json.name, toml.name);
    EXPECT_EQ(json.main->filename(), "index.js");
    EXPECT_EQ(json.compatibilityFlags, toml.compatibilityFlags);
    EXPECT_EQ(json.vars.dump(), R"({"GREETING":"hello","COUNT":3,"RATIO":1.5,"ENABLED":true,)"
                                R"("CONFIG":{"nested":{"deep":[1,2]}}})");
    EXPECT_EQ(json.kvNamespaces.size(), 2u);
    EXPECT_EQ(json.durableObjects.size(), 2u);
    EXPECT_EQ(json.migrations.size(), 2u);
    EXPECT_EQ(json.crons, toml.crons);
    EXPECT_EQ(json.rules.size(), 2u);
    EXPECT_TRUE(json.warnings.empty());
  }
}

TEST_F(WranglerConfigTest, JsoncStringsKeepCommentMarkersAndEscapes) {
  WorkerConfig c = load("wrangler.jsonc", R"({
    "name": "w", // comment "with quotes"
    "vars": {
      "URL": "https://example.com//path", /* a // b */
      "BLOCK": "/* not a comment */",
      "QUOTE": "say \"hi\" // still string",
      "ESCAPES": "tab\tnl\nslash\/ bs\\ \u00e9 \ud83d\ude00",
      "EMPTY": "",
    }, /* trailing block */
  })");
  EXPECT_EQ(c.vars["URL"], "https://example.com//path");
  EXPECT_EQ(c.vars["BLOCK"], "/* not a comment */");
  EXPECT_EQ(c.vars["QUOTE"], "say \"hi\" // still string");
  EXPECT_EQ(c.vars["ESCAPES"], "tab\tnl\nslash/ bs\\ \xC3\xA9 \xF0\x9F\x98\x80");
  EXPECT_EQ(c.vars["EMPTY"], "");
}

TEST_F(WranglerConfigTest, JsonDuplicateKeyKeepsLastValue) {
  WorkerConfig c = load("wrangler.json", R"({"vars": {"A": "1", "B": "2", "A": "3"}})");
  EXPECT_EQ(c.vars.dump(), R"({"A":"3","B":"2"})");
}

TEST_F(WranglerConfigTest, JsoncSyntaxErrorsNameFileLineAndColumn) {
  struct Case {
    const char* text;
    const char* where;
  };
  const Case cases[] = {
      {"{\n  \"name\": \"w\"\n  \"main\": \"x\"\n}", ":3:3: CommaExpected"},
      {"{\n  \"name\": \"w\", /* never closed\n}", ":2:16: UnexpectedEndOfComment"},
      {"{} {}", ":1:4: EndOfFileExpected"},
      {"", ":1:1: ValueExpected"},
      {"  // only a comment\n", ":2:1: ValueExpected"},
      {"{'name': 'w'}", ":1:2: PropertyNameExpected"},
      {"{\"vars\": {\"A\": 'x'}}", ":1:16: InvalidSymbol"},
      {"{\"a\": [1,,2]}", ":1:10: ValueExpected"},
      {"{\"a\": [,]}", ":1:8: ValueExpected"},
      {"{\"a\": {,}}", ":1:8: PropertyNameExpected"},
      {"{\"a\" 1}", ":1:6: ColonExpected"},
      {"{\"a\": \"unterminated\n\"}", ":1:20: UnexpectedEndOfString"},
      {"{\"a\": \"bad \\q\"}", ":1:12: InvalidEscapeCharacter"},
      {"{\"a\": \"\\u12\"}", ":1:8: InvalidUnicode"},
      {"{\"a\": 1.}", ":1:9: UnexpectedEndOfNumber"},
      {"{\"a\": -}", ":1:7: InvalidSymbol"},
      {"{\"a\": tru}", ":1:7: InvalidSymbol"},
      {"{\"a\": 1", ":1:8: CloseBraceExpected"},
      {"[1, 2", ":1:6: CloseBracketExpected"},
  };
  for (const Case& c : cases) {
    ConfigError e = loadError("wrangler.jsonc", c.text);
    EXPECT_EQ(e.message, (dir_.root() / "wrangler.jsonc").string() + c.where) << c.text;
  }
}

TEST_F(WranglerConfigTest, NonObjectTopLevelIsAnError) {
  ConfigError e = loadError("wrangler.json", "[1, 2]");
  EXPECT_NE(e.message.find("must be an object"), std::string::npos);
}

TEST_F(WranglerConfigTest, TomlSyntaxErrorNamesFileAndLine) {
  ConfigError e = loadError("wrangler.toml", "name = \"w\"\nmain = \"a\"\nmain = \"b\"\n");
  EXPECT_EQ(e.message, (dir_.root() / "wrangler.toml").string() + ":3: Key main already present");
  e = loadError("wrangler.toml", "name = \"w\"\n[vars\n");
  EXPECT_NE(e.message.find("wrangler.toml:2: "), std::string::npos) << e.message;
}

TEST_F(WranglerConfigTest, KnownGapTomlMixedArrays) {
  // TOML 1.0 allows arrays of mixed types (wrangler's smol-toml reads them); cpptoml does not.
  ConfigError e = loadError("wrangler.toml", "[vars]\nLIST = [1, \"two\"]\n");
  EXPECT_EQ(e.message, (dir_.root() / "wrangler.toml").string() + ":2: Arrays must be homogeneous");
}

TEST_F(WranglerConfigTest, ReadingProblems) {
  ConfigResult missing = loadWorkerConfig(dir_.root() / "wrangler.toml");
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error.message.find("Could not read file"), std::string::npos);
  ConfigResult yaml = loadWorkerConfig(dir_.write("wrangler.yaml", "name: x"));
  ASSERT_FALSE(yaml);
  EXPECT_NE(yaml.error.message.find("unsupported configuration file type"), std::string::npos);
  ConfigError utf16 = loadError("wrangler.json", std::string("\xFF\xFE{\0}\0", 6));
  EXPECT_NE(utf16.message.find("UTF-16 LE byte order marker"), std::string::npos);
  WorkerConfig bom = load("bom/wrangler.json", "\xEF\xBB\xBF{\"name\": \"bom\"}");
  EXPECT_EQ(bom.name, "bom");
}

TEST_F(WranglerConfigTest, PathsResolveAgainstTheConfigDirectory) {
  WorkerConfig c =
      load("proj/wrangler.toml", "main = \"./src/../worker.js\"\nbase_dir = \"lib\"\n");
  EXPECT_EQ(c.main, dir_.root() / "proj/worker.js");
  EXPECT_EQ(c.baseDir, dir_.root() / "proj/lib");
  WorkerConfig abs = load("abs/wrangler.toml", "main = \"/opt/w/index.js\"\n");
  EXPECT_EQ(abs.main, fs::path("/opt/w/index.js"));
  EXPECT_EQ(moduleRoot(abs), fs::path("/opt/w"));
}

TEST_F(WranglerConfigTest, AdditionalModulesDefaultFollowsNoBundle) {
  EXPECT_FALSE(findsAdditionalModules(load("a/wrangler.toml", "")));
  EXPECT_TRUE(findsAdditionalModules(load("b/wrangler.toml", "no_bundle = true")));
  EXPECT_FALSE(findsAdditionalModules(
      load("c/wrangler.toml", "no_bundle = true\nfind_additional_modules = false")));
  EXPECT_TRUE(findsAdditionalModules(load("d/wrangler.toml", "find_additional_modules = true")));
}

TEST_F(WranglerConfigTest, VarsTypeErrors) {
  ConfigError e = loadError("wrangler.toml", "vars = 5\n");
  EXPECT_EQ(e.errors,
            std::vector<std::string>{"The field \"vars\" should be an object but got 5."});
  EXPECT_EQ(e.message, (dir_.root() / "wrangler.toml").string() +
                           ": The field \"vars\" should be an object but got 5.");
  EXPECT_TRUE(hasError(loadError("a/wrangler.json", R"({"vars": ["a"]})"),
                       "The field \"vars\" should be an object but got [\"a\"]."));
  ConfigError date = loadError("b/wrangler.toml", "[vars]\nWHEN = 2024-01-01\n");
  EXPECT_TRUE(hasError(date, "The field \"vars.WHEN\" is a TOML date, which is not supported."));
  // A nested TOML date is not a top-level var: it becomes its text, as JSON.stringify would.
  WorkerConfig nested = load("c/wrangler.toml", "[vars]\nOBJ = { when = 2024-01-01 }\n");
  EXPECT_EQ(nested.vars["OBJ"]["when"], "2024-01-01");
}

TEST_F(WranglerConfigTest, KvNamespaceErrors) {
  ConfigError e = loadError("wrangler.toml", "[[kv_namespaces]]\nid = \"x\"\n");
  EXPECT_TRUE(hasError(e, "\"kv_namespaces[0]\" bindings should have a string \"binding\" field"));
  EXPECT_TRUE(
      hasError(loadError("a/wrangler.json", R"({"kv_namespaces": [{"binding": "K", "id": ""}]})"),
               "\"kv_namespaces[0]\" bindings should have a string \"id\" field"));
  EXPECT_TRUE(hasError(
      loadError("b/wrangler.json", R"({"kv_namespaces": [{"binding": "K", "preview_id": 1}]})"),
      "should, optionally, have a string \"preview_id\" field"));
  EXPECT_TRUE(
      hasError(loadError("c/wrangler.json", R"({"kv_namespaces": {"binding": "K"}})"),
               "The field \"kv_namespaces\" should be an array but got {\"binding\":\"K\"}."));
  EXPECT_TRUE(hasError(loadError("d/wrangler.json", R"({"kv_namespaces": ["K"]})"),
                       "\"kv_namespaces\" bindings should be objects, but got \"K\""));
  WorkerConfig extra =
      load("e/wrangler.json", R"({"kv_namespaces": [{"binding": "K", "id": "1", "ttl": 5}]})");
  EXPECT_TRUE(hasWarning(extra, "Unexpected fields found in kv_namespaces[0] field: \"ttl\""));
}

TEST_F(WranglerConfigTest, DurableObjectErrors) {
  EXPECT_TRUE(hasError(
      loadError("a/wrangler.json", R"({"durable_objects": {"bindings": [{"name": "X"}]}})"),
      "\"durable_objects.bindings[0]\": binding should have a string \"class_name\" field."));
  EXPECT_TRUE(
      hasError(loadError("b/wrangler.json", R"({"durable_objects": {}})"),
               "The field \"durable_objects\" is missing the required \"bindings\" property."));
  EXPECT_TRUE(hasError(loadError("c/wrangler.json", R"({"durable_objects": []})"),
                       "The field \"durable_objects\" should be an object but got []."));
  EXPECT_TRUE(hasError(
      loadError(
          "d/wrangler.json",
          R"({"durable_objects": {"bindings": [{"name": "X", "class_name": "C", "environment": "e"}]}})"),
      "binding should have a \"script_name\" field if \"environment\" is present."));
}

TEST_F(WranglerConfigTest, MigrationErrors) {
  EXPECT_TRUE(hasError(loadError("a/wrangler.toml", "[[migrations]]\nnew_classes = [\"A\"]\n"),
                       "\"migrations[0].tag\" is a required field."));
  EXPECT_TRUE(
      hasError(loadError("b/wrangler.json",
                         R"({"migrations": [{"tag": "v1", "renamed_classes": [{"from": "A"}]}]})"),
               "Expected \"migrations[0].renamed_classes\" to be an array of \"{from: string, "
               "to: string}\" objects"));
  EXPECT_TRUE(hasError(
      loadError("c/wrangler.json", R"({"migrations": [{"tag": "v1", "new_classes": "A"}]})"),
      "Expected \"migrations[0].new_classes\" to be an array of strings"));
  EXPECT_TRUE(hasError(loadError("d/wrangler.json", R"({"migrations": {"tag": "v1"}})"),
                       "The optional \"migrations\" field should be an array"));
  WorkerConfig extra = load("e/wrangler.json", R"({"migrations": [{"tag": "v1", "oops": 1}]})");
  EXPECT_TRUE(hasWarning(extra, "Unexpected fields found in migrations field: \"oops\""));
}

TEST_F(WranglerConfigTest, TriggerAndRuleErrors) {
  EXPECT_TRUE(hasError(loadError("a/wrangler.json", R"({"triggers": {"crons": "* * * * *"}})"),
                       "Expected \"triggers.crons\" to be of type array"));
  EXPECT_TRUE(hasError(loadError("b/wrangler.json", R"({"triggers": []})"),
                       "Expected \"triggers\" to be of type object but got []."));
  EXPECT_TRUE(
      hasError(loadError("c/wrangler.json", R"({"rules": [{"type": "JSON", "globs": ["*"]}]})"),
               "\"rules[0]\": bindings should have a string \"type\" field, which contains one "
               "of \"ESModule\", \"CommonJS\", \"CompiledWasm\", \"Text\", or \"Data\"."));
  EXPECT_TRUE(hasError(loadError("d/wrangler.json", R"({"rules": [{"type": "Text"}]})"),
                       "Expected \"rules[0].globs\" to be an array of strings but got undefined"));
  EXPECT_TRUE(
      hasError(loadError("e/wrangler.json", R"({"rules": [{"type": "Text", "globs": ["a", 1]}]})"),
               "Expected \"rules[0].globs[1]\" to be of type string but got 1."));
  EXPECT_TRUE(
      hasError(loadError("f/wrangler.json",
                         R"({"rules": [{"type": "Text", "globs": [], "fallthrough": "yes"}]})"),
               "the field \"fallthrough\", when present, should be a boolean."));
  EXPECT_TRUE(hasError(loadError("g/wrangler.json", R"({"rules": {"type": "Text"}})"),
                       "The field \"rules\" should be an array"));
}

TEST_F(WranglerConfigTest, ScalarKeyErrors) {
  ConfigError e = loadError("wrangler.json", R"({
    "name": "My_Worker", "main": 5, "compatibility_flags": "nodejs_compat",
    "no_bundle": "yes", "workers_dev": 1, "account_id": false, "limits": 3, "routes": "x"})");
  EXPECT_TRUE(hasError(e,
                       "Expected \"name\" to be of type string, alphanumeric and lowercase with "
                       "dashes only but got \"My_Worker\"."));
  EXPECT_TRUE(hasError(e, "Expected \"main\" to be of type string but got 5."));
  EXPECT_TRUE(hasError(e, "Expected \"compatibility_flags\" to be of type string array"));
  EXPECT_TRUE(hasError(e, "Expected \"no_bundle\" to be of type boolean but got \"yes\"."));
  EXPECT_TRUE(hasError(e, "Expected \"workers_dev\" to be of type boolean but got 1."));
  EXPECT_TRUE(hasError(e, "Expected \"account_id\" to be of type string but got false."));
  EXPECT_TRUE(hasError(e, "The field \"limits\" should be an object but got 3."));
  EXPECT_TRUE(hasError(e, "The field \"routes\" should be an array but got \"x\"."));
  EXPECT_EQ(e.errors.size(), 8u);
}

TEST_F(WranglerConfigTest, CompatibilityDateValidation) {
  EXPECT_EQ(load("ok/wrangler.toml", "compatibility_date = \"2023-05-18\"").compatibilityDate,
            "2023-05-18");
  EXPECT_TRUE(hasError(loadError("a/wrangler.toml",
                                 "compatibility_date = \"2024\xE2\x80\x93"
                                 "01-01\""),
                       "rather than en-dashes"));
  EXPECT_TRUE(hasError(loadError("b/wrangler.toml", "compatibility_date = \"yesterday\""),
                       "should be a valid ISO-8601 date (YYYY-MM-DD), but got \"yesterday\"."));
  EXPECT_EQ(load("t/wrangler.toml", "compatibility_date = \"2024-01-01T10:00:00.5+02:00\"")
                .compatibilityDate,
            "2024-01-01T10:00:00.5+02:00");
  EXPECT_TRUE(hasError(loadError("s/wrangler.toml", "compatibility_date = \"2024-1-1\""),
                       "valid ISO-8601 date"));
  EXPECT_TRUE(hasError(loadError("c/wrangler.toml", "compatibility_date = \"2024-13-01\""),
                       "valid ISO-8601 date"));
  // Unquoted, TOML reads a date; wrangler wants a string.
  EXPECT_TRUE(
      hasError(loadError("d/wrangler.toml", "compatibility_date = 2024-01-01"),
               "Expected \"compatibility_date\" to be of type string but got \"2024-01-01\"."));
}

TEST_F(WranglerConfigTest, RemovedFields) {
  EXPECT_TRUE(hasError(loadError("a/wrangler.toml", "legacy_env = true"),
                       "The \"legacy_env\" field is no longer supported"));
  EXPECT_TRUE(hasError(loadError("b/wrangler.toml", "node_compat = true"),
                       "\"node_compat\" field is no longer supported as of Wrangler v4"));
}

TEST_F(WranglerConfigTest, KnownKeysThatAreNotAppliedAreListed) {
  WorkerConfig c = load("wrangler.toml", R"(
account_id = "a"
workers_dev = false
routes = [{ pattern = "example.com/*", zone_name = "example.com" }]
minify = true
[define]
DEBUG = "false"
[build]
command = "npm run build"
[dev]
port = 8788
ip = "0.0.0.0"
)");
  EXPECT_EQ(c.ignoredKeys, (std::vector<std::string>{"build", "define", "minify"}));
  EXPECT_EQ(c.dev.dump(), R"({"ip":"0.0.0.0","port":8788})");
  EXPECT_TRUE(c.warnings.empty());
}

TEST_F(WranglerConfigTest, UnknownKeysAreWarnings) {
  WorkerConfig c = load("wrangler.toml", "name = \"w\"\nmian = \"x\"\nfoo = 1\n");
  ASSERT_EQ(c.warnings.size(), 1u);
  EXPECT_EQ(c.warnings[0], "Unexpected fields found in top-level field: \"foo\",\"mian\"");
  WorkerConfig unsafe =
      load("u/wrangler.json", R"({"unsafe": {"bindings": [{"name": "U", "type": "x"}]}})");
  EXPECT_TRUE(hasWarning(unsafe, "\"unsafe\" fields are experimental"));
  EXPECT_EQ(kindsOf(unsafe), (Kinds{{"unsafe", "U"}}));
}

TEST_F(WranglerConfigTest, OtherBindingKindsAreListedByName) {
  WorkerConfig c = load("wrangler.toml", R"(
r2_buckets = [{ binding = "BUCKET", bucket_name = "b" }]
d1_databases = [{ binding = "DB", database_id = "x" }]
services = [{ binding = "AUTH", service = "auth" }]
vectorize = [{ binding = "VEC", index_name = "i" }]
hyperdrive = [{ binding = "HD", id = "h" }]
analytics_engine_datasets = [{ binding = "AE" }]
mtls_certificates = [{ binding = "CERT", certificate_id = "c" }]
dispatch_namespaces = [{ binding = "DISPATCH", namespace = "n" }]
workflows = [{ binding = "FLOW", name = "f", class_name = "F" }]
send_email = [{ name = "MAIL" }]
tail_consumers = [{ service = "tail" }]
ai = { binding = "AI" }
browser = { binding = "BROWSER" }
version_metadata = { binding = "VERSION" }
assets = { directory = "./public", binding = "ASSETS" }
queues = { producers = [{ binding = "QUEUE", queue = "q" }], consumers = [{ queue = "in" }] }
[wasm_modules]
WASM = "./a.wasm"
)");
  EXPECT_EQ(kindsOf(c), (Kinds{{"ai", "AI"},
                               {"analytics_engine_datasets", "AE"},
                               {"assets", "ASSETS"},
                               {"browser", "BROWSER"},
                               {"d1_databases", "DB"},
                               {"dispatch_namespaces", "DISPATCH"},
                               {"hyperdrive", "HD"},
                               {"mtls_certificates", "CERT"},
                               {"queues", "QUEUE"},
                               {"queues.consumers", "in"},
                               {"r2_buckets", "BUCKET"},
                               {"send_email", "MAIL"},
                               {"services", "AUTH"},
                               {"tail_consumers", "tail"},
                               {"vectorize", "VEC"},
                               {"version_metadata", "VERSION"},
                               {"wasm_modules", "WASM"},
                               {"workflows", "FLOW"}}));
  EXPECT_TRUE(c.warnings.empty());
  WorkerConfig noBinding = load("a/wrangler.json", R"({"assets": {"directory": "./public"}})");
  EXPECT_EQ(kindsOf(noBinding), (Kinds{{"assets", ""}}));
}

TEST_F(WranglerConfigTest, OtherBindingShapeErrors) {
  EXPECT_TRUE(hasError(loadError("a/wrangler.json", R"({"r2_buckets": [{"bucket_name": "b"}]})"),
                       "\"r2_buckets[0]\" bindings should have a string \"binding\" field"));
  EXPECT_TRUE(hasError(loadError("b/wrangler.json", R"({"ai": "AI"})"),
                       "The field \"ai\" should be an object but got \"AI\"."));
  EXPECT_TRUE(hasError(loadError("c/wrangler.json", R"({"ai": {}})"),
                       "\"ai\": binding should have a string \"binding\" field."));
  EXPECT_TRUE(hasError(loadError("d/wrangler.json", R"({"services": {"binding": "X"}})"),
                       "The field \"services\" should be an array"));
}

TEST_F(WranglerConfigTest, BindingNamesMustBeUnique) {
  ConfigError e = loadError("wrangler.toml",
                            "[vars]\nSHARED = \"x\"\n[[kv_namespaces]]\nbinding = \"SHARED\"\n");
  ASSERT_EQ(e.errors.size(), 2u);
  EXPECT_EQ(e.errors[0], "SHARED assigned to KV Namespace and Environment Variable bindings.");
  EXPECT_TRUE(hasError(e, "Bindings must have unique names"));
  ConfigError same =
      loadError("a/wrangler.json",
                R"({"kv_namespaces": [{"binding": "K", "id": "1"}, {"binding": "K", "id": "2"}],
      "r2_buckets": [{"binding": "K"}], "durable_objects": {"bindings": [{"name": "K", "class_name": "C"}]}})");
  ASSERT_EQ(same.errors.size(), 3u);
  EXPECT_EQ(same.errors[0], "K assigned to Durable Object, KV Namespace, and R2 Bucket bindings.");
  EXPECT_EQ(same.errors[1], "K assigned to multiple KV Namespace bindings.");
  // send_email entries are not compared by wrangler.
  load("b/wrangler.json", R"({"vars": {"M": "1"}, "send_email": [{"name": "M"}]})");
}

constexpr const char* kEnvToml = R"(
name = "app"
main = "src/index.js"
compatibility_date = "2024-01-01"
migrations = [{ tag = "v1", new_classes = ["Counter"] }]
triggers = { crons = ["0 * * * *"] }
vars = { A = "top", B = "top-only" }
kv_namespaces = [{ binding = "KV", id = "top" }, { binding = "TOP_ONLY", id = "t" }]
r2_buckets = [{ binding = "BUCKET" }]
assets = { directory = "./public", binding = "ASSETS" }

[env.staging]
compatibility_date = "2024-06-01"
vars = { A = "staging" }
kv_namespaces = [{ binding = "KV", id = "staging" }]

[env.production]
name = "app-prod"
main = "dist/index.js"
durable_objects = { bindings = [{ name = "COUNTER", class_name = "Counter" }] }
keep_vars = true
)";

TEST_F(WranglerConfigTest, EnvironmentInheritsOnlyInheritableKeys) {
  WorkerConfig s = load("wrangler.toml", kEnvToml, "staging");
  EXPECT_EQ(s.env, "staging");
  EXPECT_EQ(s.definedEnvironments, (std::vector<std::string>{"production", "staging"}));
  EXPECT_EQ(s.name, "app-staging");
  EXPECT_EQ(s.main, dir_.root() / "src/index.js");
  EXPECT_EQ(s.compatibilityDate, "2024-06-01");
  EXPECT_EQ(s.crons, std::vector<std::string>{"0 * * * *"});
  EXPECT_EQ(s.migrations.size(), 1u);
  EXPECT_EQ(s.vars.dump(), R"({"A":"staging"})");
  ASSERT_EQ(s.kvNamespaces.size(), 1u);
  EXPECT_EQ(s.kvNamespaces[0].id, "staging");
  // r2_buckets is not inherited; assets is.
  EXPECT_EQ(kindsOf(s), (Kinds{{"assets", "ASSETS"}}));
  EXPECT_TRUE(hasWarning(s,
                         "The following vars exist at the top level, but not on "
                         "\"env.staging.vars\"."));
  EXPECT_TRUE(hasWarning(s,
                         "There is a kv_namespaces binding with name \"TOP_ONLY\" at the top "
                         "level, but not on \"env.staging\"."));
  EXPECT_TRUE(hasWarning(s, "\"r2_buckets\" exists at the top level, but not on \"env.staging\"."));

  WorkerConfig p = load("wrangler.toml", kEnvToml, "production");
  EXPECT_EQ(p.name, "app-prod");
  EXPECT_EQ(p.main, dir_.root() / "dist/index.js");
  EXPECT_EQ(p.compatibilityDate, "2024-01-01");
  EXPECT_TRUE(p.vars.empty());
  EXPECT_TRUE(p.kvNamespaces.empty());
  ASSERT_EQ(p.durableObjects.size(), 1u);
  EXPECT_TRUE(hasWarning(p, "\"vars\" exists at the top level, but not on \"env.production\"."));
  EXPECT_TRUE(hasWarning(p, "Unexpected fields found in env.production field: \"keep_vars\""));

  WorkerConfig top = load("wrangler.toml", kEnvToml);
  EXPECT_EQ(top.env, std::nullopt);
  EXPECT_EQ(top.name, "app");
  EXPECT_EQ(top.vars.dump(), R"({"A":"top","B":"top-only"})");
  EXPECT_EQ(top.kvNamespaces.size(), 2u);
  EXPECT_TRUE(top.warnings.empty());
}

TEST_F(WranglerConfigTest, UnknownEnvironment) {
  ConfigError e = loadError("wrangler.toml", kEnvToml, "qa");
  EXPECT_TRUE(hasError(e, "No environment found in configuration with name \"qa\"."));
  EXPECT_TRUE(
      hasError(e, "The available configured environment names are: [\"production\",\"staging\"]"));
  // Without any environments wrangler only warns and uses the top level (name suffixed).
  WorkerConfig c = load("a/wrangler.toml", "name = \"w\"\nvars = { A = \"1\" }\n", "qa");
  EXPECT_EQ(c.name, "w-qa");
  EXPECT_EQ(c.vars["A"], "1");
  EXPECT_TRUE(hasWarning(c, "No environment found in configuration with name \"qa\"."));
}

TEST_F(WranglerConfigTest, ErrorsInsideTheSelectedEnvironment) {
  ConfigError e =
      loadError("wrangler.json", R"({"env": {"dev": {"vars": 5, "no_bundle": 1}}})", "dev");
  EXPECT_TRUE(hasError(e, "The field \"env.dev.vars\" should be an object but got 5."));
  EXPECT_TRUE(hasError(e, "Expected \"env.dev.no_bundle\" to be of type boolean but got 1."));
  EXPECT_TRUE(hasError(loadError("a/wrangler.json", R"({"env": {"dev": 3}})"),
                       "The field \"env.dev\" should be an object but got 3."));
}

TEST(WranglerFindConfigTest, PrecedenceAndUpwardSearch) {
  TempDir d;
  fs::path script = d.root() / "app/src";
  fs::create_directories(script);
  EXPECT_EQ(findConfig(script, d.root()), std::nullopt);
  d.write("app/wrangler.toml", "");
  EXPECT_EQ(findConfig(script, d.root()), d.root() / "app/wrangler.toml");
  d.write("app/wrangler.jsonc", "{}");
  EXPECT_EQ(findConfig(script, d.root()), d.root() / "app/wrangler.jsonc");
  d.write("app/wrangler.json", "{}");
  EXPECT_EQ(findConfig(script, d.root()), d.root() / "app/wrangler.json");
  // Each name is searched all the way up before the next: a parent's wrangler.json wins over a
  // wrangler.toml next to the script, as in wrangler.
  fs::remove(d.root() / "app/wrangler.json");
  d.write("wrangler.json", "{}");
  EXPECT_EQ(findConfig(script, d.root()), d.root() / "wrangler.json");
}

TEST(WranglerFindConfigTest, ScriptDirectoryOrWorkingDirectory) {
  TempDir d;
  d.write("cwd/wrangler.toml", "");
  d.write("elsewhere/index.js", "");
  fs::create_directories(d.root() / "cwd/sub");
  // With a script, only its directory and parents are searched.
  EXPECT_EQ(findConfig(d.root() / "elsewhere", d.root() / "cwd"), std::nullopt);
  EXPECT_EQ(findConfig({}, d.root() / "cwd"), d.root() / "cwd/wrangler.toml");
  // A relative script directory is taken relative to `cwd`.
  EXPECT_EQ(findConfig("sub", d.root() / "cwd"), d.root() / "cwd/wrangler.toml");
  // Directories with a config file's name do not count.
  fs::create_directories(d.root() / "cwd/sub/wrangler.json");
  EXPECT_EQ(findConfig("sub", d.root() / "cwd"), d.root() / "cwd/wrangler.toml");
}

// ---- .dev.vars ----------------------------------------------------------------------------------

DotenvEntries entries(std::initializer_list<std::pair<std::string, std::string>> list) {
  return DotenvEntries(list.begin(), list.end());
}

TEST(WranglerDotenvParseTest, BasicForms) {
  EXPECT_EQ(parseDotenv("A=1\nB = two words \n  C=3"),
            entries({{"A", "1"}, {"B", "two words"}, {"C", "3"}}));
  EXPECT_EQ(parseDotenv("export TOKEN=abc\nexport\tX=y"), entries({{"TOKEN", "abc"}, {"X", "y"}}));
  EXPECT_EQ(parseDotenv("export=1"), entries({{"export", "1"}}));
  EXPECT_EQ(parseDotenv("K.E-Y_1=v"), entries({{"K.E-Y_1", "v"}}));
  EXPECT_EQ(parseDotenv("A: b\nC:d"), entries({{"A", "b"}}));  // ':' needs whitespace after it
  EXPECT_EQ(parseDotenv("A=b=c"), entries({{"A", "b=c"}}));
  EXPECT_EQ(parseDotenv("EMPTY=\nSPACES=   \nNEXT=x"),
            entries({{"EMPTY", ""}, {"SPACES", ""}, {"NEXT", "x"}}));
  EXPECT_EQ(parseDotenv("not a pair\njust_key\nA=1"), entries({{"A", "1"}}));
}

TEST(WranglerDotenvParseTest, Comments) {
  EXPECT_EQ(parseDotenv("# comment\nA=1 # trailing\nB=2#tight\n  # indented\nC='#kept' # c"),
            entries({{"A", "1"}, {"B", "2"}, {"C", "#kept"}}));
}

TEST(WranglerDotenvParseTest, Quotes) {
  EXPECT_EQ(parseDotenv("S='single'\nD=\"double\"\nB=`back`\nP=  \"padded\"  "),
            entries({{"S", "single"}, {"D", "double"}, {"B", "back"}, {"P", "padded"}}));
  EXPECT_EQ(parseDotenv("D=\"a\\nb\\rc\"\nS='a\\nb'\nU=a\\nb"),
            entries({{"D", "a\nb\rc"}, {"S", "a\\nb"}, {"U", "a\\nb"}}));
  EXPECT_EQ(parseDotenv("Q=\"say \\\"hi\\\"\""), entries({{"Q", "say \\\"hi\\\""}}));
  EXPECT_EQ(parseDotenv("I='it\\'s'"), entries({{"I", "it\\'s"}}));
  // A quote that does not close on a line falls back to the unquoted reading.
  EXPECT_EQ(parseDotenv("A=\"open\nB=2"), entries({{"A", "\"open"}, {"B", "2"}}));
  EXPECT_EQ(parseDotenv("A=\"abc\" def"), entries({{"A", "\"abc\" def"}}));
  EXPECT_EQ(parseDotenv("A='mixed\""), entries({{"A", "'mixed\""}}));
}

TEST(WranglerDotenvParseTest, MultiLineValues) {
  EXPECT_EQ(parseDotenv("KEY=\"-----BEGIN-----\nline1\nline2\n-----END-----\"\nNEXT=1"),
            entries({{"KEY", "-----BEGIN-----\nline1\nline2\n-----END-----"}, {"NEXT", "1"}}));
  EXPECT_EQ(parseDotenv("A='one\ntwo' # c\nB=`x\ny`"), entries({{"A", "one\ntwo"}, {"B", "x\ny"}}));
}

TEST(WranglerDotenvParseTest, LineEndingsAndOddities) {
  EXPECT_EQ(parseDotenv("A=1\r\nB=\"x\r\ny\"\rC=3"),
            entries({{"A", "1"}, {"B", "x\ny"}, {"C", "3"}}));
  EXPECT_EQ(parseDotenv("A=1\nA=2\nB=3"), entries({{"A", "2"}, {"B", "3"}}));
  EXPECT_EQ(parseDotenv("__proto__=x\nA=1"), entries({{"A", "1"}}));
  // dotenv's regex lets whitespace, newlines included, sit between key, '=' and a quoted value.
  EXPECT_EQ(parseDotenv("K\n=v"), entries({{"K", "v"}}));
  EXPECT_EQ(parseDotenv("A=\n  'x'"), entries({{"A", "x"}}));
  EXPECT_TRUE(parseDotenv("").empty());
  EXPECT_TRUE(parseDotenv("\n\n   \n").empty());
}

TEST(WranglerDotenvExpandTest, References) {
  DotenvEntries parsed = entries({{"HOST", "example.com"},
                                  {"URL", "https://${HOST}/x"},
                                  {"BARE", "$HOST!"},
                                  {"DEF", "${MISSING:-fallback}"},
                                  {"DEF2", "${MISSING-other}"},
                                  {"ALT", "${HOST:+set}"},
                                  {"ALT2", "${MISSING:+set}"},
                                  {"ESC", "\\$HOST"},
                                  {"LATER", "${AFTER}"},
                                  {"AFTER", "a"}});
  DotenvEntries env;
  expandDotenv(parsed, env);
  EXPECT_EQ(env, entries({{"HOST", "example.com"},
                          {"URL", "https://example.com/x"},
                          {"BARE", "example.com!"},
                          {"DEF", "fallback"},
                          {"DEF2", "other"},
                          {"ALT", "set"},
                          {"ALT2", ""},
                          {"ESC", "$HOST"},
                          {"LATER", ""},
                          {"AFTER", "a"}}));
}

TEST(WranglerDotenvExpandTest, ProcessEnvironmentWins) {
  DotenvEntries parsed = entries({{"A", "file"}, {"B", "${A}-${HOME_DIR}"}, {"C", "${C}"}});
  DotenvEntries env = entries({{"A", "process"}, {"HOME_DIR", "/home/x"}});
  expandDotenv(parsed, env);
  EXPECT_EQ(*findEntry(env, "A"), "process");
  EXPECT_EQ(*findEntry(env, "B"), "process-/home/x");
  EXPECT_EQ(*findEntry(env, "C"), "");  // self reference
  EXPECT_EQ(*findEntry(env, "HOME_DIR"), "/home/x");
}

class WranglerDevVarsTest : public ::testing::Test {
 protected:
  WorkerConfig config(const std::string& text, std::optional<std::string> env = std::nullopt) {
    ConfigResult r = loadWorkerConfig(dir_.write("wrangler.toml", text), env);
    EXPECT_TRUE(r) << r.error.message;
    return r ? *r.config : WorkerConfig{};
  }
  TempDir dir_;
};

TEST_F(WranglerDevVarsTest, DevVarsOverrideVarsAsStrings) {
  dir_.write(".dev.vars", "SECRET=shh\nCOUNT=10\n");
  WorkerConfig c = config("[vars]\nCOUNT = 3\nNAME = \"n\"\n");
  ASSERT_FALSE(applyDevVars(c));
  EXPECT_EQ(c.secrets, entries({{"SECRET", "shh"}, {"COUNT", "10"}}));
  EXPECT_EQ(c.secretsFiles, std::vector<fs::path>{dir_.root() / ".dev.vars"});
  EXPECT_EQ(mergedVars(c).dump(), R"({"COUNT":"10","NAME":"n","SECRET":"shh"})");
}

TEST_F(WranglerDevVarsTest, EnvironmentFileIsPreferredButNotMerged) {
  dir_.write(".dev.vars", "A=base\nB=base\n");
  dir_.write(".dev.vars.staging", "A=staging\n");
  WorkerConfig s = config("[env.staging]\n", "staging");
  ASSERT_FALSE(applyDevVars(s));
  EXPECT_EQ(s.secrets, entries({{"A", "staging"}}));
  WorkerConfig p = config("[env.production]\n", "production");
  ASSERT_FALSE(applyDevVars(p));
  EXPECT_EQ(p.secrets, entries({{"A", "base"}, {"B", "base"}}));
}

TEST_F(WranglerDevVarsTest, DotEnvFallbackMergesAndExpands) {
  dir_.write(".env", "A=1\nB=from-env\nREF=${A}-x\n");
  dir_.write(".env.local", "B=from-local\n");
  dir_.write(".env.staging", "C=${B}\n");
  dir_.write(".env.staging.local", "D=last\n");
  WorkerConfig c = config("", "staging");
  ASSERT_FALSE(applyDevVars(c));
  EXPECT_EQ(
      c.secrets,
      entries(
          {{"A", "1"}, {"B", "from-local"}, {"REF", "1-x"}, {"C", "from-local"}, {"D", "last"}}));
  EXPECT_EQ(c.secretsFiles.size(), 4u);
  // .dev.vars takes over entirely when present, and is not expanded.
  dir_.write(".dev.vars", "ONLY=${A}\n");
  ASSERT_FALSE(applyDevVars(c));
  EXPECT_EQ(c.secrets, entries({{"ONLY", "${A}"}}));
}

TEST_F(WranglerDevVarsTest, DotEnvFallbackCanBeDisabledAndCanIncludeProcessEnv) {
  dir_.write(".env", "A=1\nB=${FROM_PROCESS}\n");
  WorkerConfig c = config("");
  DevVarsOptions off;
  off.loadDotEnv = false;
  ASSERT_FALSE(applyDevVars(c, off));
  EXPECT_TRUE(c.secrets.empty());
  DevVarsOptions withProcess;
  withProcess.includeProcessEnv = true;
  withProcess.processEnv = entries({{"FROM_PROCESS", "p"}, {"PATH", "/bin"}});
  ASSERT_FALSE(applyDevVars(c, withProcess));
  EXPECT_EQ(c.secrets, entries({{"FROM_PROCESS", "p"}, {"PATH", "/bin"}, {"A", "1"}, {"B", "p"}}));
}

TEST_F(WranglerDevVarsTest, ExplicitEnvFilesReplaceDevVars) {
  dir_.write(".dev.vars", "A=dev\n");
  dir_.write("custom.env", "A=custom\n");
  WorkerConfig c = config("");
  DevVarsOptions options;
  options.envFiles = {"custom.env"};
  ASSERT_FALSE(applyDevVars(c, options));
  EXPECT_EQ(c.secrets, entries({{"A", "custom"}}));
}

TEST_F(WranglerDevVarsTest, RequiredSecretsFilterAndWarn) {
  dir_.write(".dev.vars", "API_KEY=k\nVAR=override\nSTRAY=x\n");
  WorkerConfig c =
      config("vars = { VAR = \"v\" }\nsecrets = { required = [\"API_KEY\", \"DB_PASS\"] }\n");
  ASSERT_EQ(c.requiredSecrets, (std::vector<std::string>{"API_KEY", "DB_PASS"}));
  ASSERT_FALSE(applyDevVars(c));
  EXPECT_EQ(c.secrets, entries({{"API_KEY", "k"}, {"VAR", "override"}}));
  ASSERT_EQ(c.warnings.size(), 1u);
  EXPECT_EQ(c.warnings[0],
            "Missing required secrets: DB_PASS. Add them to .dev.vars, .env, or set "
            "as environment variables.");
}

TEST_F(WranglerDevVarsTest, SecretsNeverReplaceOtherBindingsButVarOverridesDo) {
  dir_.write(".dev.vars", "KV=secret\nPLAIN=s\n");
  WorkerConfig c = config("kv_namespaces = [{ binding = \"KV\", id = \"1\" }]\n");
  ASSERT_FALSE(applyDevVars(c));
  EXPECT_EQ(mergedVars(c).dump(), R"({"PLAIN":"s"})");
  ASSERT_FALSE(applyVarOverrides(c, {"PLAIN:cli", "URL=http://x:1/?a=b", "KV:override"}));
  EXPECT_EQ(mergedVars(c).dump(), R"({"PLAIN":"cli","URL":"http://x:1/?a=b","KV":"override"})");
}

TEST_F(WranglerDevVarsTest, SecretsDoNotReplaceAnyBindingKind) {
  dir_.write(".dev.vars", "BUCKET=a\nMAIL=b\nCOUNTER=c\nTAIL=d\n");
  WorkerConfig c = config(R"(
r2_buckets = [{ binding = "BUCKET" }]
send_email = [{ name = "MAIL" }]
tail_consumers = [{ service = "TAIL" }]
durable_objects = { bindings = [{ name = "COUNTER", class_name = "C" }] }
)");
  ASSERT_FALSE(applyDevVars(c));
  // A tail consumer names a service, not a binding, so TAIL is still a var.
  EXPECT_EQ(mergedVars(c).dump(), R"({"TAIL":"d"})");
}

TEST_F(WranglerDevVarsTest, VarOverrideValidation) {
  WorkerConfig c = config("");
  std::optional<std::string> error = applyVarOverrides(c, {"GOOD=1", "novalue"});
  ASSERT_TRUE(error);
  EXPECT_NE(error->find("\"novalue\""), std::string::npos);
  EXPECT_TRUE(c.varOverrides.empty());  // nothing applied on error
  EXPECT_TRUE(applyVarOverrides(c, {"=x"}));
  EXPECT_TRUE(applyVarOverrides(c, {":x"}));
  ASSERT_FALSE(applyVarOverrides(c, {"A:", "B=", "A=2"}));
  EXPECT_EQ(c.varOverrides, entries({{"A", "2"}, {"B", ""}}));
}

TEST_F(WranglerDevVarsTest, UnreadableDevVarsIsAnError) {
  fs::create_directories(dir_.root() / ".dev.vars");
  WorkerConfig c = config("");
  std::optional<std::string> error = applyDevVars(c);
  ASSERT_TRUE(error);
  EXPECT_NE(error->find("Failed to load local dev variables file"), std::string::npos);
}

TEST(WranglerDevVarsEnvironmentTest, ReadsFlagsFromTheProcessEnvironment) {
  setenv("CLOUDFLARE_LOAD_DEV_VARS_FROM_DOT_ENV", "FALSE", 1);
  setenv("CLOUDFLARE_INCLUDE_PROCESS_ENV", "True", 1);
  DevVarsOptions options;
  EXPECT_FALSE(readDevVarsEnvironment(options));
  EXPECT_FALSE(options.loadDotEnv);
  EXPECT_TRUE(options.includeProcessEnv);
  EXPECT_TRUE(findEntry(options.processEnv, "CLOUDFLARE_INCLUDE_PROCESS_ENV"));
  setenv("CLOUDFLARE_INCLUDE_PROCESS_ENV", "yes", 1);
  std::optional<std::string> error = readDevVarsEnvironment(options);
  ASSERT_TRUE(error);
  EXPECT_EQ(*error,
            "Expected CLOUDFLARE_INCLUDE_PROCESS_ENV to be \"true\" or \"false\", but got \"yes\"");
  unsetenv("CLOUDFLARE_LOAD_DEV_VARS_FROM_DOT_ENV");
  unsetenv("CLOUDFLARE_INCLUDE_PROCESS_ENV");
}

}  // namespace
}  // namespace pactown::compat
