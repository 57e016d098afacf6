// AES ops for Web Crypto: CBC (PKCS#7 padding), CTR (counter block with a `length`-bit counter),
// GCM, KW (RFC 3394). Keys are raw bytes; the caller (js/32_subtle_aes.js) validates key, IV and
// parameter sizes and turns our OperationErrors into rejections.
// https://w3c.github.io/webcrypto/#aes-ctr · NIST SP 800-38A/38D · RFC 3394
#include <openssl/evp.h>

#include <cstring>

#include "bindings/crypto_ops.h"
#include "bindings/crypto_util.h"

namespace pactown::bindings::crypto {
namespace {

const EVP_CIPHER* aesCipher(size_t keySize, const char* mode) {
  std::string m(mode);
  if (m == "cbc") {
    if (keySize == 16) return EVP_aes_128_cbc();
    if (keySize == 24) return EVP_aes_192_cbc();
    if (keySize == 32) return EVP_aes_256_cbc();
  } else if (m == "ctr") {
    if (keySize == 16) return EVP_aes_128_ctr();
    if (keySize == 24) return EVP_aes_192_ctr();
    if (keySize == 32) return EVP_aes_256_ctr();
  } else if (m == "gcm") {
    if (keySize == 16) return EVP_aes_128_gcm();
    if (keySize == 24) return EVP_aes_192_gcm();
    if (keySize == 32) return EVP_aes_256_gcm();
  } else if (m == "kw") {
    if (keySize == 16) return EVP_aes_128_wrap();
    if (keySize == 24) return EVP_aes_192_wrap();
    if (keySize == 32) return EVP_aes_256_wrap();
  }
  return nullptr;
}

// Runs `in` through an initialized context into `out` (appended), including the final block.
bool runCipher(EVP_CIPHER_CTX* ctx, const uint8_t* in, size_t inLen, std::vector<uint8_t>* out) {
  size_t start = out->size();
  out->resize(start + inLen + EVP_MAX_BLOCK_LENGTH);
  int len = 0;
  int total = 0;
  // EVP_CipherUpdate takes an int length: feed large inputs in pieces.
  constexpr size_t kChunk = 1 << 30;
  for (size_t off = 0; off < inLen; off += kChunk) {
    size_t n = std::min(kChunk, inLen - off);
    if (EVP_CipherUpdate(ctx, out->data() + start + total, &len, in + off, static_cast<int>(n)) !=
        1) {
      return false;
    }
    total += len;
  }
  if (EVP_CipherFinal_ex(ctx, out->data() + start + total, &len) != 1) return false;
  total += len;
  out->resize(start + static_cast<size_t>(total));
  return true;
}

bool ctrSegment(const EVP_CIPHER* cipher, const Bytes& key, const uint8_t counter[16],
                const uint8_t* in, size_t len, std::vector<uint8_t>* out) {
  CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
  return ctx && EVP_CipherInit_ex(ctx.get(), cipher, nullptr, key.data, counter, 1) == 1 &&
         runCipher(ctx.get(), in, len, out);
}

}  // namespace

// aesCbc(encrypt, key, iv, data) -> ArrayBuffer
void opAesCbc(const Args& args) {
  v8::Isolate* isolate = args.GetIsolate();
  bool encrypt = args[0]->BooleanValue(isolate);
  Bytes key, iv, data;
  if (!bytesArg(args, 1, &key) || !bytesArg(args, 2, &iv) || !bytesArg(args, 3, &data)) return;
  const EVP_CIPHER* cipher = aesCipher(key.size, "cbc");
  if (cipher == nullptr || iv.size != 16)
    return throwOperationError(isolate, "Invalid AES-CBC key or IV.");
  CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
  std::vector<uint8_t> out;
  if (!ctx || EVP_CipherInit_ex(ctx.get(), cipher, nullptr, key.data, iv.data, encrypt) != 1 ||
      !runCipher(ctx.get(), data.ptr(), data.size, &out)) {
    return throwOperationError(isolate, encrypt
                                            ? "Encryption failed."
                                            : "Decryption failed. Bad padding or incorrect key.");
  }
  args.GetReturnValue().Set(newBuffer(isolate, out));
}

// aesCtr(key, counterBlock, counterLengthBits, data) -> ArrayBuffer (encrypt and decrypt alike).
// Only the rightmost `length` bits of the counter block increment; they wrap to zero without
// carrying into the nonce bits.
void opAesCtr(const Args& args) {
  v8::Isolate* isolate = args.GetIsolate();
  Bytes key, counter, data;
  if (!bytesArg(args, 0, &key) || !bytesArg(args, 1, &counter) || !bytesArg(args, 3, &data)) return;
  int length = static_cast<int>(args[2]->NumberValue(isolate->GetCurrentContext()).FromMaybe(0));
  const EVP_CIPHER* cipher = aesCipher(key.size, "ctr");
  if (cipher == nullptr || counter.size != 16 || length < 1 || length > 128) {
    return throwOperationError(isolate, "Invalid AES-CTR key, counter or length.");
  }
  using u128 = unsigned __int128;
  u128 block = 0;
  for (int i = 0; i < 16; i++) block = (block << 8) | counter.data[i];
  u128 mask = length == 128 ? ~static_cast<u128>(0) : ((static_cast<u128>(1) << length) - 1);
  u128 low = block & mask;
  u128 blocks = (static_cast<u128>(data.size) + 15) / 16;
  // Counter values available before the counter wraps to zero (0 means 2^128: never).
  u128 beforeWrap = mask - low + 1;
  if (length < 128 && blocks > mask + 1) {
    return throwOperationError(isolate, "The AES-CTR counter would repeat for this input length.");
  }
  std::vector<uint8_t> out;
  out.reserve(data.size);
  uint8_t ctr[16];
  memcpy(ctr, counter.data, 16);
  if (beforeWrap == 0 || blocks <= beforeWrap) {
    if (!ctrSegment(cipher, key, ctr, data.ptr(), data.size, &out)) {
      return throwOperationError(isolate, "AES-CTR operation failed.");
    }
  } else {
    size_t first = static_cast<size_t>(beforeWrap) * 16;
    u128 wrapped = block & ~mask;
    uint8_t ctr2[16];
    for (int i = 15; i >= 0; i--, wrapped >>= 8) ctr2[i] = static_cast<uint8_t>(wrapped & 0xff);
    if (!ctrSegment(cipher, key, ctr, data.ptr(), first, &out) ||
        !ctrSegment(cipher, key, ctr2, data.ptr() + first, data.size - first, &out)) {
      return throwOperationError(isolate, "AES-CTR operation failed.");
    }
  }
  args.GetReturnValue().Set(newBuffer(isolate, out));
}

// aesGcm(encrypt, key, iv, additionalData, tagLengthBits, data) -> ArrayBuffer
// Encrypt returns ciphertext || tag; decrypt expects the same layout.
void opAesGcm(const Args& args) {
  v8::Isolate* isolate = args.GetIsolate();
  bool encrypt = args[0]->BooleanValue(isolate);
  Bytes key, iv, aad, data;
  if (!bytesArg(args, 1, &key) || !bytesArg(args, 2, &iv) || !optionalBytesArg(args, 3, &aad) ||
      !bytesArg(args, 5, &data)) {
    return;
  }
  int tagBits = static_cast<int>(args[4]->NumberValue(isolate->GetCurrentContext()).FromMaybe(0));
  size_t tagLen = static_cast<size_t>(tagBits / 8);
  const EVP_CIPHER* cipher = aesCipher(key.size, "gcm");
  if (cipher == nullptr || iv.size == 0 || iv.size > 0x7fffffff || tagLen < 4 || tagLen > 16) {
    return throwOperationError(isolate, "Invalid AES-GCM key, IV or tag length.");
  }
  if (!encrypt && data.size < tagLen) {
    return throwOperationError(isolate, "The provided data is too small.");
  }
  size_t bodyLen = encrypt ? data.size : data.size - tagLen;
  CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
  int len = 0;
  std::vector<uint8_t> out;
  bool ok = ctx && EVP_CipherInit_ex(ctx.get(), cipher, nullptr, nullptr, nullptr, encrypt) == 1 &&
            EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, static_cast<int>(iv.size),
                                nullptr) == 1 &&
            EVP_CipherInit_ex(ctx.get(), nullptr, nullptr, key.data, iv.data, encrypt) == 1;
  if (ok && aad.size > 0) {
    ok = EVP_CipherUpdate(ctx.get(), nullptr, &len, aad.data, static_cast<int>(aad.size)) == 1;
  }
  if (ok && !encrypt) {
    ok = EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, static_cast<int>(tagLen),
                             const_cast<uint8_t*>(data.data + bodyLen)) == 1;
  }
  if (ok) ok = runCipher(ctx.get(), data.ptr(), bodyLen, &out);
  if (ok && encrypt) {
    size_t n = out.size();
    out.resize(n + tagLen);
    ok = EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, static_cast<int>(tagLen),
                             out.data() + n) == 1;
  }
  if (!ok) {
    return throwOperationError(
        isolate, encrypt
                     ? "Encryption failed."
                     : "Decryption failed. This could be due to a ciphertext authentication "
                       "failure, bad padding, incorrect CryptoKey, or another algorithm-specific "
                       "reason.");
  }
  args.GetReturnValue().Set(newBuffer(isolate, out));
}

// aesKw(wrap, key, data) -> ArrayBuffer
void opAesKw(const Args& args) {
  v8::Isolate* isolate = args.GetIsolate();
  bool wrap = args[0]->BooleanValue(isolate);
  Bytes key, data;
  if (!bytesArg(args, 1, &key) || !bytesArg(args, 2, &data)) return;
  const EVP_CIPHER* cipher = aesCipher(key.size, "kw");
  if (cipher == nullptr) return throwOperationError(isolate, "Invalid AES-KW key.");
  if (data.size % 8 != 0 || data.size < (wrap ? 16u : 24u)) {
    return throwOperationError(
        isolate, wrap ? "The AES-KW input must be at least 16 bytes and a multiple of 8 bytes."
                      : "The AES-KW wrapped key must be at least 24 bytes and a multiple of 8 "
                        "bytes.");
  }
  CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
  std::vector<uint8_t> out;
  if (ctx) EVP_CIPHER_CTX_set_flags(ctx.get(), EVP_CIPHER_CTX_FLAG_WRAP_ALLOW);
  if (!ctx || EVP_CipherInit_ex(ctx.get(), cipher, nullptr, key.data, nullptr, wrap) != 1 ||
      !runCipher(ctx.get(), data.data, data.size, &out)) {
    return throwOperationError(isolate, wrap ? "AES-KW wrapping failed."
                                             : "AES-KW unwrapping failed: integrity check failed.");
  }
  args.GetReturnValue().Set(newBuffer(isolate, out));
}

}  // namespace pactown::bindings::crypto
