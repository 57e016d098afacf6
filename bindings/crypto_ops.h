// The Web Crypto op functions, one definition per bindings/crypto_*.cc file, gathered into the
// `crypto` op table by crypto_ops.cc. Built-in JS (js/31_subtle*.js, js/32_subtle_*.js) is the only
// caller: it validates and normalizes arguments per the Web Crypto spec and copies buffer sources
// before calling. Ops throw DOMExceptions (OperationError, DataError, NotSupportedError) or
// TypeErrors themselves. Signatures are documented beside each definition.
#pragma once

#include <openssl/evp.h>

#include "bindings/crypto_util.h"

namespace pactown::bindings::crypto {

// crypto_hash.cc
void opDigest(const Args& args);
void opDigestInit(const Args& args);
void opDigestUpdate(const Args& args);
void opDigestFinal(const Args& args);
void opCrcUpdate(const Args& args);
void opTimingSafeEqual(const Args& args);
void opHmac(const Args& args);
void opPbkdf2(const Args& args);
void opHkdf(const Args& args);

// crypto_aes.cc
void opAesCbc(const Args& args);
void opAesCtr(const Args& args);
void opAesGcm(const Args& args);
void opAesKw(const Args& args);

// crypto_keys.cc
void opKeyImportSpki(const Args& args);
void opKeyImportPkcs8(const Args& args);
void opKeyExportSpki(const Args& args);
void opKeyExportPkcs8(const Args& args);
void opKeyDetails(const Args& args);
void opKeyPublic(const Args& args);
void opDerive(const Args& args);
// "P-256" / "P-384" / "P-521" for a NIST-curve EC key, else nullptr.
const char* webCurveName(EVP_PKEY* pkey);
// Makes an EC key encode its public point uncompressed (spki/raw exports); no-op for others.
void preferUncompressed(EVP_PKEY* pkey);

// crypto_rsa.cc
void opRsaGenerate(const Args& args);
void opRsaImportJwk(const Args& args);
void opRsaExportJwk(const Args& args);
void opRsaSign(const Args& args);
void opRsaVerify(const Args& args);
void opRsaOaep(const Args& args);

// crypto_ec.cc
void opEcGenerate(const Args& args);
void opEcImportRaw(const Args& args);
void opEcExportRaw(const Args& args);
void opEcImportJwk(const Args& args);
void opEcExportJwk(const Args& args);
void opEcdsaSign(const Args& args);
void opEcdsaVerify(const Args& args);
void opOkpGenerate(const Args& args);
void opOkpImportRaw(const Args& args);
void opOkpExportRaw(const Args& args);
void opEd25519Sign(const Args& args);
void opEd25519Verify(const Args& args);

}  // namespace pactown::bindings::crypto
