// Bare module specifiers ("hono", "hono/cors", "@scope/pkg/sub") resolved against node_modules
// folders the way wrangler's esbuild build does, so a worker with a node_modules folder next to it
// runs without a bundler. No V8 here: the module loader calls this and turns errors into throws.
//
// Contract:
// - Walks up from the referrer's directory through every `<dir>/node_modules/<name>`.
// - package.json "exports" (Node's PACKAGE_EXPORTS_RESOLVE): string, array of fallbacks, subpath
//   map ("." / "./sub"), "*" patterns, trailing-"/" folder keys, nested conditions in object order
//   with the active set {workerd, worker, browser, import, module, default}.
// - No "exports": the "module", "browser" (string form) and "main" fields, then index.js; subpaths
//   try the file, then .js/.mjs, then the directory (its package.json fields, then index.js).
// - Results are absolute and symlink-free (esbuild's preserveSymlinks=false), so pnpm layouts work
//   and one file has one identity.
// - Never throws; an error is one line that names the specifier.
#pragma once

#include <string>

namespace pactown::runtime {

struct ResolveResult {
  std::string path;   // absolute, normalized path of the resolved file; empty on error
  std::string error;  // one-line message; empty on success
};

// `specifier` must be bare (not "./x", "/x" or a URL); `referrerPath` is the absolute path of the
// importing file.
ResolveResult resolvePackage(const std::string& specifier, const std::string& referrerPath);

}  // namespace pactown::runtime
