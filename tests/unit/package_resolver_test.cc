// Bare specifier resolution: node_modules walk, "exports" (maps, patterns, conditions, fallbacks),
// main fields and subpaths without "exports", and the error messages.
#include "runtime/package_resolver.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>

namespace pactown::runtime {
namespace {

namespace fs = std::filesystem;

class PackageResolverTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "pt-resolver-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    root_ = fs::canonical(tmpl);
    worker_ = write("app/src/worker.js", "export default {};");
  }
  void TearDown() override { fs::remove_all(root_); }

  fs::path write(const std::string& rel, const std::string& content = "export {};") {
    fs::path p = root_ / rel;
    fs::create_directories(p.parent_path());
    std::ofstream(p) << content;
    return p;
  }
  // A package under app/node_modules with the given package.json.
  void pkg(const std::string& name, const std::string& packageJson) {
    write("app/node_modules/" + name + "/package.json", packageJson);
  }
  std::string file(const std::string& rel) { return write(rel).string(); }
  std::string resolve(const std::string& specifier) {
    ResolveResult r = resolvePackage(specifier, worker_.string());
    EXPECT_NE(r.path.empty(), r.error.empty()) << "exactly one field must be set";
    return r.path.empty() ? "ERROR: " + r.error : r.path;
  }
  std::string error(const std::string& specifier) {
    ResolveResult r = resolvePackage(specifier, worker_.string());
    EXPECT_TRUE(r.path.empty()) << r.path;
    EXPECT_EQ(r.error.find('\n'), std::string::npos) << "one line";
    EXPECT_NE(r.error.find("\"" + specifier + "\""), std::string::npos) << "names the specifier";
    return r.error;
  }

  fs::path root_;
  fs::path worker_;
};

constexpr const char* kNm = "app/node_modules/";

TEST_F(PackageResolverTest, ExportsString) {
  pkg("a", R"({"exports": "./dist/a.js", "main": "./main.js"})");
  std::string a = file(std::string(kNm) + "a/dist/a.js");
  file(std::string(kNm) + "a/main.js");
  EXPECT_EQ(resolve("a"), a);
  EXPECT_NE(
      error("a/dist/a.js").find("Package subpath './dist/a.js' is not defined by \"exports\""),
      std::string::npos);
}

TEST_F(PackageResolverTest, ExportsSubpathMap) {
  pkg("hono", R"({"exports": {".": "./dist/index.js", "./cors": "./dist/middleware/cors.js",
                  "./package.json": "./package.json"}})");
  std::string index = file(std::string(kNm) + "hono/dist/index.js");
  std::string cors = file(std::string(kNm) + "hono/dist/middleware/cors.js");
  EXPECT_EQ(resolve("hono"), index);
  EXPECT_EQ(resolve("hono/cors"), cors);
  EXPECT_EQ(resolve("hono/package.json"), root_ / kNm / "hono/package.json");
}

TEST_F(PackageResolverTest, NotExportedSubpath) {
  pkg("hono", R"({"exports": {".": "./dist/index.js"}})");
  file(std::string(kNm) + "hono/dist/index.js");
  file(std::string(kNm) + "hono/dist/x.js");
  std::string e = error("hono/x");
  std::string expected = "Package subpath './x' is not defined by \"exports\" in " +
                         (root_ / kNm / "hono/package.json").string();
  EXPECT_NE(e.find(expected), std::string::npos) << e;
  // Existing files are still hidden by "exports".
  EXPECT_NE(error("hono/dist/x.js").find("'./dist/x.js' is not defined"), std::string::npos);
}

TEST_F(PackageResolverTest, NoMainExport) {
  pkg("sub-only", R"({"exports": {"./x": "./x.js"}})");
  file(std::string(kNm) + "sub-only/x.js");
  file(std::string(kNm) + "sub-only/index.js");
  EXPECT_NE(error("sub-only").find("No \"exports\" main defined"), std::string::npos);
  EXPECT_EQ(resolve("sub-only/x"), root_ / kNm / "sub-only/x.js");
}

TEST_F(PackageResolverTest, ExportsPatterns) {
  pkg("p", R"({"exports": {"./*": "./lib/*.js", "./features/*.js": "./feat/*.mjs",
               "./features/private/*": null, "./deep/*/x": "./d/*/y.js"}})");
  std::string util = file(std::string(kNm) + "p/lib/util.js");
  std::string nested = file(std::string(kNm) + "p/lib/a/b.js");
  std::string feat = file(std::string(kNm) + "p/feat/one.mjs");
  std::string deep = file(std::string(kNm) + "p/d/q/y.js");
  file(std::string(kNm) + "p/lib/features/private/z.js");
  EXPECT_EQ(resolve("p/util"), util);
  EXPECT_EQ(resolve("p/a/b"), nested);
  // The longer prefix wins over "./*".
  EXPECT_EQ(resolve("p/features/one.js"), feat);
  EXPECT_EQ(resolve("p/deep/q/x"), deep);
  // null excludes a pattern even when a shorter pattern would match.
  EXPECT_NE(error("p/features/private/z").find("not defined by \"exports\""), std::string::npos);
}

TEST_F(PackageResolverTest, PatternReplacesEveryStar) {
  pkg("p", R"({"exports": {"./*": "./src/*/*.js"}})");
  std::string f = file(std::string(kNm) + "p/src/btn/btn.js");
  EXPECT_EQ(resolve("p/btn"), f);
}

TEST_F(PackageResolverTest, LegacyFolderMapping) {
  pkg("f", R"({"exports": {"./lib/": "./dist/"}})");
  std::string f = file(std::string(kNm) + "f/dist/x/y.js");
  EXPECT_EQ(resolve("f/lib/x/y.js"), f);
}

TEST_F(PackageResolverTest, WorkerdBeatsNode) {
  pkg("c", R"({"exports": {"node": "./node.js", "workerd": "./workerd.js", "default": "./d.js"}})");
  file(std::string(kNm) + "c/node.js");
  std::string workerd = file(std::string(kNm) + "c/workerd.js");
  file(std::string(kNm) + "c/d.js");
  // "node" comes first in object order but is not an active condition.
  EXPECT_EQ(resolve("c"), workerd);
}

TEST_F(PackageResolverTest, ObjectOrderDecidesAmongActiveConditions) {
  pkg("o", R"({"exports": {"browser": "./browser.js", "workerd": "./workerd.js"}})");
  std::string browser = file(std::string(kNm) + "o/browser.js");
  file(std::string(kNm) + "o/workerd.js");
  EXPECT_EQ(resolve("o"), browser);
}

TEST_F(PackageResolverTest, ImportBeatsRequire) {
  pkg("r", R"({"exports": {".": {"require": "./index.cjs", "import": "./index.mjs"}}})");
  file(std::string(kNm) + "r/index.cjs");
  std::string mjs = file(std::string(kNm) + "r/index.mjs");
  EXPECT_EQ(resolve("r"), mjs);
}

TEST_F(PackageResolverTest, NestedConditions) {
  pkg("n", R"({"exports": {".": {
      "node": {"import": "./node.mjs"},
      "worker": {"require": "./worker.cjs", "import": {"types": "./x.d.ts", "default": "./w.mjs"}},
      "default": "./fallback.js"}}})");
  file(std::string(kNm) + "n/node.mjs");
  std::string w = file(std::string(kNm) + "n/w.mjs");
  EXPECT_EQ(resolve("n"), w);
}

TEST_F(PackageResolverTest, NestedConditionWithoutMatchFallsThrough) {
  // "worker" matches but its object has no active condition: continue with the next key.
  pkg("n", R"({"exports": {"worker": {"require": "./w.cjs"}, "default": "./d.js"}})");
  std::string d = file(std::string(kNm) + "n/d.js");
  EXPECT_EQ(resolve("n"), d);
}

TEST_F(PackageResolverTest, DefaultFallback) {
  pkg("d", R"({"exports": {".": {"node": "./n.js", "require": "./r.cjs", "default": "./d.js"}}})");
  std::string d = file(std::string(kNm) + "d/d.js");
  EXPECT_EQ(resolve("d"), d);
}

TEST_F(PackageResolverTest, ModuleConditionIsNotActive) {
  // esbuild adds "module" only when no custom conditions are configured; wrangler configures some.
  pkg("m", R"({"exports": {"module": "./m.js", "default": "./d.js"}})");
  file(std::string(kNm) + "m/m.js");
  std::string d = file(std::string(kNm) + "m/d.js");
  EXPECT_EQ(resolve("m"), d);
}

TEST_F(PackageResolverTest, NoActiveConditionIsNotExported) {
  pkg("x",
      R"({"exports": {".": {"node": "./n.js", "require": "./r.cjs"}, "./s": {"node": "./s.js"}}})");
  file(std::string(kNm) + "x/n.js");
  file(std::string(kNm) + "x/s.js");
  EXPECT_NE(error("x").find("No \"exports\" main defined"), std::string::npos);
  EXPECT_NE(error("x/s").find("'./s' is not defined"), std::string::npos);
}

TEST_F(PackageResolverTest, ArrayFallbacks) {
  pkg("arr", R"({"exports": {".": ["invalid-bare", {"node": "./n.js"}, "./ok.js", "./later.js"],
                 "./bad": ["../escape.js"]}})");
  std::string ok = file(std::string(kNm) + "arr/ok.js");
  file(std::string(kNm) + "arr/later.js");
  EXPECT_EQ(resolve("arr"), ok);
  EXPECT_NE(error("arr/bad").find("Invalid \"exports\" target \"../escape.js\""),
            std::string::npos);
}

TEST_F(PackageResolverTest, InvalidTargets) {
  pkg("i", R"({"exports": {"./up": "./a/../../x.js", "./nm": "./node_modules/y/index.js",
               "./abs": "/etc/passwd", "./pat/*": "./lib/*.js"}})");
  file(std::string(kNm) + "i/lib/ok.js");
  EXPECT_NE(error("i/up").find("Invalid \"exports\" target"), std::string::npos);
  EXPECT_NE(error("i/nm").find("Invalid \"exports\" target"), std::string::npos);
  EXPECT_NE(error("i/abs").find("Invalid \"exports\" target"), std::string::npos);
  EXPECT_EQ(resolve("i/pat/ok"), root_ / kNm / "i/lib/ok.js");
  EXPECT_FALSE(error("i/pat/../../../secret").empty());
}

TEST_F(PackageResolverTest, MixedExportsKeysAreInvalid) {
  pkg("mix", R"({"exports": {".": "./a.js", "import": "./b.js"}})");
  file(std::string(kNm) + "mix/a.js");
  EXPECT_NE(error("mix").find("mixes subpath keys"), std::string::npos);
}

TEST_F(PackageResolverTest, ExportsTargetMustExistExactly) {
  pkg("e", R"({"exports": {".": "./dist/index", "./dir": "./dist"}})");
  file(std::string(kNm) + "e/dist/index.js");
  std::string e = error("e");
  EXPECT_NE(e.find("does not exist"), std::string::npos) << e;
  EXPECT_NE(e.find("did you mean"), std::string::npos) << e;
  EXPECT_NE(error("e/dir").find("directory"), std::string::npos);
}

TEST_F(PackageResolverTest, ScopedPackages) {
  pkg("@scope/pkg", R"({"exports": {".": "./index.js", "./sub": "./sub/impl.js"}})");
  std::string index = file(std::string(kNm) + "@scope/pkg/index.js");
  std::string sub = file(std::string(kNm) + "@scope/pkg/sub/impl.js");
  pkg("@scope/plain", R"({"main": "lib/main.js"})");
  std::string plainMain = file(std::string(kNm) + "@scope/plain/lib/main.js");
  std::string plainSub = file(std::string(kNm) + "@scope/plain/extra/thing.js");
  EXPECT_EQ(resolve("@scope/pkg"), index);
  EXPECT_EQ(resolve("@scope/pkg/sub"), sub);
  EXPECT_EQ(resolve("@scope/plain"), plainMain);
  EXPECT_EQ(resolve("@scope/plain/extra/thing"), plainSub);
  EXPECT_NE(error("@scope").find("invalid scoped package name"), std::string::npos);
  EXPECT_NE(error("@scope/missing").find("\"@scope/missing\" not found"), std::string::npos);
}

TEST_F(PackageResolverTest, WalksUpSeveralNodeModulesLevels) {
  // Nearest first: app/src/node_modules, then app/node_modules, then the root's node_modules.
  write("node_modules/top/package.json", R"({"main": "top.js"})");
  std::string top = file("node_modules/top/top.js");
  pkg("mid", R"({"main": "mid.js"})");
  std::string mid = file(std::string(kNm) + "mid/mid.js");
  write("app/src/node_modules/near/package.json", R"({"main": "near.js"})");
  std::string near = file("app/src/node_modules/near/near.js");
  write("node_modules/near/package.json", R"({"main": "far.js"})");
  file("node_modules/near/far.js");
  EXPECT_EQ(resolve("top"), top);
  EXPECT_EQ(resolve("mid"), mid);
  EXPECT_EQ(resolve("near"), near);

  // From inside a package, its own nested node_modules comes first.
  write("app/node_modules/mid/node_modules/dep/index.js");
  ResolveResult r = resolvePackage("dep", mid);
  EXPECT_EQ(r.path, root_ / kNm / "mid/node_modules/dep/index.js") << r.error;
  // ... and never node_modules/node_modules (the walk passes app/node_modules itself).
  write("app/node_modules/node_modules/ghost/index.js");
  r = resolvePackage("ghost", mid);
  EXPECT_NE(r.error.find("not found in any node_modules"), std::string::npos) << r.path;
}

TEST_F(PackageResolverTest, ModuleAndMainFields) {
  pkg("both", R"({"module": "./esm/index.js", "main": "./cjs/index.js"})");
  std::string esm = file(std::string(kNm) + "both/esm/index.js");
  file(std::string(kNm) + "both/cjs/index.js");
  EXPECT_EQ(resolve("both"), esm);

  pkg("br", R"({"browser": "./browser.js", "module": "./esm.js", "main": "./main.js"})");
  std::string browser = file(std::string(kNm) + "br/browser.js");
  file(std::string(kNm) + "br/esm.js");
  EXPECT_EQ(resolve("br"), browser);

  pkg("brmap",
      R"({"browser": {"./main.js": "./b.js"}, "module": "./esm.js", "main": "./main.js"})");
  std::string brmapEsm = file(std::string(kNm) + "brmap/esm.js");
  EXPECT_EQ(resolve("brmap"), brmapEsm);

  pkg("mainonly", R"({"main": "lib/entry"})");
  std::string entry = file(std::string(kNm) + "mainonly/lib/entry.mjs");
  EXPECT_EQ(resolve("mainonly"), entry);

  pkg("maindir", R"({"main": "./lib"})");
  std::string libIndex = file(std::string(kNm) + "maindir/lib/index.js");
  EXPECT_EQ(resolve("maindir"), libIndex);

  pkg("brokenmodule", R"({"module": "./missing.js", "main": "./real.js"})");
  std::string real = file(std::string(kNm) + "brokenmodule/real.js");
  EXPECT_EQ(resolve("brokenmodule"), real);

  pkg("idx", R"({"name": "idx"})");
  std::string idx = file(std::string(kNm) + "idx/index.js");
  EXPECT_EQ(resolve("idx"), idx);

  std::string nopj = file(std::string(kNm) + "nopj/index.mjs");
  EXPECT_EQ(resolve("nopj"), nopj);

  pkg("empty", R"({"main": "nothing.js"})");
  EXPECT_NE(error("empty").find("no entry point"), std::string::npos);
}

TEST_F(PackageResolverTest, SubpathWithoutExports) {
  pkg("old", R"({"main": "index.js"})");
  file(std::string(kNm) + "old/index.js");
  std::string exact = file(std::string(kNm) + "old/lib/exact.cjs");
  std::string js = file(std::string(kNm) + "old/lib/a.js");
  std::string mjs = file(std::string(kNm) + "old/lib/b.mjs");
  std::string dirIndex = file(std::string(kNm) + "old/lib/dir/index.js");
  write(std::string(kNm) + "old/hooks/package.json", R"({"module": "dist/hooks.module.js"})");
  std::string hooks = file(std::string(kNm) + "old/hooks/dist/hooks.module.js");
  EXPECT_EQ(resolve("old/lib/exact.cjs"), exact);
  EXPECT_EQ(resolve("old/lib/a"), js);
  EXPECT_EQ(resolve("old/lib/b"), mjs);
  EXPECT_EQ(resolve("old/lib/dir"), dirIndex);
  EXPECT_EQ(resolve("old/hooks"), hooks);
  EXPECT_NE(error("old/lib/none").find("no file for './lib/none'"), std::string::npos);
}

TEST_F(PackageResolverTest, MissingPackage) {
  std::string e = error("nope");
  EXPECT_NE(e.find("package \"nope\" not found in any node_modules directory"), std::string::npos);
  EXPECT_NE(e.find(worker_.string()), std::string::npos);
}

TEST_F(PackageResolverTest, NotBareOrInvalid) {
  EXPECT_FALSE(error("./rel").empty());
  EXPECT_FALSE(error("/abs").empty());
  EXPECT_FALSE(error("node:fs").empty());
  EXPECT_FALSE(error("bad%name").empty());
  ResolveResult r = resolvePackage("", worker_.string());
  EXPECT_TRUE(r.path.empty());
  EXPECT_FALSE(r.error.empty());
}

TEST_F(PackageResolverTest, InvalidPackageJson) {
  pkg("broken", "{ not json");
  file(std::string(kNm) + "broken/index.js");
  EXPECT_NE(error("broken").find("invalid JSON"), std::string::npos);
}

TEST_F(PackageResolverTest, ResultIsSymlinkFree) {
  // pnpm layout: node_modules/hono -> .pnpm/hono@4/node_modules/hono.
  write("app/node_modules/.pnpm/hono@4/node_modules/hono/package.json",
        R"({"exports": "./dist/index.js"})");
  std::string real = file("app/node_modules/.pnpm/hono@4/node_modules/hono/dist/index.js");
  fs::create_directory_symlink(root_ / "app/node_modules/.pnpm/hono@4/node_modules/hono",
                               root_ / kNm / "hono");
  EXPECT_EQ(resolve("hono"), real);
}

TEST_F(PackageResolverTest, PathsAreNormalized) {
  pkg("norm", R"({"main": "./a/../b/./c.js"})");
  std::string c = file(std::string(kNm) + "norm/b/c.js");
  ResolveResult r = resolvePackage("norm", (root_ / "app/src/../src/./worker.js").string());
  EXPECT_EQ(r.path, c) << r.error;
}

}  // namespace
}  // namespace pactown::runtime
