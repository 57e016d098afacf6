// One outgoing HTTP(S) request/response on a CurlMulti: a libcurl easy handle configured the way
// Cloudflare Workers' fetch() behaves, plus the buffers between curl's callbacks and JavaScript.
// No V8: bindings/fetch_ops.cc turns its state into events for js/24_fetch.js.
//
// Flow control:
// - Response body: curl's write callback appends to one buffer; once kHighWaterBytes are buffered
//   it pauses receiving (curl stops reading the socket; the buffer can overshoot by one read of
//   up to 256 KiB). takeBody() hands the buffer over and resumes the transfer.
// - Streamed request body: JavaScript pushes chunks (pushBody); when the queue is empty the read
//   callback returns CURL_READFUNC_PAUSE until the next push. pushBody reports "full" at
//   kHighWaterBytes; `wantsBody` asks for more once curl drained it below kLowWaterBytes.
#pragma once

#include <curl/curl.h>

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "bindings/curl_multi.h"

namespace pactown::bindings {

struct TransferRequest {
  enum class BodyKind : uint8_t { kNone, kBytes, kStream };
  std::string method;
  std::string url;
  // Flat [name, value, ...] as given by the worker (hop-by-hop headers already removed).
  std::vector<std::string> headers;
  BodyKind bodyKind = BodyKind::kNone;
  std::string bytes;          // kBytes
  int64_t streamLength = -1;  // kStream: known length, or -1 (chunked)
  bool decodeBody = true;     // Accept-Encoding + transparent gzip/deflate/br decoding
};

// A malloc'd block of response body bytes; the receiver frees it with free().
struct BodyBlock {
  char* data = nullptr;
  size_t size = 0;
};

class CurlTransfer {
 public:
  static constexpr size_t kHighWaterBytes = 64 * 1024;
  static constexpr size_t kLowWaterBytes = 16 * 1024;

  // `changed` is called (from curl callbacks, never re-entrantly into JS) whenever something
  // JavaScript may be waiting for happened: head complete, body data or end while `demand`,
  // upload space, completion.
  CurlTransfer(CurlMulti* multi, std::function<void()> changed);
  ~CurlTransfer();
  CurlTransfer(const CurlTransfer&) = delete;
  CurlTransfer& operator=(const CurlTransfer&) = delete;

  // Configures the easy handle and adds it to the multi. False with `error` set on failure.
  bool start(TransferRequest request, std::string* error);
  CURL* easy() const { return easy_; }

  // The multi reported completion: removes the handle and frees it.
  void finish(CURLcode result);

  // --- response head (valid once headReady) ---
  bool headReady = false;
  bool headDelivered = false;  // bookkeeping for fetch_ops
  int status = 0;
  std::string statusText;
  std::vector<std::string> headerPairs;  // flat [name, value, ...], in arrival order

  // --- response body ---
  bool demand = false;  // JavaScript is waiting for body data (set by fetch_ops)
  bool hasBody() const { return recv_.size > 0; }
  // Hands over everything buffered and resumes a paused transfer.
  BodyBlock takeBody();

  // --- streamed request body ---
  // Queues a chunk (end: no more chunks). Returns 1 when more is welcome now, 0 when the caller
  // must wait for `wantsBody`, -1 when the transfer no longer reads a body.
  int pushBody(std::string_view chunk, bool end);
  bool wantsBody = false;  // upload space freed while JavaScript waits (or the transfer ended)

  // --- completion ---
  bool done = false;
  CURLcode result = CURLE_OK;
  // "Network connection lost." / "fetch failed" and curl's detail, for a failed transfer.
  std::string errorMessage() const;
  std::string errorDetail() const;

 private:
  static size_t onHeader(char* data, size_t size, size_t n, void* userp);
  static size_t onWrite(char* data, size_t size, size_t n, void* userp);
  static size_t onRead(char* data, size_t size, size_t n, void* userp);
  void headerLine(std::string_view line);
  void completeHead();
  void applyPause();

  CurlMulti* multi_;
  std::function<void()> changed_;
  CURL* easy_ = nullptr;
  curl_slist* headerList_ = nullptr;
  char errorBuffer_[CURL_ERROR_SIZE] = {};
  bool decodeBody_ = true;
  bool sawStatusLine_ = false;

  BodyBlock recv_;
  size_t recvCapacity_ = 0;
  bool recvPaused_ = false;

  TransferRequest::BodyKind bodyKind_ = TransferRequest::BodyKind::kNone;
  std::string sendBytes_;
  size_t sendOffset_ = 0;
  std::deque<std::string> sendQueue_;
  size_t sendQueueFront_ = 0;  // bytes of sendQueue_.front() already sent
  size_t sendQueued_ = 0;
  bool sendEnded_ = false;
  bool sendPaused_ = false;
  bool jsWaitsForSpace_ = false;
};

}  // namespace pactown::bindings
