// The `crypto` op table: every Web Crypto op, implemented in bindings/crypto_*.cc.
#include "bindings/crypto_ops.h"

#include "bindings/op.h"

namespace pactown::bindings {
namespace c = crypto;
}  // namespace pactown::bindings

// clang-format off
PT_OP_TABLE(crypto,
            {"cryptoDigest", c::opDigest},
            {"cryptoDigestInit", c::opDigestInit},
            {"cryptoDigestUpdate", c::opDigestUpdate},
            {"cryptoDigestFinal", c::opDigestFinal},
            {"cryptoCrcUpdate", c::opCrcUpdate},
            {"cryptoTimingSafeEqual", c::opTimingSafeEqual},
            {"cryptoHmac", c::opHmac},
            {"cryptoPbkdf2", c::opPbkdf2},
            {"cryptoHkdf", c::opHkdf},
            {"cryptoAesCbc", c::opAesCbc},
            {"cryptoAesCtr", c::opAesCtr},
            {"cryptoAesGcm", c::opAesGcm},
            {"cryptoAesKw", c::opAesKw},
            {"cryptoKeyImportSpki", c::opKeyImportSpki},
            {"cryptoKeyImportPkcs8", c::opKeyImportPkcs8},
            {"cryptoKeyExportSpki", c::opKeyExportSpki},
            {"cryptoKeyExportPkcs8", c::opKeyExportPkcs8},
            {"cryptoKeyDetails", c::opKeyDetails},
            {"cryptoKeyPublic", c::opKeyPublic},
            {"cryptoDerive", c::opDerive},
            {"cryptoRsaGenerate", c::opRsaGenerate},
            {"cryptoRsaImportJwk", c::opRsaImportJwk},
            {"cryptoRsaExportJwk", c::opRsaExportJwk},
            {"cryptoRsaSign", c::opRsaSign},
            {"cryptoRsaVerify", c::opRsaVerify},
            {"cryptoRsaOaep", c::opRsaOaep},
            {"cryptoEcGenerate", c::opEcGenerate},
            {"cryptoEcImportRaw", c::opEcImportRaw},
            {"cryptoEcExportRaw", c::opEcExportRaw},
            {"cryptoEcImportJwk", c::opEcImportJwk},
            {"cryptoEcExportJwk", c::opEcExportJwk},
            {"cryptoEcdsaSign", c::opEcdsaSign},
            {"cryptoEcdsaVerify", c::opEcdsaVerify},
            {"cryptoOkpGenerate", c::opOkpGenerate},
            {"cryptoOkpImportRaw", c::opOkpImportRaw},
            {"cryptoOkpExportRaw", c::opOkpExportRaw},
            {"cryptoEd25519Sign", c::opEd25519Sign},
            {"cryptoEd25519Verify", c::opEd25519Verify})
// clang-format on
