// Elliptic-curve ops for Web Crypto: NIST curves (ECDSA, ECDH: generate, raw points, JWK
// coordinates, signatures in IEEE P1363 r||s form) and the CFRG curves (Ed25519, X25519: generate,
// raw keys, EdDSA signatures).
// https://w3c.github.io/webcrypto/#ecdsa · RFC 7518 §6.2 (EC JWK) · RFC 8032 · RFC 7748
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/param_build.h>

#include <cstring>
#include <string>
#include <vector>

#include "bindings/crypto_ops.h"
#include "bindings/crypto_util.h"

namespace pactown::bindings::crypto {
namespace {

using ParamBldPtr = Owned<OSSL_PARAM_BLD, OSSL_PARAM_BLD_free>;
using GroupPtr = Owned<EC_GROUP, EC_GROUP_free>;
using PointPtr = Owned<EC_POINT, EC_POINT_free>;

struct Curve {
  const char* web;
  const char* group;
  int nid;
  size_t size;  // field and order size in bytes
};
constexpr Curve kCurves[] = {
    {"P-256", "prime256v1", NID_X9_62_prime256v1, 32},
    {"P-384", "secp384r1", NID_secp384r1, 48},
    {"P-521", "secp521r1", NID_secp521r1, 66},
};

const Curve* curveArg(const Args& args, int i) {
  std::string name = stringArg(args, i);
  for (const Curve& c : kCurves) {
    if (name == c.web) return &c;
  }
  throwDom(args.GetIsolate(), "NotSupportedError", "Unrecognized or unimplemented EC curve.");
  return nullptr;
}

const Curve* curveOf(EVP_PKEY* pkey) {
  const char* web = webCurveName(pkey);
  for (const Curve& c : kCurves) {
    if (web && std::string(web) == c.web) return &c;
  }
  return nullptr;
}

// Builds an EC key from a group, an encoded public point and an optional private scalar.
EVP_PKEY* ecFromData(const Curve& curve, const std::vector<uint8_t>& pub, const BIGNUM* priv) {
  ParamBldPtr bld(OSSL_PARAM_BLD_new());
  if (!bld ||
      OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, curve.group, 0) != 1 ||
      OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, pub.data(),
                                       pub.size()) != 1 ||
      (priv && OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_PRIV_KEY, priv) != 1)) {
    return nullptr;
  }
  OSSL_PARAM* params = OSSL_PARAM_BLD_to_param(bld.get());
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr));
  EVP_PKEY* pkey = nullptr;
  if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &pkey, priv ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY, params) !=
          1) {
    pkey = nullptr;
  }
  OSSL_PARAM_free(params);
  if (pkey) preferUncompressed(pkey);
  return pkey;
}

// The uncompressed point 04 || X || Y of a key, or empty on failure.
std::vector<uint8_t> uncompressedPoint(EVP_PKEY* pkey, const Curve& curve) {
  BIGNUM* x = nullptr;
  BIGNUM* y = nullptr;
  std::vector<uint8_t> out;
  if (EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_EC_PUB_X, &x) == 1 &&
      EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_EC_PUB_Y, &y) == 1) {
    std::vector<uint8_t> xb = bnBytes(x, curve.size), yb = bnBytes(y, curve.size);
    out.push_back(4);
    out.insert(out.end(), xb.begin(), xb.end());
    out.insert(out.end(), yb.begin(), yb.end());
  }
  BN_free(x);
  BN_free(y);
  return out;
}

std::vector<uint8_t> viewBytes(v8::Local<v8::Value> v) {
  std::vector<uint8_t> out;
  if (!v->IsArrayBufferView()) return out;
  v8::Local<v8::ArrayBufferView> view = v.As<v8::ArrayBufferView>();
  out.resize(view->ByteLength());
  if (!out.empty()) view->CopyContents(out.data(), out.size());
  return out;
}

// Encodings of the small-order points of edwards25519, canonical and not (y >= p), as listed in
// "Taming the many EdDSAs" (Chalkias et al., 2020), table 3. Web Crypto's Ed25519 verify returns
// false when the public key or R is one of them.
constexpr uint8_t kSmallOrder[][32] = {
    {0x01},
    {0xec, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
     0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
     0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f},
    {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
     0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x80},
    {0},
    {0xc7, 0x17, 0x6a, 0x70, 0x3d, 0x4d, 0xd8, 0x4f, 0xba, 0x3c, 0x0b,
     0x76, 0x0d, 0x10, 0x67, 0x0f, 0x2a, 0x20, 0x53, 0xfa, 0x2c, 0x39,
     0xcc, 0xc6, 0x4e, 0xc7, 0xfd, 0x77, 0x92, 0xac, 0x03, 0x7a},
    {0xc7, 0x17, 0x6a, 0x70, 0x3d, 0x4d, 0xd8, 0x4f, 0xba, 0x3c, 0x0b,
     0x76, 0x0d, 0x10, 0x67, 0x0f, 0x2a, 0x20, 0x53, 0xfa, 0x2c, 0x39,
     0xcc, 0xc6, 0x4e, 0xc7, 0xfd, 0x77, 0x92, 0xac, 0x03, 0xfa},
    {0x26, 0xe8, 0x95, 0x8f, 0xc2, 0xb2, 0x27, 0xb0, 0x45, 0xc3, 0xf4,
     0x89, 0xf2, 0xef, 0x98, 0xf0, 0xd5, 0xdf, 0xac, 0x05, 0xd3, 0xc6,
     0x33, 0x39, 0xb1, 0x38, 0x02, 0x88, 0x6d, 0x53, 0xfc, 0x05},
    {0x26, 0xe8, 0x95, 0x8f, 0xc2, 0xb2, 0x27, 0xb0, 0x45, 0xc3, 0xf4,
     0x89, 0xf2, 0xef, 0x98, 0xf0, 0xd5, 0xdf, 0xac, 0x05, 0xd3, 0xc6,
     0x33, 0x39, 0xb1, 0x38, 0x02, 0x88, 0x6d, 0x53, 0xfc, 0x85},
    {0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
     0,    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x80},
    {0xec, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
     0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
     0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff},
    {0xee, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
     0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
     0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f},
    {0xee, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
     0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
     0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff},
    {0xed, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
     0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
     0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff},
    {0xed, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
     0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
     0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f},
};

bool isSmallOrder(const uint8_t* point) {
  for (const auto& p : kSmallOrder) {
    if (memcmp(point, p, 32) == 0) return true;
  }
  return false;
}

int okpId(const std::string& kind) {
  if (kind == "Ed25519") return EVP_PKEY_ED25519;
  if (kind == "X25519") return EVP_PKEY_X25519;
  return 0;
}

}  // namespace

// ecGenerate(curve) -> private key handle
void opEcGenerate(const Args& args) {
  v8::Isolate* isolate = args.GetIsolate();
  const Curve* curve = curveArg(args, 0);
  if (curve == nullptr) return;
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr));
  EVP_PKEY* pkey = nullptr;
  if (!ctx || EVP_PKEY_keygen_init(ctx.get()) != 1 ||
      EVP_PKEY_CTX_set_group_name(ctx.get(), curve->group) != 1 ||
      EVP_PKEY_generate(ctx.get(), &pkey) != 1) {
    return throwOperationError(isolate, "EC key generation failed.");
  }
  preferUncompressed(pkey);
  args.GetReturnValue().Set(wrapPkey(isolate, pkey));
}

// ecImportRaw(curve, point) -> public key handle; compressed or uncompressed points.
void opEcImportRaw(const Args& args) {
  v8::Isolate* isolate = args.GetIsolate();
  const Curve* curve = curveArg(args, 0);
  Bytes point;
  if (curve == nullptr || !bytesArg(args, 1, &point)) return;
  bool uncompressed = point.size == 1 + 2 * curve->size && point.data[0] == 4;
  bool compressed = point.size == 1 + curve->size && (point.data[0] == 2 || point.data[0] == 3);
  EVP_PKEY* pkey = nullptr;
  if (uncompressed || compressed) {
    pkey = ecFromData(*curve, std::vector<uint8_t>(point.data, point.data + point.size), nullptr);
  }
  if (pkey == nullptr) return throwDataError(isolate, "Invalid EC public key point.");
  args.GetReturnValue().Set(wrapPkey(isolate, pkey));
}

// ecExportRaw(handle) -> ArrayBuffer holding the uncompressed point.
void opEcExportRaw(const Args& args) {
  v8::Isolate* isolate = args.GetIsolate();
  EVP_PKEY* pkey = pkeyArg(args, 0);
  if (pkey == nullptr) return;
  const Curve* curve = curveOf(pkey);
  std::vector<uint8_t> out = curve ? uncompressedPoint(pkey, *curve) : std::vector<uint8_t>();
  if (out.empty()) return throwOperationError(isolate, "Failed to export the EC point.");
  args.GetReturnValue().Set(newBuffer(isolate, out));
}

// ecImportJwk(curve, x, y, d?) -> handle. With `d`, the public point must match it.
void opEcImportJwk(const Args& args) {
  v8::Isolate* isolate = args.GetIsolate();
  const Curve* curve = curveArg(args, 0);
  if (curve == nullptr) return;
  std::vector<uint8_t> x = viewBytes(args[1]), y = viewBytes(args[2]);
  bool hasD = args[3]->IsArrayBufferView();
  std::vector<uint8_t> d = viewBytes(args[3]);
  if (x.size() != curve->size || y.size() != curve->size || (hasD && d.size() != curve->size)) {
    return throwDataError(isolate, "Invalid EC key in JSON Web Key: bad coordinate length.");
  }
  std::vector<uint8_t> pub{4};
  pub.insert(pub.end(), x.begin(), x.end());
  pub.insert(pub.end(), y.begin(), y.end());
  BnPtr priv;
  if (hasD) {
    priv.reset(BN_bin2bn(d.data(), static_cast<int>(d.size()), nullptr));
    GroupPtr group(EC_GROUP_new_by_curve_name(curve->nid));
    Owned<BN_CTX, BN_CTX_free> bnctx(BN_CTX_new());
    bool ok = priv && group && bnctx && !BN_is_zero(priv.get()) &&
              BN_cmp(priv.get(), EC_GROUP_get0_order(group.get())) < 0;
    PointPtr point(ok ? EC_POINT_new(group.get()) : nullptr);
    std::vector<uint8_t> derived(pub.size());
    ok = ok && point &&
         EC_POINT_mul(group.get(), point.get(), priv.get(), nullptr, nullptr, bnctx.get()) == 1 &&
         EC_POINT_point2oct(group.get(), point.get(), POINT_CONVERSION_UNCOMPRESSED, derived.data(),
                            derived.size(), bnctx.get()) == derived.size();
    if (!ok || derived != pub) {
      return throwDataError(isolate,
                            "Invalid EC key in JSON Web Key: the public key does not "
                            "match the private key.");
    }
  }
  EVP_PKEY* pkey = ecFromData(*curve, pub, priv.get());
  if (pkey == nullptr) return throwDataError(isolate, "Invalid EC key in JSON Web Key.");
  args.GetReturnValue().Set(wrapPkey(isolate, pkey));
}

// ecExportJwk(handle) -> {x, y, d?} of ArrayBuffer (fixed-width big-endian).
void opEcExportJwk(const Args& args) {
  v8::Isolate* isolate = args.GetIsolate();
  EVP_PKEY* pkey = pkeyArg(args, 0);
  if (pkey == nullptr) return;
  const Curve* curve = curveOf(pkey);
  std::vector<uint8_t> point = curve ? uncompressedPoint(pkey, *curve) : std::vector<uint8_t>();
  if (point.empty()) return throwOperationError(isolate, "Failed to export the EC key.");
  v8::Local<v8::Object> out = v8::Object::New(isolate);
  setProp(isolate, out, "x", newBuffer(isolate, point.data() + 1, curve->size));
  setProp(isolate, out, "y", newBuffer(isolate, point.data() + 1 + curve->size, curve->size));
  BIGNUM* d = nullptr;
  if (EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_PRIV_KEY, &d) == 1) {
    setProp(isolate, out, "d", newBuffer(isolate, bnBytes(d, curve->size)));
    BN_clear_free(d);
  }
  clearErrors();
  args.GetReturnValue().Set(out);
}

// ecdsaSign(handle, hash, data) -> ArrayBuffer r || s, each padded to the curve size.
void opEcdsaSign(const Args& args) {
  v8::Isolate* isolate = args.GetIsolate();
  EVP_PKEY* pkey = pkeyArg(args, 0);
  if (pkey == nullptr) return;
  const EVP_MD* md = digestByName(stringArg(args, 1));
  Bytes data;
  if (md == nullptr) return throwDom(isolate, "NotSupportedError", "Unrecognized hash.");
  if (!bytesArg(args, 2, &data)) return;
  const Curve* curve = curveOf(pkey);
  MdCtxPtr ctx(EVP_MD_CTX_new());
  size_t len = 0;
  if (!curve || !ctx || EVP_DigestSignInit(ctx.get(), nullptr, md, nullptr, pkey) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &len, data.ptr(), data.size) != 1) {
    return throwOperationError(isolate, "ECDSA signing failed.");
  }
  std::vector<uint8_t> der(len);
  if (EVP_DigestSign(ctx.get(), der.data(), &len, data.ptr(), data.size) != 1) {
    return throwOperationError(isolate, "ECDSA signing failed.");
  }
  const unsigned char* p = der.data();
  ECDSA_SIG* sig = d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(len));
  if (sig == nullptr) return throwOperationError(isolate, "ECDSA signing failed.");
  std::vector<uint8_t> r = bnBytes(ECDSA_SIG_get0_r(sig), curve->size);
  std::vector<uint8_t> s = bnBytes(ECDSA_SIG_get0_s(sig), curve->size);
  ECDSA_SIG_free(sig);
  r.insert(r.end(), s.begin(), s.end());
  args.GetReturnValue().Set(newBuffer(isolate, r));
}

// ecdsaVerify(handle, hash, signature, data) -> bool
void opEcdsaVerify(const Args& args) {
  v8::Isolate* isolate = args.GetIsolate();
  EVP_PKEY* pkey = pkeyArg(args, 0);
  if (pkey == nullptr) return;
  const EVP_MD* md = digestByName(stringArg(args, 1));
  Bytes sig, data;
  if (md == nullptr) return throwDom(isolate, "NotSupportedError", "Unrecognized hash.");
  if (!bytesArg(args, 2, &sig) || !bytesArg(args, 3, &data)) return;
  const Curve* curve = curveOf(pkey);
  if (curve == nullptr || sig.size != 2 * curve->size) return args.GetReturnValue().Set(false);
  ECDSA_SIG* esig = ECDSA_SIG_new();
  BIGNUM* r = BN_bin2bn(sig.data, static_cast<int>(curve->size), nullptr);
  BIGNUM* s = BN_bin2bn(sig.data + curve->size, static_cast<int>(curve->size), nullptr);
  unsigned char* der = nullptr;
  int derLen = -1;
  if (esig && r && s && ECDSA_SIG_set0(esig, r, s) == 1) {
    derLen = i2d_ECDSA_SIG(esig, &der);
  } else {
    BN_free(r);
    BN_free(s);
  }
  ECDSA_SIG_free(esig);
  MdCtxPtr ctx(EVP_MD_CTX_new());
  bool ok =
      derLen > 0 && ctx && EVP_DigestVerifyInit(ctx.get(), nullptr, md, nullptr, pkey) == 1 &&
      EVP_DigestVerify(ctx.get(), der, static_cast<size_t>(derLen), data.ptr(), data.size) == 1;
  OPENSSL_free(der);
  clearErrors();
  args.GetReturnValue().Set(ok);
}

// okpGenerate(kind: "Ed25519" | "X25519") -> private key handle
void opOkpGenerate(const Args& args) {
  v8::Isolate* isolate = args.GetIsolate();
  int id = okpId(stringArg(args, 0));
  PkeyCtxPtr ctx(id ? EVP_PKEY_CTX_new_id(id, nullptr) : nullptr);
  EVP_PKEY* pkey = nullptr;
  if (!ctx || EVP_PKEY_keygen_init(ctx.get()) != 1 || EVP_PKEY_generate(ctx.get(), &pkey) != 1) {
    return throwOperationError(isolate, "Key generation failed.");
  }
  args.GetReturnValue().Set(wrapPkey(isolate, pkey));
}

// okpImportRaw(kind, bytes, isPrivate) -> handle; DataError unless exactly 32 bytes.
void opOkpImportRaw(const Args& args) {
  v8::Isolate* isolate = args.GetIsolate();
  int id = okpId(stringArg(args, 0));
  Bytes raw;
  if (!bytesArg(args, 1, &raw)) return;
  bool isPrivate = args[2]->BooleanValue(isolate);
  EVP_PKEY* pkey = nullptr;
  if (id && raw.size == 32) {
    pkey = isPrivate ? EVP_PKEY_new_raw_private_key(id, nullptr, raw.data, raw.size)
                     : EVP_PKEY_new_raw_public_key(id, nullptr, raw.data, raw.size);
  }
  if (pkey == nullptr) return throwDataError(isolate, "Invalid key length.");
  args.GetReturnValue().Set(wrapPkey(isolate, pkey));
}

// okpExportRaw(handle, private) -> ArrayBuffer: the raw public key, or the private seed/scalar.
void opOkpExportRaw(const Args& args) {
  v8::Isolate* isolate = args.GetIsolate();
  EVP_PKEY* pkey = pkeyArg(args, 0);
  if (pkey == nullptr) return;
  bool isPrivate = args[1]->BooleanValue(isolate);
  uint8_t out[64];
  size_t len = sizeof out;
  int ok = isPrivate ? EVP_PKEY_get_raw_private_key(pkey, out, &len)
                     : EVP_PKEY_get_raw_public_key(pkey, out, &len);
  if (ok != 1) return throwOperationError(isolate, "Failed to export the raw key.");
  args.GetReturnValue().Set(newBuffer(isolate, out, len));
}

// ed25519Sign(handle, data) -> ArrayBuffer (64 bytes)
void opEd25519Sign(const Args& args) {
  v8::Isolate* isolate = args.GetIsolate();
  EVP_PKEY* pkey = pkeyArg(args, 0);
  Bytes data;
  if (pkey == nullptr || !bytesArg(args, 1, &data)) return;
  MdCtxPtr ctx(EVP_MD_CTX_new());
  uint8_t sig[64];
  size_t len = sizeof sig;
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, pkey) != 1 ||
      EVP_DigestSign(ctx.get(), sig, &len, data.ptr(), data.size) != 1) {
    return throwOperationError(isolate, "Ed25519 signing failed.");
  }
  args.GetReturnValue().Set(newBuffer(isolate, sig, len));
}

// ed25519Verify(handle, signature, data) -> bool
void opEd25519Verify(const Args& args) {
  EVP_PKEY* pkey = pkeyArg(args, 0);
  Bytes sig, data;
  if (pkey == nullptr || !bytesArg(args, 1, &sig) || !bytesArg(args, 2, &data)) return;
  uint8_t pub[32];
  size_t pubLen = sizeof pub;
  if (sig.size != 64 || EVP_PKEY_get_raw_public_key(pkey, pub, &pubLen) != 1 || pubLen != 32 ||
      isSmallOrder(pub) || isSmallOrder(sig.data)) {
    clearErrors();
    return args.GetReturnValue().Set(false);
  }
  MdCtxPtr ctx(EVP_MD_CTX_new());
  bool ok = ctx && EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, pkey) == 1 &&
            EVP_DigestVerify(ctx.get(), sig.data, sig.size, data.ptr(), data.size) == 1;
  clearErrors();
  args.GetReturnValue().Set(ok);
}

}  // namespace pactown::bindings::crypto
