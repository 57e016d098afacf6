// Shared plumbing for the Web Crypto ops (bindings/crypto_*.cc): byte views of buffer-source
// arguments, DOMException throwing, ArrayBuffer results, digest lookup and native key handles.
//
// Key handles: an asymmetric key's EVP_PKEY travels to JavaScript as a zero-length ArrayBuffer
// whose backing store owns it (the deleter frees the key when V8 collects the buffer). Built-in JS
// keeps the handle in a CryptoKey #private field and passes it back to ops; user code never sees
// it. No v8::External, no per-isolate table, and nothing to clean up by hand. DigestStream contexts
// use the same mechanism.
#pragma once

#include <openssl/evp.h>
#include <v8.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace pactown::bindings::crypto {

using Args = v8::FunctionCallbackInfo<v8::Value>;

// The bytes of an ArrayBuffer, SharedArrayBuffer or ArrayBufferView argument. Valid for the
// duration of the op (no JavaScript runs while an op holds it).
struct Bytes {
  const uint8_t* data = nullptr;
  size_t size = 0;
  // OpenSSL wants a non-null pointer even for empty input.
  const uint8_t* ptr() const { return data ? data : reinterpret_cast<const uint8_t*>(""); }
};

// Reads args[i] as bytes; throws a TypeError and returns false if it is not a buffer source.
bool bytesArg(const Args& args, int i, Bytes* out);
// Like bytesArg, but undefined/null give empty bytes.
bool optionalBytesArg(const Args& args, int i, Bytes* out);

// Throws `new DOMException(message, name)` (internals.DOMException).
void throwDom(v8::Isolate* isolate, const char* name, std::string_view message);
inline void throwOperationError(v8::Isolate* isolate, std::string_view message) {
  throwDom(isolate, "OperationError", message);
}
inline void throwDataError(v8::Isolate* isolate, std::string_view message) {
  throwDom(isolate, "DataError", message);
}

// A new ArrayBuffer holding a copy of `data`.
v8::Local<v8::ArrayBuffer> newBuffer(v8::Isolate* isolate, const uint8_t* data, size_t size);
inline v8::Local<v8::ArrayBuffer> newBuffer(v8::Isolate* isolate, const std::vector<uint8_t>& v) {
  return newBuffer(isolate, v.data(), v.size());
}

std::string stringArg(const Args& args, int i);

// "SHA-1", "SHA-256", "SHA-384", "SHA-512", "MD5" → the OpenSSL digest; nullptr otherwise.
const EVP_MD* digestByName(std::string_view name);

// Native key handles (see the file comment). wrapPkey takes ownership of `pkey`.
v8::Local<v8::Value> wrapPkey(v8::Isolate* isolate, EVP_PKEY* pkey);
// The EVP_PKEY behind a handle (borrowed), or nullptr after throwing a TypeError.
EVP_PKEY* pkeyArg(const Args& args, int i);

// An EVP_MD_CTX handle for DigestStream.
v8::Local<v8::Value> wrapDigestContext(v8::Isolate* isolate, EVP_MD_CTX* ctx);
EVP_MD_CTX* digestContextArg(const Args& args, int i);

// Defines an own data property on a result object.
void setProp(v8::Isolate* isolate, v8::Local<v8::Object> obj, const char* key,
             v8::Local<v8::Value> value);
// Reads a property of an argument object (undefined if absent).
v8::Local<v8::Value> getProp(v8::Isolate* isolate, v8::Local<v8::Object> obj, const char* key);

// Big-endian unsigned bytes of a BIGNUM, left-padded with zeros to `width` (0: minimal length).
std::vector<uint8_t> bnBytes(const BIGNUM* bn, size_t width = 0);

// Clears OpenSSL's error queue (call before returning from an op that may have left errors).
void clearErrors();

// RAII holders for OpenSSL objects.
template <typename T, void (*Free)(T*)>
struct Owned {
  T* p = nullptr;
  Owned() = default;
  explicit Owned(T* ptr) : p(ptr) {}
  ~Owned() {
    if (p) Free(p);
  }
  Owned(const Owned&) = delete;
  Owned& operator=(const Owned&) = delete;
  Owned(Owned&& other) noexcept : p(other.release()) {}
  Owned& operator=(Owned&& other) noexcept {
    reset(other.release());
    return *this;
  }
  T* get() const { return p; }
  T* release() {
    T* r = p;
    p = nullptr;
    return r;
  }
  void reset(T* ptr) {
    if (p) Free(p);
    p = ptr;
  }
  explicit operator bool() const { return p != nullptr; }
};
using PkeyPtr = Owned<EVP_PKEY, EVP_PKEY_free>;
using PkeyCtxPtr = Owned<EVP_PKEY_CTX, EVP_PKEY_CTX_free>;
using MdCtxPtr = Owned<EVP_MD_CTX, EVP_MD_CTX_free>;
using CipherCtxPtr = Owned<EVP_CIPHER_CTX, EVP_CIPHER_CTX_free>;
using BnPtr = Owned<BIGNUM, BN_free>;

}  // namespace pactown::bindings::crypto
