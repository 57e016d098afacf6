#include "bindings/crypto_util.h"

#include <openssl/bn.h>
#include <openssl/err.h>

#include <cstring>
#include <memory>

#include "runtime/isolate_host.h"

namespace pactown::bindings::crypto {
namespace {

constexpr uint32_t kPkeyMagic = 0x6b657931;    // "key1"
constexpr uint32_t kDigestMagic = 0x64677374;  // "dgst"

struct Handle {
  uint32_t magic;
  void* object;
};

void freePkeyHandle(void* data, size_t, void*) {
  Handle* h = static_cast<Handle*>(data);
  EVP_PKEY_free(static_cast<EVP_PKEY*>(h->object));
  delete h;
}

void freeDigestHandle(void* data, size_t, void*) {
  Handle* h = static_cast<Handle*>(data);
  EVP_MD_CTX_free(static_cast<EVP_MD_CTX*>(h->object));
  delete h;
}

v8::Local<v8::Value> wrapHandle(v8::Isolate* isolate, uint32_t magic, void* object,
                                v8::BackingStore::DeleterCallback deleter) {
  Handle* h = new Handle{magic, object};
  std::unique_ptr<v8::BackingStore> store =
      v8::ArrayBuffer::NewBackingStore(h, 0, deleter, nullptr);
  return v8::ArrayBuffer::New(isolate, std::move(store));
}

void* handleArg(const Args& args, int i, uint32_t magic) {
  v8::Local<v8::Value> v = args[i];
  if (v->IsArrayBuffer()) {
    v8::Local<v8::ArrayBuffer> ab = v.As<v8::ArrayBuffer>();
    // The backing store's own pointer: V8 may report Data() as null for an empty buffer.
    Handle* h =
        ab->ByteLength() == 0 ? static_cast<Handle*>(ab->GetBackingStore()->Data()) : nullptr;
    if (h != nullptr && h->magic == magic) return h->object;
  }
  runtime::throwTypeError(args.GetIsolate(), "Invalid native crypto handle.");
  return nullptr;
}

}  // namespace

bool bytesArg(const Args& args, int i, Bytes* out) {
  v8::Local<v8::Value> value = args[i];
  if (value->IsArrayBufferView()) {
    v8::Local<v8::ArrayBufferView> view = value.As<v8::ArrayBufferView>();
    out->size = view->ByteLength();
    out->data = out->size == 0
                    ? nullptr
                    : static_cast<const uint8_t*>(view->Buffer()->Data()) + view->ByteOffset();
    return true;
  }
  if (value->IsArrayBuffer()) {
    v8::Local<v8::ArrayBuffer> buffer = value.As<v8::ArrayBuffer>();
    out->size = buffer->ByteLength();
    out->data = static_cast<const uint8_t*>(buffer->Data());
    return true;
  }
  if (value->IsSharedArrayBuffer()) {
    v8::Local<v8::SharedArrayBuffer> buffer = value.As<v8::SharedArrayBuffer>();
    out->size = buffer->ByteLength();
    out->data = static_cast<const uint8_t*>(buffer->Data());
    return true;
  }
  runtime::throwTypeError(args.GetIsolate(),
                          "The provided value is not of type '(ArrayBuffer or ArrayBufferView)'.");
  return false;
}

bool optionalBytesArg(const Args& args, int i, Bytes* out) {
  if (args[i]->IsNullOrUndefined()) {
    *out = Bytes{};
    return true;
  }
  return bytesArg(args, i, out);
}

void throwDom(v8::Isolate* isolate, const char* name, std::string_view message) {
  clearErrors();
  v8::Local<v8::Context> context = isolate->GetCurrentContext();
  runtime::IsolateHost* host = runtime::IsolateHost::from(isolate);
  v8::Local<v8::Function> ctor;
  if (host != nullptr) ctor = host->internalFunction("DOMException");
  v8::Local<v8::Object> error;
  if (!ctor.IsEmpty()) {
    v8::Local<v8::Value> argv[] = {runtime::v8str(isolate, message), runtime::v8str(isolate, name)};
    if (ctor->NewInstance(context, 2, argv).ToLocal(&error)) {
      isolate->ThrowException(error);
      return;
    }
    if (isolate->IsExecutionTerminating()) return;
  }
  isolate->ThrowException(v8::Exception::Error(runtime::v8str(isolate, message)));
}

v8::Local<v8::ArrayBuffer> newBuffer(v8::Isolate* isolate, const uint8_t* data, size_t size) {
  v8::Local<v8::ArrayBuffer> ab = v8::ArrayBuffer::New(isolate, size);
  if (size > 0) memcpy(ab->Data(), data, size);
  return ab;
}

std::string stringArg(const Args& args, int i) {
  return runtime::toStdString(args.GetIsolate(), args[i]);
}

const EVP_MD* digestByName(std::string_view name) {
  if (name == "SHA-1") return EVP_sha1();
  if (name == "SHA-256") return EVP_sha256();
  if (name == "SHA-384") return EVP_sha384();
  if (name == "SHA-512") return EVP_sha512();
  if (name == "MD5") return EVP_md5();
  return nullptr;
}

v8::Local<v8::Value> wrapPkey(v8::Isolate* isolate, EVP_PKEY* pkey) {
  return wrapHandle(isolate, kPkeyMagic, pkey, freePkeyHandle);
}

EVP_PKEY* pkeyArg(const Args& args, int i) {
  return static_cast<EVP_PKEY*>(handleArg(args, i, kPkeyMagic));
}

v8::Local<v8::Value> wrapDigestContext(v8::Isolate* isolate, EVP_MD_CTX* ctx) {
  return wrapHandle(isolate, kDigestMagic, ctx, freeDigestHandle);
}

EVP_MD_CTX* digestContextArg(const Args& args, int i) {
  return static_cast<EVP_MD_CTX*>(handleArg(args, i, kDigestMagic));
}

void setProp(v8::Isolate* isolate, v8::Local<v8::Object> obj, const char* key,
             v8::Local<v8::Value> value) {
  // CreateDataProperty, not Set: a setter a script put on Object.prototype must not intercept.
  obj->CreateDataProperty(isolate->GetCurrentContext(), runtime::v8str(isolate, key), value)
      .Check();
}

v8::Local<v8::Value> getProp(v8::Isolate* isolate, v8::Local<v8::Object> obj, const char* key) {
  v8::Local<v8::Value> v;
  if (!obj->Get(isolate->GetCurrentContext(), runtime::v8str(isolate, key)).ToLocal(&v)) {
    return v8::Undefined(isolate);
  }
  return v;
}

std::vector<uint8_t> bnBytes(const BIGNUM* bn, size_t width) {
  size_t n = static_cast<size_t>(BN_num_bytes(bn));
  if (width < n) width = n;
  std::vector<uint8_t> out(width);
  if (width > 0) BN_bn2binpad(bn, out.data(), static_cast<int>(width));
  return out;
}

void clearErrors() { ERR_clear_error(); }

}  // namespace pactown::bindings::crypto
