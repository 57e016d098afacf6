// RSA ops for Web Crypto: key generation, JWK components in and out, RSASSA-PKCS1-v1_5 and
// RSA-PSS signatures, RSA-OAEP encryption.
// https://w3c.github.io/webcrypto/#rsassa-pkcs1 · RFC 8017 · RFC 7518 §6.3 (RSA JWK)
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/rsa.h>

#include <string>
#include <vector>

#include "bindings/crypto_ops.h"
#include "bindings/crypto_util.h"

namespace pactown::bindings::crypto {
namespace {

using ParamBldPtr = Owned<OSSL_PARAM_BLD, OSSL_PARAM_BLD_free>;

const EVP_MD* hashArg(const Args& args, int i) {
  const EVP_MD* md = digestByName(stringArg(args, i));
  if (md == nullptr) throwDom(args.GetIsolate(), "NotSupportedError", "Unrecognized hash.");
  return md;
}

// The JWK members of an RSA key, in RFC 7518 order, with their OpenSSL parameter names.
struct RsaMember {
  const char* jwk;
  const char* param;
};
constexpr RsaMember kRsaMembers[] = {
    {"n", OSSL_PKEY_PARAM_RSA_N},          {"e", OSSL_PKEY_PARAM_RSA_E},
    {"d", OSSL_PKEY_PARAM_RSA_D},          {"p", OSSL_PKEY_PARAM_RSA_FACTOR1},
    {"q", OSSL_PKEY_PARAM_RSA_FACTOR2},    {"dp", OSSL_PKEY_PARAM_RSA_EXPONENT1},
    {"dq", OSSL_PKEY_PARAM_RSA_EXPONENT2}, {"qi", OSSL_PKEY_PARAM_RSA_COEFFICIENT1},
};

// Sets up padding, salt length and MGF1 hash on a signing/verifying context.
bool configureSignature(EVP_PKEY_CTX* pctx, bool pss, const EVP_MD* md, int saltLength) {
  if (!pss) return EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) == 1;
  return EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) == 1 &&
         EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, saltLength) == 1 &&
         EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, md) == 1;
}

// n = p·q, dp = d mod (p-1), dq = d mod (q-1), qi·q ≡ 1 (mod p): cheap checks, unlike a full
// primality-testing key check. `bns` is n, e, d, p, q, dp, dq, qi.
bool crtConsistent(const std::vector<BnPtr>& bns) {
  const BIGNUM *n = bns[0].get(), *d = bns[2].get(), *p = bns[3].get(), *q = bns[4].get();
  const BIGNUM *dp = bns[5].get(), *dq = bns[6].get(), *qi = bns[7].get();
  Owned<BN_CTX, BN_CTX_free> ctx(BN_CTX_new());
  BnPtr t(BN_new()), pm1(BN_dup(p)), qm1(BN_dup(q));
  if (!ctx || !t || !pm1 || !qm1 || BN_is_zero(p) || BN_is_zero(q)) return false;
  if (BN_mul(t.get(), p, q, ctx.get()) != 1 || BN_cmp(t.get(), n) != 0) return false;
  if (BN_sub_word(pm1.get(), 1) != 1 || BN_sub_word(qm1.get(), 1) != 1) return false;
  if (BN_mod(t.get(), d, pm1.get(), ctx.get()) != 1 || BN_cmp(t.get(), dp) != 0) return false;
  if (BN_mod(t.get(), d, qm1.get(), ctx.get()) != 1 || BN_cmp(t.get(), dq) != 0) return false;
  return BN_mod_mul(t.get(), qi, q, p, ctx.get()) == 1 && BN_is_one(t.get());
}

}  // namespace

// rsaGenerate(modulusLength, publicExponentBytes) -> private key handle
void opRsaGenerate(const Args& args) {
  v8::Isolate* isolate = args.GetIsolate();
  double bits = args[0]->NumberValue(isolate->GetCurrentContext()).FromMaybe(0);
  Bytes exponent;
  if (!bytesArg(args, 1, &exponent)) return;
  BnPtr e(BN_bin2bn(exponent.ptr(), static_cast<int>(exponent.size), nullptr));
  // Only odd exponents from 3 up to 2^32+1 (what browsers accept; F4 = 65537 in practice).
  if (!e || !BN_is_odd(e.get()) || BN_is_one(e.get()) || BN_num_bits(e.get()) > 33) {
    return throwOperationError(isolate, "The RSA public exponent is invalid.");
  }
  if (bits < 256 || bits > 16384 || static_cast<int>(bits) % 8 != 0) {
    return throwOperationError(isolate, "The RSA modulus length is invalid.");
  }
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr));
  EVP_PKEY* pkey = nullptr;
  if (!ctx || EVP_PKEY_keygen_init(ctx.get()) != 1 ||
      EVP_PKEY_CTX_set_rsa_keygen_bits(ctx.get(), static_cast<int>(bits)) != 1 ||
      EVP_PKEY_CTX_set1_rsa_keygen_pubexp(ctx.get(), e.get()) != 1 ||
      EVP_PKEY_generate(ctx.get(), &pkey) != 1) {
    return throwOperationError(isolate, "RSA key generation failed.");
  }
  args.GetReturnValue().Set(wrapPkey(isolate, pkey));
}

// rsaImportJwk({n, e, d?, p?, q?, dp?, dq?, qi?} of Uint8Array) -> handle. A private key needs all
// eight members (the caller checks); DataError if OpenSSL rejects them.
void opRsaImportJwk(const Args& args) {
  v8::Isolate* isolate = args.GetIsolate();
  if (!args[0]->IsObject()) return throwDataError(isolate, "Invalid RSA JWK.");
  v8::Local<v8::Object> jwk = args[0].As<v8::Object>();
  ParamBldPtr bld(OSSL_PARAM_BLD_new());
  std::vector<BnPtr> bns;
  bns.reserve(8);
  bool isPrivate = false;
  for (const RsaMember& m : kRsaMembers) {
    v8::Local<v8::Value> v = getProp(isolate, jwk, m.jwk);
    if (v->IsUndefined()) continue;
    if (!v->IsArrayBufferView()) return throwDataError(isolate, "Invalid RSA JWK member.");
    v8::Local<v8::ArrayBufferView> view = v.As<v8::ArrayBufferView>();
    std::vector<uint8_t> bytes(view->ByteLength());
    view->CopyContents(bytes.data(), bytes.size());
    bns.emplace_back(BN_bin2bn(bytes.data(), static_cast<int>(bytes.size()), nullptr));
    if (!bns.back() || OSSL_PARAM_BLD_push_BN(bld.get(), m.param, bns.back().get()) != 1) {
      return throwDataError(isolate, "Invalid RSA JWK member.");
    }
    if (std::string(m.jwk) == "d") isPrivate = true;
  }
  OSSL_PARAM* params = OSSL_PARAM_BLD_to_param(bld.get());
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr));
  EVP_PKEY* pkey = nullptr;
  bool ok = params && ctx && EVP_PKEY_fromdata_init(ctx.get()) == 1 &&
            EVP_PKEY_fromdata(ctx.get(), &pkey, isPrivate ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY,
                              params) == 1;
  OSSL_PARAM_free(params);
  // Reject inconsistent CRT components instead of producing wrong signatures later.
  if (ok && isPrivate) ok = bns.size() == 8 && crtConsistent(bns);
  if (!ok) {
    EVP_PKEY_free(pkey);
    return throwDataError(isolate, "Invalid RSA key in JSON Web Key.");
  }
  clearErrors();
  args.GetReturnValue().Set(wrapPkey(isolate, pkey));
}

// rsaExportJwk(handle) -> {n, e, d?, p?, q?, dp?, dq?, qi?} of ArrayBuffer
void opRsaExportJwk(const Args& args) {
  v8::Isolate* isolate = args.GetIsolate();
  EVP_PKEY* pkey = pkeyArg(args, 0);
  if (pkey == nullptr) return;
  v8::Local<v8::Object> out = v8::Object::New(isolate);
  for (const RsaMember& m : kRsaMembers) {
    BIGNUM* bn = nullptr;
    if (EVP_PKEY_get_bn_param(pkey, m.param, &bn) != 1) continue;
    setProp(isolate, out, m.jwk, newBuffer(isolate, bnBytes(bn)));
    BN_clear_free(bn);
  }
  clearErrors();
  args.GetReturnValue().Set(out);
}

// rsaSign(handle, pss, hash, saltLength, data) -> ArrayBuffer
void opRsaSign(const Args& args) {
  v8::Isolate* isolate = args.GetIsolate();
  EVP_PKEY* pkey = pkeyArg(args, 0);
  if (pkey == nullptr) return;
  bool pss = args[1]->BooleanValue(isolate);
  const EVP_MD* md = hashArg(args, 2);
  int saltLength =
      static_cast<int>(args[3]->NumberValue(isolate->GetCurrentContext()).FromMaybe(0));
  Bytes data;
  if (md == nullptr || !bytesArg(args, 4, &data)) return;
  MdCtxPtr ctx(EVP_MD_CTX_new());
  EVP_PKEY_CTX* pctx = nullptr;
  size_t len = 0;
  if (!ctx || EVP_DigestSignInit(ctx.get(), &pctx, md, nullptr, pkey) != 1 ||
      !configureSignature(pctx, pss, md, saltLength) ||
      EVP_DigestSign(ctx.get(), nullptr, &len, data.ptr(), data.size) != 1) {
    return throwOperationError(isolate, "RSA signing failed.");
  }
  std::vector<uint8_t> sig(len);
  if (EVP_DigestSign(ctx.get(), sig.data(), &len, data.ptr(), data.size) != 1) {
    return throwOperationError(isolate, "RSA signing failed.");
  }
  sig.resize(len);
  args.GetReturnValue().Set(newBuffer(isolate, sig));
}

// rsaVerify(handle, pss, hash, saltLength, signature, data) -> bool
void opRsaVerify(const Args& args) {
  v8::Isolate* isolate = args.GetIsolate();
  EVP_PKEY* pkey = pkeyArg(args, 0);
  if (pkey == nullptr) return;
  bool pss = args[1]->BooleanValue(isolate);
  const EVP_MD* md = hashArg(args, 2);
  int saltLength =
      static_cast<int>(args[3]->NumberValue(isolate->GetCurrentContext()).FromMaybe(0));
  Bytes sig, data;
  if (md == nullptr || !bytesArg(args, 4, &sig) || !bytesArg(args, 5, &data)) return;
  MdCtxPtr ctx(EVP_MD_CTX_new());
  EVP_PKEY_CTX* pctx = nullptr;
  bool ok = ctx && EVP_DigestVerifyInit(ctx.get(), &pctx, md, nullptr, pkey) == 1 &&
            configureSignature(pctx, pss, md, saltLength) &&
            EVP_DigestVerify(ctx.get(), sig.ptr(), sig.size, data.ptr(), data.size) == 1;
  clearErrors();
  args.GetReturnValue().Set(ok);
}

// rsaOaep(encrypt, handle, hash, label, data) -> ArrayBuffer
void opRsaOaep(const Args& args) {
  v8::Isolate* isolate = args.GetIsolate();
  bool encrypt = args[0]->BooleanValue(isolate);
  EVP_PKEY* pkey = pkeyArg(args, 1);
  if (pkey == nullptr) return;
  const EVP_MD* md = hashArg(args, 2);
  Bytes label, data;
  if (md == nullptr || !optionalBytesArg(args, 3, &label) || !bytesArg(args, 4, &data)) return;
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new(pkey, nullptr));
  bool ok = ctx &&
            (encrypt ? EVP_PKEY_encrypt_init(ctx.get()) : EVP_PKEY_decrypt_init(ctx.get())) == 1 &&
            EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_OAEP_PADDING) == 1 &&
            EVP_PKEY_CTX_set_rsa_oaep_md(ctx.get(), md) == 1 &&
            EVP_PKEY_CTX_set_rsa_mgf1_md(ctx.get(), md) == 1;
  if (ok && label.size > 0) {
    void* copy = OPENSSL_memdup(label.data, label.size);
    ok = copy != nullptr &&
         EVP_PKEY_CTX_set0_rsa_oaep_label(ctx.get(), copy, static_cast<int>(label.size)) == 1;
    if (!ok) OPENSSL_free(copy);
  }
  size_t len = 0;
  auto run = [&](uint8_t* out, size_t* outLen) {
    return encrypt ? EVP_PKEY_encrypt(ctx.get(), out, outLen, data.ptr(), data.size)
                   : EVP_PKEY_decrypt(ctx.get(), out, outLen, data.ptr(), data.size);
  };
  if (ok) ok = run(nullptr, &len) == 1;
  std::vector<uint8_t> out(len);
  if (ok) ok = run(out.data(), &len) == 1;
  if (!ok) {
    return throwOperationError(
        isolate, encrypt ? "RSA-OAEP encryption failed." : "RSA-OAEP decryption failed.");
  }
  out.resize(len);
  args.GetReturnValue().Set(newBuffer(isolate, out));
}

}  // namespace pactown::bindings::crypto
