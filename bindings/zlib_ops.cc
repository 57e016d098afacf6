// Zlib ops: streaming gzip / deflate / deflate-raw contexts behind CompressionStream and
// DecompressionStream (js/28_compression.js). https://compression.spec.whatwg.org/
//
//   zlibCreate(format, decompress) -> id       format: 'gzip' | 'deflate' | 'deflate-raw'
//   zlibWrite(id, bytes)                        queues a copy of `bytes` (ArrayBuffer or view) as
//                                               input; TypeError for input after the end of a
//                                               decompressed stream (trailing data)
//   zlibRead(id, finish) -> Uint8Array | null   the next at most kMaxOutput bytes of output, or
//                                               null once the queued input is consumed and (with
//                                               `finish`) the stream is complete
//   zlibClose(id)                               frees the context; unknown ids are ignored
//
// One write is followed by reads until null; the JS side decides when to read again, so output is
// produced in bounded pieces and never accumulates here. Contexts live in a per-thread (so
// per-isolate) table keyed by integer id.
//
// Decompression errors are TypeErrors with workerd's messages: corrupt data ("Decompression
// failed."), bytes after the end of the compressed data, and `finish` before the end.
#include <zlib.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "bindings/op.h"
#include "runtime/isolate_host.h"

namespace pactown::bindings {
namespace {

using runtime::throwTypeError;
using Args = v8::FunctionCallbackInfo<v8::Value>;

constexpr size_t kMaxOutput = 64 * 1024;
constexpr char kDecompressionFailed[] = "Decompression failed.";
constexpr char kTrailingBytes[] = "Trailing bytes after end of compressed data";
constexpr char kIncomplete[] = "Called close() on a decompression stream with incomplete data";

class ZlibContext {
 public:
  explicit ZlibContext(bool decompress) : decompress_(decompress) {}
  ~ZlibContext() {
    if (!initialized_) return;
    if (decompress_) {
      inflateEnd(&strm_);
    } else {
      deflateEnd(&strm_);
    }
  }
  ZlibContext(const ZlibContext&) = delete;
  ZlibContext& operator=(const ZlibContext&) = delete;

  // windowBits: 15 = zlib wrapper, 15 + 16 = gzip wrapper, -15 = raw deflate.
  bool init(int windowBits) {
    strm_.zalloc = &ZlibContext::allocate;
    strm_.zfree = &ZlibContext::release;
    strm_.opaque = this;
    int rc = decompress_ ? inflateInit2(&strm_, windowBits)
                         : deflateInit2(&strm_, Z_DEFAULT_COMPRESSION, Z_DEFLATED, windowBits, 8,
                                        Z_DEFAULT_STRATEGY);
    initialized_ = rc == Z_OK;
    return initialized_;
  }

  // Tells V8 how much memory zlib holds for this context (it is invisible to the garbage
  // collector otherwise, and abandoned streams are freed by collection).
  void reportMemory(v8::Isolate* isolate) {
    int64_t now = static_cast<int64_t>(allocated_ + input_.capacity());
    if (now != reported_) isolate->AdjustAmountOfExternalAllocatedMemory(now - reported_);
    reported_ = now;
  }
  void forgetMemory(v8::Isolate* isolate) {
    if (reported_ != 0) isolate->AdjustAmountOfExternalAllocatedMemory(-reported_);
    reported_ = 0;
  }

  // Where to copy `size` more input bytes (after any input not consumed yet), or nullptr when
  // the compressed stream already ended (trailing data).
  uint8_t* appendInput(size_t size) {
    if (decompress_ && ended_) return nullptr;
    size_t keep = strm_.avail_in;
    if (keep > 0 && strm_.next_in != input_.data()) {
      std::memmove(input_.data(), strm_.next_in, keep);
    }
    input_.resize(keep + size);
    strm_.next_in = input_.data();
    strm_.avail_in = static_cast<uInt>(keep + size);
    return input_.data() + keep;
  }

  // Fills `out` (kMaxOutput bytes) and returns the number of bytes written, or -1 with
  // `*error` set.
  long read(uint8_t* out, bool finish, const char** error) {
    if (trailing_) {
      *error = kTrailingBytes;
      return -1;
    }
    strm_.next_out = out;
    strm_.avail_out = kMaxOutput;
    while (strm_.avail_out > 0 && !ended_) {
      if (decompress_) {
        int rc = inflate(&strm_, Z_NO_FLUSH);
        if (rc == Z_STREAM_END) {
          ended_ = true;
          // Bytes after the end: report the error after the output already produced.
          if (strm_.avail_in > 0) trailing_ = true;
          break;
        }
        if (rc == Z_BUF_ERROR) break;  // no progress possible: more input needed
        if (rc != Z_OK) {
          *error = kDecompressionFailed;
          return -1;
        }
        if (strm_.avail_in == 0) break;  // everything consumed; more input needed
      } else {
        if (strm_.avail_in == 0 && !finish) break;
        int rc = deflate(&strm_, finish ? Z_FINISH : Z_NO_FLUSH);
        if (rc == Z_STREAM_END) {
          ended_ = true;
          break;
        }
        if (rc == Z_BUF_ERROR) break;
        if (rc != Z_OK) {
          *error = "Compression failed.";
          return -1;
        }
      }
    }
    long produced = static_cast<long>(kMaxOutput - strm_.avail_out);
    strm_.next_out = nullptr;
    strm_.avail_out = 0;
    if (strm_.avail_in == 0) {
      input_.clear();
      strm_.next_in = nullptr;
    }
    if (produced == 0) {
      if (trailing_) {
        *error = kTrailingBytes;
        return -1;
      }
      if (decompress_ && finish && !ended_) {
        *error = kIncomplete;
        return -1;
      }
    }
    return produced;
  }

 private:
  // zlib's allocator hooks, counting what the context holds. Each block carries its size.
  static voidpf allocate(voidpf opaque, uInt items, uInt size) {
    size_t bytes = static_cast<size_t>(items) * size;
    auto* block = static_cast<size_t*>(std::malloc(bytes + sizeof(size_t)));
    if (block == nullptr) return Z_NULL;
    *block = bytes;
    static_cast<ZlibContext*>(opaque)->allocated_ += bytes;
    return block + 1;
  }
  static void release(voidpf opaque, voidpf address) {
    if (address == Z_NULL) return;
    size_t* block = static_cast<size_t*>(address) - 1;
    static_cast<ZlibContext*>(opaque)->allocated_ -= *block;
    std::free(block);
  }

  z_stream strm_{};
  bool decompress_;
  bool initialized_ = false;
  bool ended_ = false;     // Z_STREAM_END seen
  bool trailing_ = false;  // input followed the end of the compressed data
  std::vector<uint8_t> input_;
  size_t allocated_ = 0;
  int64_t reported_ = 0;  // bytes last reported to V8
};

// One isolate per thread, so per-thread tables are per-isolate tables.
thread_local std::unordered_map<uint32_t, std::unique_ptr<ZlibContext>> contexts;
thread_local uint32_t nextId = 1;

ZlibContext* find(const Args& args) {
  v8::Isolate* isolate = args.GetIsolate();
  uint32_t id = args[0]->Uint32Value(isolate->GetCurrentContext()).FromMaybe(0);
  auto it = contexts.find(id);
  if (it == contexts.end()) {
    throwTypeError(isolate, "The compression stream is closed.");
    return nullptr;
  }
  return it->second.get();
}

// zlibCreate(format, decompress) -> id
void ZlibCreate(const Args& args) {
  v8::Isolate* isolate = args.GetIsolate();
  std::string format = runtime::toStdString(isolate, args[0]);
  int windowBits;
  if (format == "gzip") {
    windowBits = 15 + 16;
  } else if (format == "deflate") {
    windowBits = 15;
  } else if (format == "deflate-raw") {
    windowBits = -15;
  } else {
    return throwTypeError(isolate,
                          "The compression format must be either 'deflate', 'deflate-raw' or "
                          "'gzip'.");
  }
  auto context = std::make_unique<ZlibContext>(args[1]->BooleanValue(isolate));
  if (!context->init(windowBits)) {
    return runtime::throwError(isolate, "Failed to initialize compression context.");
  }
  context->reportMemory(isolate);
  uint32_t id = nextId++;
  if (nextId == 0) nextId = 1;
  contexts.emplace(id, std::move(context));
  args.GetReturnValue().Set(id);
}

// zlibWrite(id, bytes)
void ZlibWrite(const Args& args) {
  ZlibContext* context = find(args);
  if (context == nullptr) return;
  v8::Isolate* isolate = args.GetIsolate();
  v8::Local<v8::Value> value = args[1];
  if (value->IsArrayBufferView()) {
    v8::Local<v8::ArrayBufferView> view = value.As<v8::ArrayBufferView>();
    size_t size = view->ByteLength();
    if (size == 0) return;
    uint8_t* dest = context->appendInput(size);
    if (dest == nullptr) return throwTypeError(isolate, kTrailingBytes);
    view->CopyContents(dest, size);
  } else if (value->IsArrayBuffer()) {
    v8::Local<v8::ArrayBuffer> buffer = value.As<v8::ArrayBuffer>();
    size_t size = buffer->ByteLength();
    if (size == 0) return;
    uint8_t* dest = context->appendInput(size);
    if (dest == nullptr) return throwTypeError(isolate, kTrailingBytes);
    std::memcpy(dest, buffer->Data(), size);
  } else {
    return throwTypeError(isolate, "The chunk is not an ArrayBuffer or ArrayBufferView.");
  }
  context->reportMemory(isolate);
}

// zlibRead(id, finish) -> Uint8Array | null
void ZlibRead(const Args& args) {
  ZlibContext* context = find(args);
  if (context == nullptr) return;
  v8::Isolate* isolate = args.GetIsolate();
  thread_local std::vector<uint8_t> scratch(kMaxOutput);
  const char* error = nullptr;
  long produced = context->read(scratch.data(), args[1]->BooleanValue(isolate), &error);
  context->reportMemory(isolate);
  if (produced < 0) return throwTypeError(isolate, error);
  if (produced == 0) {
    args.GetReturnValue().SetNull();
    return;
  }
  v8::Local<v8::ArrayBuffer> buffer = v8::ArrayBuffer::New(isolate, static_cast<size_t>(produced));
  std::memcpy(buffer->Data(), scratch.data(), static_cast<size_t>(produced));
  args.GetReturnValue().Set(v8::Uint8Array::New(buffer, 0, static_cast<size_t>(produced)));
}

// zlibClose(id)
void ZlibClose(const Args& args) {
  v8::Isolate* isolate = args.GetIsolate();
  uint32_t id = args[0]->Uint32Value(isolate->GetCurrentContext()).FromMaybe(0);
  auto it = contexts.find(id);
  if (it == contexts.end()) return;
  it->second->forgetMemory(isolate);
  contexts.erase(it);
}

}  // namespace
}  // namespace pactown::bindings

PT_OP_TABLE(zlib, {"zlibCreate", ZlibCreate}, {"zlibWrite", ZlibWrite}, {"zlibRead", ZlibRead},
            {"zlibClose", ZlibClose});
