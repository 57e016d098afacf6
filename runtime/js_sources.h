// The built-in JavaScript files (js/*.js, then compat/*.js), embedded at build time.
#pragma once

#include <cstddef>
#include <span>

namespace pactown::runtime {

struct JsSource {
  const char* name;  // path relative to the source root, e.g. "js/20_headers.js"
  const char* data;
  size_t size;
};

std::span<const JsSource> builtinJsSources();

}  // namespace pactown::runtime
