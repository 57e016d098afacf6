// Asymmetric key handles for Web Crypto: SPKI / PKCS#8 import and export, key details, the public
// half of a private key, and shared-secret derivation (ECDH, X25519).
// https://w3c.github.io/webcrypto/#algorithm-overview · RFC 5280 (SPKI) · RFC 5208 (PKCS#8)
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "bindings/crypto_ops.h"
#include "bindings/crypto_util.h"
#include "runtime/isolate_host.h"

namespace pactown::bindings::crypto {

using runtime::v8str;

const char* webCurveName(EVP_PKEY* pkey) {
  char name[64];
  size_t len = 0;
  if (EVP_PKEY_get_group_name(pkey, name, sizeof name, &len) != 1) return nullptr;
  std::string n(name, len);
  if (n == "prime256v1" || n == "P-256") return "P-256";
  if (n == "secp384r1" || n == "P-384") return "P-384";
  if (n == "secp521r1" || n == "P-521") return "P-521";
  return nullptr;
}

void preferUncompressed(EVP_PKEY* pkey) {
  if (EVP_PKEY_get_base_id(pkey) == EVP_PKEY_EC) {
    EVP_PKEY_set_utf8_string_param(pkey, OSSL_PKEY_PARAM_EC_POINT_CONVERSION_FORMAT,
                                   "uncompressed");
  }
  clearErrors();
}

// keyImportSpki(der) -> handle; DataError unless `der` is exactly one SubjectPublicKeyInfo.
void opKeyImportSpki(const Args& args) {
  v8::Isolate* isolate = args.GetIsolate();
  Bytes der;
  if (!bytesArg(args, 0, &der)) return;
  const unsigned char* p = der.ptr();
  PkeyPtr pkey(d2i_PUBKEY(nullptr, &p, static_cast<long>(der.size)));
  if (!pkey || p != der.ptr() + der.size) {
    return throwDataError(isolate, "Invalid SubjectPublicKeyInfo (spki) key data.");
  }
  preferUncompressed(pkey.get());
  args.GetReturnValue().Set(wrapPkey(isolate, pkey.release()));
}

// keyImportPkcs8(der) -> handle; DataError unless `der` is exactly one PrivateKeyInfo.
void opKeyImportPkcs8(const Args& args) {
  v8::Isolate* isolate = args.GetIsolate();
  Bytes der;
  if (!bytesArg(args, 0, &der)) return;
  const unsigned char* p = der.ptr();
  PKCS8_PRIV_KEY_INFO* info = d2i_PKCS8_PRIV_KEY_INFO(nullptr, &p, static_cast<long>(der.size));
  bool whole = p == der.ptr() + der.size;
  PkeyPtr pkey(info != nullptr && whole ? EVP_PKCS82PKEY(info) : nullptr);
  PKCS8_PRIV_KEY_INFO_free(info);
  if (!pkey) return throwDataError(isolate, "Invalid PrivateKeyInfo (pkcs8) key data.");
  preferUncompressed(pkey.get());
  args.GetReturnValue().Set(wrapPkey(isolate, pkey.release()));
}

// keyExportSpki(handle) -> ArrayBuffer
void opKeyExportSpki(const Args& args) {
  v8::Isolate* isolate = args.GetIsolate();
  EVP_PKEY* pkey = pkeyArg(args, 0);
  if (pkey == nullptr) return;
  unsigned char* out = nullptr;
  int len = i2d_PUBKEY(pkey, &out);
  if (len <= 0) return throwOperationError(isolate, "Failed to export the key as spki.");
  args.GetReturnValue().Set(newBuffer(isolate, out, static_cast<size_t>(len)));
  OPENSSL_free(out);
}

// keyExportPkcs8(handle) -> ArrayBuffer
void opKeyExportPkcs8(const Args& args) {
  v8::Isolate* isolate = args.GetIsolate();
  EVP_PKEY* pkey = pkeyArg(args, 0);
  if (pkey == nullptr) return;
  PKCS8_PRIV_KEY_INFO* info = EVP_PKEY2PKCS8(pkey);
  unsigned char* out = nullptr;
  int len = info ? i2d_PKCS8_PRIV_KEY_INFO(info, &out) : -1;
  PKCS8_PRIV_KEY_INFO_free(info);
  if (len <= 0) return throwOperationError(isolate, "Failed to export the key as pkcs8.");
  args.GetReturnValue().Set(newBuffer(isolate, out, static_cast<size_t>(len)));
  OPENSSL_free(out);
}

// keyDetails(handle) -> { kind, curve (EC: name or null), modulusLength, publicExponent (RSA) }
// kind: "RSA", "RSA-PSS", "EC", "Ed25519", "X25519", "Ed448", "X448" or "other".
void opKeyDetails(const Args& args) {
  v8::Isolate* isolate = args.GetIsolate();
  EVP_PKEY* pkey = pkeyArg(args, 0);
  if (pkey == nullptr) return;
  v8::Local<v8::Object> out = v8::Object::New(isolate);
  const char* kind = "other";
  switch (EVP_PKEY_get_base_id(pkey)) {
    case EVP_PKEY_RSA:
      kind = "RSA";
      break;
    case EVP_PKEY_RSA_PSS:
      kind = "RSA-PSS";
      break;
    case EVP_PKEY_EC:
      kind = "EC";
      break;
    case EVP_PKEY_ED25519:
      kind = "Ed25519";
      break;
    case EVP_PKEY_X25519:
      kind = "X25519";
      break;
    case EVP_PKEY_ED448:
      kind = "Ed448";
      break;
    case EVP_PKEY_X448:
      kind = "X448";
      break;
    default:
      break;
  }
  setProp(isolate, out, "kind", v8str(isolate, kind));
  int base = EVP_PKEY_get_base_id(pkey);
  if (base == EVP_PKEY_EC) {
    const char* curve = webCurveName(pkey);
    setProp(isolate, out, "curve",
            curve ? v8str(isolate, curve).As<v8::Value>() : v8::Null(isolate).As<v8::Value>());
  } else if (base == EVP_PKEY_RSA || base == EVP_PKEY_RSA_PSS) {
    setProp(isolate, out, "modulusLength", v8::Integer::New(isolate, EVP_PKEY_get_bits(pkey)));
    BIGNUM* e = nullptr;
    if (EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_RSA_E, &e) == 1) {
      setProp(isolate, out, "publicExponent", newBuffer(isolate, bnBytes(e)));
      BN_free(e);
    }
  }
  clearErrors();
  args.GetReturnValue().Set(out);
}

// keyPublic(handle) -> handle of the public half.
void opKeyPublic(const Args& args) {
  v8::Isolate* isolate = args.GetIsolate();
  EVP_PKEY* pkey = pkeyArg(args, 0);
  if (pkey == nullptr) return;
  unsigned char* der = nullptr;
  int len = i2d_PUBKEY(pkey, &der);
  const unsigned char* p = der;
  PkeyPtr pub(len > 0 ? d2i_PUBKEY(nullptr, &p, len) : nullptr);
  OPENSSL_free(der);
  if (!pub) return throwOperationError(isolate, "Failed to derive the public key.");
  preferUncompressed(pub.get());
  args.GetReturnValue().Set(wrapPkey(isolate, pub.release()));
}

// derive(privateHandle, publicHandle) -> ArrayBuffer: the ECDH / X25519 shared secret.
void opDerive(const Args& args) {
  v8::Isolate* isolate = args.GetIsolate();
  EVP_PKEY* priv = pkeyArg(args, 0);
  if (priv == nullptr) return;
  EVP_PKEY* pub = pkeyArg(args, 1);
  if (pub == nullptr) return;
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new(priv, nullptr));
  size_t len = 0;
  if (!ctx || EVP_PKEY_derive_init(ctx.get()) != 1 ||
      EVP_PKEY_derive_set_peer(ctx.get(), pub) != 1 ||
      EVP_PKEY_derive(ctx.get(), nullptr, &len) != 1) {
    return throwOperationError(isolate, "Failed to derive a shared secret.");
  }
  std::vector<uint8_t> out(len);
  if (EVP_PKEY_derive(ctx.get(), out.data(), &len) != 1) {
    return throwOperationError(isolate, "Failed to derive a shared secret.");
  }
  out.resize(len);
  args.GetReturnValue().Set(newBuffer(isolate, out));
}

}  // namespace pactown::bindings::crypto
