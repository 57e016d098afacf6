// The one place every op table is listed. Feeds both the `ops` object given to built-in JS and the
// snapshot's external references.
#pragma once

#include <v8.h>

#include <cstdint>
#include <vector>

namespace pactown::bindings {

// Builds the `ops` object: one function per op, grouped flat by name (names are unique across
// tables; a duplicate aborts at startup).
v8::Local<v8::Object> createOpsObject(v8::Isolate* isolate, v8::Local<v8::Context> context);

// Every native callback address, null-terminated, for v8::SnapshotCreator / CreateParams.
const intptr_t* externalReferences();

}  // namespace pactown::bindings
