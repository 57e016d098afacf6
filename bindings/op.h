// The op table contract: how built-in JavaScript reaches native code.
//
// Each native area (encoding, timers, http, kv, ...) defines one table in its own
// bindings/<area>_ops.cc:
//
//   static void Utf8Encode(const v8::FunctionCallbackInfo<v8::Value>& args) { ... }
//   PT_OP_TABLE(encoding, {"utf8Encode", Utf8Encode}, {"utf8Decode", Utf8Decode});
//
// and adds `PT_DECLARE_OP_TABLE(encoding)` plus one line to the list in bindings/registry.cc. The
// registry builds the `ops` object handed to built-in JS (never visible to user scripts) and the
// snapshot's external references from the same list, so the two cannot drift.
#pragma once

#include <v8.h>

#include <cstddef>
#include <span>

namespace pactown::bindings {

using OpCallback = void (*)(const v8::FunctionCallbackInfo<v8::Value>&);

struct OpDef {
  const char* name;
  OpCallback fn;
};

struct OpTable {
  const char* area;
  std::span<const OpDef> ops;
};

}  // namespace pactown::bindings

#define PT_OP_TABLE(area, ...)                                              \
  namespace pactown::bindings {                                             \
  static const OpDef kOps_##area[] = {__VA_ARGS__};                         \
  const OpTable& opTable_##area() {                                         \
    static const OpTable table{#area, std::span<const OpDef>(kOps_##area)}; \
    return table;                                                           \
  }                                                                         \
  }

#define PT_DECLARE_OP_TABLE(area)  \
  namespace pactown::bindings {    \
  const OpTable& opTable_##area(); \
  }
