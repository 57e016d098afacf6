// Web Crypto ops without keys or with secret keys: digests (one-shot and streaming for
// DigestStream), HMAC, PBKDF2, HKDF, constant-time comparison.
// https://w3c.github.io/webcrypto/ · RFC 2104 (HMAC), RFC 8018 (PBKDF2), RFC 5869 (HKDF)
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/kdf.h>
#include <zlib.h>

#include <algorithm>
#include <array>
#include <cstring>

#include "bindings/crypto_ops.h"
#include "bindings/crypto_util.h"

namespace pactown::bindings::crypto {
namespace {

const EVP_MD* digestArg(const Args& args, int i) {
  const EVP_MD* md = digestByName(stringArg(args, i));
  if (md == nullptr) throwDom(args.GetIsolate(), "NotSupportedError", "Unrecognized digest.");
  return md;
}

// A reflected CRC table for `poly` given in reversed (LSB-first) form.
template <typename T>
constexpr std::array<T, 256> crcTable(T poly) {
  std::array<T, 256> table{};
  for (unsigned i = 0; i < 256; i++) {
    T crc = i;
    for (int bit = 0; bit < 8; bit++) crc = (crc & 1) ? (crc >> 1) ^ poly : crc >> 1;
    table[i] = crc;
  }
  return table;
}

// CRC-32/ISCSI (crc32c) and CRC-64/NVME, reflected forms of 0x1edc6f41 and 0xad93d23594c93659.
constexpr auto kCrc32cTable = crcTable<uint32_t>(0x82f63b78u);
constexpr auto kCrc64NvmeTable = crcTable<uint64_t>(0x9a6c9329ac4bc9b5ull);

template <typename T>
T crcUpdate(const std::array<T, 256>& table, T crc, const uint8_t* data, size_t size) {
  crc = ~crc;
  for (size_t i = 0; i < size; i++) crc = table[(crc ^ data[i]) & 0xff] ^ (crc >> 8);
  return ~crc;
}

}  // namespace

// crcUpdate(kind, state, data): DigestStream's CRC digests ("crc32", "crc32c", "crc64nvme").
// `state` is a Uint32Array(2) holding the CRC so far (low word first), updated in place.
void opCrcUpdate(const Args& args) {
  v8::Isolate* isolate = args.GetIsolate();
  std::string kind = stringArg(args, 0);
  Bytes data;
  if (!args[1]->IsUint32Array() || args[1].As<v8::Uint32Array>()->Length() != 2 ||
      !bytesArg(args, 2, &data)) {
    return throwOperationError(isolate, "Invalid CRC state.");
  }
  v8::Local<v8::Uint32Array> view = args[1].As<v8::Uint32Array>();
  uint32_t state[2];
  view->CopyContents(state, sizeof state);
  uint64_t value = (static_cast<uint64_t>(state[1]) << 32) | state[0];
  if (kind == "crc32") {
    uLong crc = static_cast<uLong>(value);
    for (size_t off = 0; off < data.size; off += 1u << 30) {
      size_t n = std::min<size_t>(1u << 30, data.size - off);
      crc = crc32(crc, data.data + off, static_cast<uInt>(n));
    }
    value = crc;
  } else if (kind == "crc32c") {
    value = crcUpdate<uint32_t>(kCrc32cTable, static_cast<uint32_t>(value), data.ptr(), data.size);
  } else if (kind == "crc64nvme") {
    value = crcUpdate<uint64_t>(kCrc64NvmeTable, value, data.ptr(), data.size);
  } else {
    return throwDom(isolate, "NotSupportedError", "Unrecognized CRC.");
  }
  state[0] = static_cast<uint32_t>(value);
  state[1] = static_cast<uint32_t>(value >> 32);
  uint8_t* dst = static_cast<uint8_t*>(view->Buffer()->Data()) + view->ByteOffset();
  memcpy(dst, state, sizeof state);
}

// digest(name, data) -> ArrayBuffer
void opDigest(const Args& args) {
  v8::Isolate* isolate = args.GetIsolate();
  const EVP_MD* md = digestArg(args, 0);
  Bytes data;
  if (md == nullptr || !bytesArg(args, 1, &data)) return;
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(data.ptr(), data.size, out, &len, md, nullptr) != 1) {
    return throwOperationError(isolate, "Digest failed.");
  }
  args.GetReturnValue().Set(newBuffer(isolate, out, len));
}

// digestInit(name) -> handle
void opDigestInit(const Args& args) {
  v8::Isolate* isolate = args.GetIsolate();
  const EVP_MD* md = digestArg(args, 0);
  if (md == nullptr) return;
  MdCtxPtr ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestInit_ex(ctx.get(), md, nullptr) != 1) {
    return throwOperationError(isolate, "Digest initialization failed.");
  }
  args.GetReturnValue().Set(wrapDigestContext(isolate, ctx.release()));
}

// digestUpdate(handle, data)
void opDigestUpdate(const Args& args) {
  EVP_MD_CTX* ctx = digestContextArg(args, 0);
  Bytes data;
  if (ctx == nullptr || !bytesArg(args, 1, &data)) return;
  if (data.size > 0 && EVP_DigestUpdate(ctx, data.data, data.size) != 1) {
    throwOperationError(args.GetIsolate(), "Digest update failed.");
  }
}

// digestFinal(handle) -> ArrayBuffer; the handle cannot be updated afterwards.
void opDigestFinal(const Args& args) {
  EVP_MD_CTX* ctx = digestContextArg(args, 0);
  if (ctx == nullptr) return;
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_DigestFinal_ex(ctx, out, &len) != 1) {
    return throwOperationError(args.GetIsolate(), "Digest finalization failed.");
  }
  args.GetReturnValue().Set(newBuffer(args.GetIsolate(), out, len));
}

// timingSafeEqual(a, b) -> bool; the caller checks that the lengths are equal.
void opTimingSafeEqual(const Args& args) {
  Bytes a, b;
  if (!bytesArg(args, 0, &a) || !bytesArg(args, 1, &b)) return;
  bool equal = a.size == b.size && CRYPTO_memcmp(a.ptr(), b.ptr(), a.size) == 0;
  args.GetReturnValue().Set(equal);
}

// hmac(hash, key, data) -> ArrayBuffer
void opHmac(const Args& args) {
  v8::Isolate* isolate = args.GetIsolate();
  const EVP_MD* md = digestArg(args, 0);
  Bytes key, data;
  if (md == nullptr || !bytesArg(args, 1, &key) || !bytesArg(args, 2, &data)) return;
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (HMAC(md, key.ptr(), static_cast<int>(key.size), data.ptr(), data.size, out, &len) ==
      nullptr) {
    return throwOperationError(isolate, "HMAC computation failed.");
  }
  args.GetReturnValue().Set(newBuffer(isolate, out, len));
}

// pbkdf2(hash, password, salt, iterations, lengthBytes) -> ArrayBuffer
void opPbkdf2(const Args& args) {
  v8::Isolate* isolate = args.GetIsolate();
  const EVP_MD* md = digestArg(args, 0);
  Bytes password, salt;
  if (md == nullptr || !bytesArg(args, 1, &password) || !bytesArg(args, 2, &salt)) return;
  double iterations = args[3]->NumberValue(isolate->GetCurrentContext()).FromMaybe(0);
  double length = args[4]->NumberValue(isolate->GetCurrentContext()).FromMaybe(0);
  if (iterations < 1 || iterations > 0x7fffffff || length < 0 || length > 0x7fffffff) {
    return throwOperationError(isolate, "Invalid PBKDF2 parameters.");
  }
  std::vector<uint8_t> out(static_cast<size_t>(length));
  if (!out.empty() && PKCS5_PBKDF2_HMAC(reinterpret_cast<const char*>(password.ptr()),
                                        static_cast<int>(password.size), salt.ptr(),
                                        static_cast<int>(salt.size), static_cast<int>(iterations),
                                        md, static_cast<int>(out.size()), out.data()) != 1) {
    return throwOperationError(isolate, "PBKDF2 derivation failed.");
  }
  args.GetReturnValue().Set(newBuffer(isolate, out));
}

// hkdf(hash, key, salt, info, lengthBytes) -> ArrayBuffer
void opHkdf(const Args& args) {
  v8::Isolate* isolate = args.GetIsolate();
  const EVP_MD* md = digestArg(args, 0);
  Bytes key, salt, info;
  if (md == nullptr || !bytesArg(args, 1, &key) || !bytesArg(args, 2, &salt) ||
      !bytesArg(args, 3, &info)) {
    return;
  }
  double length = args[4]->NumberValue(isolate->GetCurrentContext()).FromMaybe(-1);
  if (length < 0 || length > 255.0 * EVP_MD_get_size(md)) {
    return throwOperationError(isolate, "HKDF output length is too large.");
  }
  // RFC 5869 directly on HMAC: OpenSSL's HKDF provider refuses an empty input key.
  size_t hashLen = static_cast<size_t>(EVP_MD_get_size(md));
  unsigned char prk[EVP_MAX_MD_SIZE];
  unsigned int prkLen = 0;
  std::vector<uint8_t> zeros(hashLen, 0);
  const uint8_t* saltPtr = salt.size ? salt.data : zeros.data();
  size_t saltLen = salt.size ? salt.size : hashLen;
  if (HMAC(md, saltPtr, static_cast<int>(saltLen), key.ptr(), key.size, prk, &prkLen) == nullptr) {
    return throwOperationError(isolate, "HKDF derivation failed.");
  }
  std::vector<uint8_t> out(static_cast<size_t>(length));
  std::vector<uint8_t> block;
  unsigned char t[EVP_MAX_MD_SIZE];
  unsigned int tLen = 0;
  for (size_t done = 0, i = 1; done < out.size(); i++) {
    block.assign(t, t + tLen);
    block.insert(block.end(), info.ptr(), info.ptr() + info.size);
    block.push_back(static_cast<uint8_t>(i));
    if (HMAC(md, prk, static_cast<int>(prkLen), block.data(), block.size(), t, &tLen) == nullptr) {
      return throwOperationError(isolate, "HKDF derivation failed.");
    }
    size_t n = std::min<size_t>(tLen, out.size() - done);
    memcpy(out.data() + done, t, n);
    done += n;
  }
  OPENSSL_cleanse(prk, sizeof prk);
  args.GetReturnValue().Set(newBuffer(isolate, out));
}

}  // namespace pactown::bindings::crypto
