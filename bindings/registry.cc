#include "bindings/registry.h"

#include <cstdio>
#include <cstdlib>
#include <set>
#include <string>
#include <vector>

#include "bindings/op.h"

PT_DECLARE_OP_TABLE(core)
PT_DECLARE_OP_TABLE(kv)
PT_DECLARE_OP_TABLE(crypto)
PT_DECLARE_OP_TABLE(timers)
PT_DECLARE_OP_TABLE(http)
PT_DECLARE_OP_TABLE(console)
PT_DECLARE_OP_TABLE(encoding)
PT_DECLARE_OP_TABLE(url)
PT_DECLARE_OP_TABLE(zlib)
PT_DECLARE_OP_TABLE(fetch)

namespace pactown::bindings {
namespace {

// Every op table, once. Adding a native area = one PT_DECLARE_OP_TABLE line and one entry here.
const OpTable* const* allTables() {
  static const OpTable* const tables[] = {
      &opTable_core(),    &opTable_crypto(),   &opTable_timers(), &opTable_http(),
      &opTable_console(), &opTable_encoding(), &opTable_url(),    &opTable_zlib(),
      &opTable_fetch(),   &opTable_kv(),       nullptr,
  };
  return tables;
}

}  // namespace

v8::Local<v8::Object> createOpsObject(v8::Isolate* isolate, v8::Local<v8::Context> context) {
  v8::EscapableHandleScope scope(isolate);
  v8::Local<v8::Object> ops = v8::Object::New(isolate);
  std::set<std::string> seen;
  for (const OpTable* const* t = allTables(); *t; ++t) {
    for (const OpDef& op : (*t)->ops) {
      if (!seen.insert(op.name).second) {
        fprintf(stderr, "pactown-run: duplicate op name %s (table %s)\n", op.name, (*t)->area);
        abort();
      }
      v8::Local<v8::String> name = v8::String::NewFromUtf8(isolate, op.name).ToLocalChecked();
      v8::Local<v8::FunctionTemplate> tmpl = v8::FunctionTemplate::New(
          isolate, op.fn, v8::Local<v8::Value>(), v8::Local<v8::Signature>(), 0,
          v8::ConstructorBehavior::kThrow, v8::SideEffectType::kHasSideEffect);
      tmpl->SetClassName(name);
      v8::Local<v8::Function> fn = tmpl->GetFunction(context).ToLocalChecked();
      fn->SetName(name);
      ops->Set(context, name, fn).Check();
    }
  }
  return scope.Escape(ops);
}

const intptr_t* externalReferences() {
  static const std::vector<intptr_t> refs = [] {
    std::vector<intptr_t> out;
    for (const OpTable* const* t = allTables(); *t; ++t) {
      for (const OpDef& op : (*t)->ops) out.push_back(reinterpret_cast<intptr_t>(op.fn));
    }
    out.push_back(0);
    return out;
  }();
  return refs.data();
}

}  // namespace pactown::bindings
