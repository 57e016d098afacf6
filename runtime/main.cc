// pactown-run: serve an unmodified Cloudflare Worker over HTTP.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "runtime/test_mode.h"
#include "runtime/v8_platform.h"

namespace fs = std::filesystem;
using namespace pactown::runtime;

int main(int argc, char** argv) {
  CLI::App app{"pactown-run: run Cloudflare Workers scripts on your own machine"};
  app.set_version_flag("--version", std::string("pactown-run ") + PT_VERSION);
  std::string script;
  std::string testFile;
  std::string jsDir;
  bool noSnapshot = false;
  std::vector<std::string> vars;
  app.add_option("script", script, "Worker script (ES module or service-worker syntax)");
  app.add_option("--test", testFile, "Run the test() exports of a test worker and exit");
  app.add_option("--var", vars, "Override a var: KEY=VALUE (repeatable)");
  app.add_flag("--no-snapshot", noSnapshot, "Evaluate built-in JS at start-up instead of the snapshot");
  app.add_option("--js-dir", jsDir, "Load built-in JS from this source tree (development)")
      ->check(CLI::ExistingDirectory);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }

  initV8();
  IsolateHostOptions hostOptions;
  hostOptions.useSnapshot = !noSnapshot;
  hostOptions.jsDir = jsDir;

  if (!testFile.empty()) {
    if (!fs::exists(testFile)) {
      fprintf(stderr, "pactown-run: no such file: %s\n", testFile.c_str());
      return 2;
    }
    WorkerSpec spec;
    spec.mainPath = fs::absolute(testFile).lexically_normal().string();
    return runTestWorker(spec, hostOptions);
  }
  fprintf(stderr, "pactown-run: serving is not wired yet\n");
  return 2;
}
