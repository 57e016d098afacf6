// Module rules: wrangler's glob semantics, default rules, fallthrough, find_additional_modules.
#include "compat/module_rules.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <fstream>

namespace pactown::compat {
namespace {

namespace fs = std::filesystem;

using Rules = std::vector<ModuleRule>;

class TempTree {
 public:
  TempTree() {
    std::string tmpl = (fs::temp_directory_path() / "pt-rules-XXXXXX").string();
    root_ = mkdtemp(tmpl.data());
  }
  ~TempTree() { fs::remove_all(root_); }
  const fs::path& root() const { return root_; }
  fs::path write(const std::string& rel, const std::string& content = "x") {
    fs::path p = root_ / rel;
    fs::create_directories(p.parent_path());
    std::ofstream(p) << content;
    return p;
  }

 private:
  fs::path root_;
};

std::vector<std::pair<std::string, ModuleType>> namesAndTypes(const CollectResult& r) {
  std::vector<std::pair<std::string, ModuleType>> out;
  for (const AdditionalModule& m : r.modules) out.emplace_back(m.name, m.type);
  return out;
}

TEST(ModuleRulesGlobTest, GlobstarSlashMatchesZeroOrMoreDirectories) {
  EXPECT_TRUE(globMatches("**/*.js", "a.js"));
  EXPECT_TRUE(globMatches("**/*.js", "x/a.js"));
  EXPECT_TRUE(globMatches("**/*.js", "x/y/z/a.js"));
  EXPECT_FALSE(globMatches("**/*.js", "a.jsx"));
  EXPECT_FALSE(globMatches("**/*.js", "a.js/b"));
  EXPECT_TRUE(globMatches("src/**/x.txt", "src/x.txt"));
  EXPECT_TRUE(globMatches("src/**/x.txt", "src/a/b/x.txt"));
  EXPECT_FALSE(globMatches("src/**/x.txt", "srcx.txt"));
  EXPECT_FALSE(globMatches("src/**/x.txt", "other/x.txt"));
  EXPECT_TRUE(globMatches("**/a/**/b.txt", "a/b.txt"));
  EXPECT_TRUE(globMatches("**/a/**/b.txt", "z/a/y/w/b.txt"));
  EXPECT_FALSE(globMatches("**/a/**/b.txt", "za/b.txt"));
}

TEST(ModuleRulesGlobTest, TrailingAndLoneGlobstar) {
  EXPECT_TRUE(globMatches("**", ""));
  EXPECT_TRUE(globMatches("**", "a/b/c.txt"));
  EXPECT_TRUE(globMatches("src/**", "src/"));
  EXPECT_TRUE(globMatches("src/**", "src/a/b"));
  EXPECT_FALSE(globMatches("src/**", "src"));
  // The globstar swallows the slash after it, so a trailing "**/" behaves like "**".
  EXPECT_TRUE(globMatches("x/**/", "x/"));
  EXPECT_TRUE(globMatches("x/**/", "x/a/b/"));
  EXPECT_TRUE(globMatches("x/**/", "x/a"));
  EXPECT_FALSE(globMatches("x/**/", "x"));
}

TEST(ModuleRulesGlobTest, SingleStarStaysInOneSegment) {
  EXPECT_TRUE(globMatches("*.js", "a.js"));
  EXPECT_TRUE(globMatches("*.js", ".js"));
  EXPECT_FALSE(globMatches("*.js", "x/a.js"));
  EXPECT_TRUE(globMatches("lib/*", "lib/a"));
  EXPECT_FALSE(globMatches("lib/*", "lib/a/b"));
  // `**` that does not fill a whole segment is a plain star.
  EXPECT_TRUE(globMatches("**.js", "a.js"));
  EXPECT_FALSE(globMatches("**.js", "x/a.js"));
  EXPECT_TRUE(globMatches("a**b", "axyb"));
  EXPECT_FALSE(globMatches("a**b", "ax/yb"));
  EXPECT_TRUE(globMatches("a/***/b", "a/x/y/b"));
}

TEST(ModuleRulesGlobTest, ExtendedSyntaxIsLiteralAsInWrangler) {
  // wrangler calls glob-to-regexp without `extended`, so ? [ ] { } , are plain characters.
  EXPECT_TRUE(globMatches("**/*.wasm?module", "lib/a.wasm?module"));
  EXPECT_FALSE(globMatches("**/*.wasm?module", "lib/a.wasmXmodule"));
  EXPECT_TRUE(globMatches("a?.txt", "a?.txt"));
  EXPECT_FALSE(globMatches("a?.txt", "ab.txt"));
  EXPECT_TRUE(globMatches("{a,b}.txt", "{a,b}.txt"));
  EXPECT_FALSE(globMatches("{a,b}.txt", "a.txt"));
  EXPECT_TRUE(globMatches("[ab].txt", "[ab].txt"));
  EXPECT_FALSE(globMatches("[ab].txt", "a.txt"));
}

TEST(ModuleRulesGlobTest, RegexCharactersAreLiteral) {
  EXPECT_TRUE(globMatches("a+b(c)|d$^=!.txt", "a+b(c)|d$^=!.txt"));
  EXPECT_FALSE(globMatches("*.js", "ajs"));
  EXPECT_FALSE(globMatches("a.b", "axb"));
}

TEST(ModuleRulesGlobTest, WholePathMustMatch) {
  EXPECT_FALSE(globMatches("a.js", "x/a.js"));
  EXPECT_FALSE(globMatches("a", "ab"));
  EXPECT_TRUE(globMatches("", ""));
  EXPECT_FALSE(globMatches("", "a"));
}

TEST(ModuleRulesGlobTest, WithoutGlobstarStarsCrossDirectories) {
  GlobOptions importMode{.globstar = false};
  EXPECT_TRUE(globMatches("**/*.wasm", "./foo.wasm", importMode));
  EXPECT_TRUE(globMatches("*.js", "a/b.js", importMode));
  EXPECT_FALSE(globMatches("**/*.wasm", "foo.wasm", importMode));  // needs a slash
}

TEST(ModuleRulesGlobTest, ManyStarsDoNotBlowUp) {
  std::string path(200, 'a');
  EXPECT_FALSE(globMatches("*a*a*a*a*a*a*a*a*a*a*b", path));
  std::string deep;
  for (int i = 0; i < 100; ++i) deep += "d/";
  EXPECT_FALSE(globMatches("**/**/**/**/**/x", deep + "y"));
  EXPECT_TRUE(globMatches("**/**/**/**/**/x", deep + "x"));
}

TEST(ModuleRulesTypeNameTest, OnlyWranglerRuleTypesParse) {
  EXPECT_EQ(moduleTypeFromRuleName("ESModule"), ModuleType::kESModule);
  EXPECT_EQ(moduleTypeFromRuleName("CommonJS"), ModuleType::kCommonJS);
  EXPECT_EQ(moduleTypeFromRuleName("CompiledWasm"), ModuleType::kCompiledWasm);
  EXPECT_EQ(moduleTypeFromRuleName("Text"), ModuleType::kText);
  EXPECT_EQ(moduleTypeFromRuleName("Data"), ModuleType::kData);
  EXPECT_EQ(moduleTypeFromRuleName("esmodule"), std::nullopt);
  EXPECT_EQ(moduleTypeFromRuleName("JSON"), std::nullopt);
  EXPECT_EQ(moduleTypeFromRuleName("PythonModule"), std::nullopt);
  EXPECT_EQ(moduleTypeName(ModuleType::kCompiledWasm), "CompiledWasm");
}

TEST(ModuleRulesParseTest, DefaultsOnly) {
  ParsedRules parsed = parseRules({});
  ASSERT_EQ(parsed.rules.size(), 3u);
  EXPECT_EQ(parsed.rules[0].type, ModuleType::kText);
  EXPECT_EQ(parsed.rules[0].globs, (std::vector<std::string>{"**/*.txt", "**/*.html", "**/*.sql"}));
  EXPECT_EQ(parsed.rules[1].type, ModuleType::kData);
  EXPECT_EQ(parsed.rules[1].globs, (std::vector<std::string>{"**/*.bin"}));
  EXPECT_EQ(parsed.rules[2].type, ModuleType::kCompiledWasm);
  EXPECT_EQ(parsed.rules[2].globs, (std::vector<std::string>{"**/*.wasm", "**/*.wasm?module"}));
  EXPECT_TRUE(parsed.removedRules.empty());
  EXPECT_TRUE(parsed.warnings.empty());
}

TEST(ModuleRulesParseTest, UserRuleWithoutFallthroughShadowsDefaultOfSameType) {
  ParsedRules parsed = parseRules({{ModuleType::kText, {"**/*.md"}, std::nullopt}});
  ASSERT_EQ(parsed.rules.size(), 3u);  // user Text, Data, CompiledWasm
  EXPECT_EQ(parsed.rules[0].globs, (std::vector<std::string>{"**/*.md"}));
  ASSERT_EQ(parsed.removedRules.size(), 1u);
  EXPECT_EQ(parsed.removedRules[0].globs[0], "**/*.txt");
  ASSERT_EQ(parsed.warnings.size(), 1u);
  EXPECT_EQ(parsed.warnings[0],
            "The module rule {\"type\":\"Text\",\"globs\":[\"**/*.md\"]} does not have a fallback, "
            "the following rules will be ignored:\n "
            "{\"type\":\"Text\",\"globs\":[\"**/*.txt\",\"**/*.html\",\"**/*.sql\"]} (DEFAULT)\n\n"
            "Add `fallthrough = true` to rule to allow next rule to be used or `fallthrough = "
            "false` to silence this warning");
}

TEST(ModuleRulesParseTest, FallthroughKeepsLaterRules) {
  ParsedRules parsed = parseRules({{ModuleType::kText, {"**/*.md"}, true}});
  EXPECT_EQ(parsed.rules.size(), 4u);
  EXPECT_TRUE(parsed.removedRules.empty());
  EXPECT_TRUE(parsed.warnings.empty());
}

TEST(ModuleRulesParseTest, ExplicitFalseFallthroughRemovesSilently) {
  ParsedRules parsed = parseRules({{ModuleType::kText, {"**/*.md"}, false}});
  EXPECT_EQ(parsed.removedRules.size(), 1u);
  EXPECT_TRUE(parsed.warnings.empty());
}

TEST(ModuleRulesParseTest, SecondUserRuleOfATypeIsRemoved) {
  ParsedRules parsed = parseRules({{ModuleType::kESModule, {"**/*.mjs"}, std::nullopt},
                                   {ModuleType::kESModule, {"**/*.js"}, std::nullopt}});
  ASSERT_EQ(parsed.removedRules.size(), 1u);
  EXPECT_EQ(parsed.removedRules[0].globs[0], "**/*.js");
  ASSERT_EQ(parsed.warnings.size(), 1u);
  EXPECT_NE(parsed.warnings[0].find("{\"type\":\"ESModule\",\"globs\":[\"**/*.js\"]}\n"),
            std::string::npos);
  EXPECT_EQ(parsed.warnings[0].find("(DEFAULT)"), std::string::npos);
}

TEST(ModuleRulesTypeForTest, DefaultRules) {
  EXPECT_EQ(moduleTypeFor("a.txt", Rules{}), ModuleType::kText);
  EXPECT_EQ(moduleTypeFor("pages/a.html", Rules{}), ModuleType::kText);
  EXPECT_EQ(moduleTypeFor("q.sql", Rules{}), ModuleType::kText);
  EXPECT_EQ(moduleTypeFor("x.bin", Rules{}), ModuleType::kData);
  EXPECT_EQ(moduleTypeFor("m.wasm", Rules{}), ModuleType::kCompiledWasm);
  EXPECT_EQ(moduleTypeFor("m.wasm?module", Rules{}), ModuleType::kCompiledWasm);
  // No defaults for JavaScript or JSON: wrangler's bundler inlines those.
  EXPECT_EQ(moduleTypeFor("a.js", Rules{}), std::nullopt);
  EXPECT_EQ(moduleTypeFor("a.mjs", Rules{}), std::nullopt);
  EXPECT_EQ(moduleTypeFor("a.cjs", Rules{}), std::nullopt);
  EXPECT_EQ(moduleTypeFor("a.json", Rules{}), std::nullopt);
  EXPECT_EQ(moduleTypeFor("a.txt.gz", Rules{}), std::nullopt);
}

TEST(ModuleRulesTypeForTest, UserRulesComeBeforeDefaults) {
  Rules rules = {{ModuleType::kData, {"**/*.txt"}, std::nullopt}};
  EXPECT_EQ(moduleTypeFor("a.txt", rules), ModuleType::kData);
  EXPECT_EQ(moduleTypeFor("a.html", rules), ModuleType::kText);
}

TEST(ModuleRulesTypeForTest, FirstMatchingRuleWins) {
  Rules rules = {{ModuleType::kCommonJS, {"lib/**/*.js"}, std::nullopt},
                 {ModuleType::kESModule, {"**/*.js", "**/*.mjs"}, std::nullopt}};
  EXPECT_EQ(moduleTypeFor("lib/a.js", rules), ModuleType::kCommonJS);
  EXPECT_EQ(moduleTypeFor("src/a.js", rules), ModuleType::kESModule);
  EXPECT_EQ(moduleTypeFor("a.mjs", rules), ModuleType::kESModule);
}

TEST(ModuleRulesTypeForTest, ShadowedDefaultNoLongerApplies) {
  Rules shadowing = {{ModuleType::kText, {"**/*.md"}, std::nullopt}};
  EXPECT_EQ(moduleTypeFor("a.md", shadowing), ModuleType::kText);
  EXPECT_EQ(moduleTypeFor("a.txt", shadowing), std::nullopt);
  Rules fallingThrough = {{ModuleType::kText, {"**/*.md"}, true}};
  EXPECT_EQ(moduleTypeFor("a.txt", fallingThrough), ModuleType::kText);
}

TEST(ModuleRulesTypeForTest, FallthroughChainsRulesOfOneType) {
  Rules rules = {{ModuleType::kESModule, {"a/*.js"}, true},
                 {ModuleType::kESModule, {"b/*.js"}, std::nullopt},
                 {ModuleType::kESModule, {"c/*.js"}, std::nullopt}};
  EXPECT_EQ(moduleTypeFor("a/x.js", rules), ModuleType::kESModule);
  EXPECT_EQ(moduleTypeFor("b/x.js", rules), ModuleType::kESModule);
  EXPECT_EQ(moduleTypeFor("c/x.js", rules), std::nullopt);
}

TEST(ModuleRulesCollectTest, WalksEverythingButWranglerDirEntryAndConfig) {
  TempTree t;
  fs::path entry = t.write("index.js");
  fs::path config = t.write("wrangler.toml");
  t.write("lib/a.js");
  t.write("lib/deep/b.mjs");
  t.write("node_modules/pkg/x.js");
  t.write(".hidden/y.js");
  t.write(".wrangler/tmp/z.js");
  t.write("data.txt");
  t.write("page.html");
  t.write("img.png");
  Rules rules = {{ModuleType::kESModule, {"**/*.js", "**/*.mjs"}, std::nullopt},
                 {ModuleType::kData, {"**/*.toml"}, true}};
  CollectResult r = collectAdditionalModules(t.root(), rules, {entry, config, t.root()});
  ASSERT_FALSE(r.error) << *r.error;
  using P = std::pair<std::string, ModuleType>;
  EXPECT_EQ(namesAndTypes(r), (std::vector<P>{{".hidden/y.js", ModuleType::kESModule},
                                              {"data.txt", ModuleType::kText},
                                              {"lib/a.js", ModuleType::kESModule},
                                              {"lib/deep/b.mjs", ModuleType::kESModule},
                                              {"node_modules/pkg/x.js", ModuleType::kESModule},
                                              {"page.html", ModuleType::kText}}));
  for (const AdditionalModule& m : r.modules) {
    EXPECT_TRUE(fs::exists(m.path)) << m.path;
    EXPECT_TRUE(m.path.is_absolute());
  }
}

TEST(ModuleRulesCollectTest, WranglerDirIsOnlySkippedAtProjectRoot) {
  TempTree t;
  t.write("src/.wrangler/kept.txt");
  t.write(".wrangler/skipped.txt");
  CollectResult fromRoot = collectAdditionalModules(t.root(), {}, {});
  ASSERT_EQ(fromRoot.modules.size(), 1u);
  EXPECT_EQ(fromRoot.modules[0].name, "src/.wrangler/kept.txt");
  CollectResult fromSrc = collectAdditionalModules(t.root() / "src", {}, {{}, {}, t.root()});
  ASSERT_EQ(fromSrc.modules.size(), 1u);
  EXPECT_EQ(fromSrc.modules[0].name, ".wrangler/kept.txt");
}

TEST(ModuleRulesCollectTest, SymlinkedFilesCountButSymlinkedDirectoriesAreNotFollowed) {
  TempTree t;
  t.write("real/inner.txt");
  fs::create_directory_symlink(t.root() / "real", t.root() / "linkdir");
  fs::create_symlink(t.root() / "real/inner.txt", t.root() / "link.txt");
  CollectResult r = collectAdditionalModules(t.root(), {}, {});
  std::vector<std::string> names;
  for (const auto& m : r.modules) names.push_back(m.name);
  EXPECT_EQ(names, (std::vector<std::string>{"link.txt", "real/inner.txt"}));
}

TEST(ModuleRulesCollectTest, ShadowedRulesDropFilesAndReportWarnings) {
  TempTree t;
  t.write("a.txt");
  t.write("b.md");
  CollectResult r =
      collectAdditionalModules(t.root(), {{ModuleType::kText, {"**/*.md"}, std::nullopt}}, {});
  ASSERT_EQ(r.modules.size(), 1u);
  EXPECT_EQ(r.modules[0].name, "b.md");
  EXPECT_EQ(r.warnings.size(), 1u);
}

TEST(ModuleRulesCollectTest, MissingBaseDirIsAnError) {
  TempTree t;
  CollectResult r = collectAdditionalModules(t.root() / "nope", {}, {});
  ASSERT_TRUE(r.error);
  EXPECT_NE(r.error->find("nope"), std::string::npos);
}

}  // namespace
}  // namespace pactown::compat
