#include "bindings/curl_transfer.h"

#include <strings.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>

namespace pactown::bindings {
namespace {

constexpr long kConnectTimeoutMs = 30'000;
constexpr long kReceiveBufferBytes = 256 * 1024;
// Larger upload chunks: fewer read callbacks and, for chunked bodies, fewer chunk headers.
constexpr long kSendBufferBytes = 128 * 1024;
// What Workers' edge asks origins for, plus deflate (curl decodes all three).
constexpr const char* kAcceptEncoding = "gzip, deflate, br";

bool equalsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && strncasecmp(a.data(), b.data(), a.size()) == 0;
}

std::string_view trimOws(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Methods whose requests carry a body even when the worker gave none: sent with
// "Content-Length: 0", as workerd does for an explicitly empty body.
bool expectsBody(std::string_view method) {
  return method == "POST" || method == "PUT" || method == "PATCH";
}

}  // namespace

CurlTransfer::CurlTransfer(CurlMulti* multi, std::function<void()> changed)
    : multi_(multi), changed_(std::move(changed)) {}

CurlTransfer::~CurlTransfer() {
  if (easy_) {
    multi_->remove(easy_);
    curl_easy_cleanup(easy_);
  }
  curl_slist_free_all(headerList_);
  free(recv_.data);
}

bool CurlTransfer::start(TransferRequest request, std::string* error) {
  easy_ = curl_easy_init();
  if (!easy_) {
    *error = "fetch failed";
    return false;
  }
  decodeBody_ = request.decodeBody;
  bodyKind_ = request.bodyKind;
  CURL* e = easy_;
  curl_easy_setopt(e, CURLOPT_PRIVATE, this);
  curl_easy_setopt(e, CURLOPT_ERRORBUFFER, errorBuffer_);
  curl_easy_setopt(e, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
  // Workers never go through a proxy; ignore http_proxy & co. from the environment.
  curl_easy_setopt(e, CURLOPT_PROXY, "");
  curl_easy_setopt(e, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_1_1));
  // The URL was normalized by the WHATWG parser already.
  curl_easy_setopt(e, CURLOPT_PATH_AS_IS, 1L);
  curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, kConnectTimeoutMs);
  curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(e, CURLOPT_BUFFERSIZE, kReceiveBufferBytes);
  curl_easy_setopt(e, CURLOPT_UPLOAD_BUFFERSIZE, kSendBufferBytes);
  curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, &CurlTransfer::onHeader);
  curl_easy_setopt(e, CURLOPT_HEADERDATA, this);
  curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, &CurlTransfer::onWrite);
  curl_easy_setopt(e, CURLOPT_WRITEDATA, this);
  if (decodeBody_) {
    // Adds Accept-Encoding unless the worker set one, and decodes what comes back.
    curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, kAcceptEncoding);
  } else {
    curl_easy_setopt(e, CURLOPT_HTTP_CONTENT_DECODING, 0L);
  }

  bool hasBody = bodyKind_ != TransferRequest::BodyKind::kNone;
  if (request.method == "HEAD") {
    curl_easy_setopt(e, CURLOPT_NOBODY, 1L);
  } else if (request.method == "GET" && !hasBody) {
    curl_easy_setopt(e, CURLOPT_HTTPGET, 1L);
  } else {
    curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  }
  if (bodyKind_ == TransferRequest::BodyKind::kBytes || (!hasBody && expectsBody(request.method))) {
    sendBytes_ = std::move(request.bytes);
    curl_easy_setopt(e, CURLOPT_POST, 1L);
    curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(sendBytes_.size()));
    curl_easy_setopt(e, CURLOPT_POSTFIELDS, sendBytes_.data());
    hasBody = true;
  } else if (bodyKind_ == TransferRequest::BodyKind::kStream) {
    curl_easy_setopt(e, CURLOPT_POST, 1L);
    // -1: unknown length, sent chunked.
    curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.streamLength));
    curl_easy_setopt(e, CURLOPT_READFUNCTION, &CurlTransfer::onRead);
    curl_easy_setopt(e, CURLOPT_READDATA, this);
  }

  // The worker's headers as given. curl's own defaults that Workers do not send are switched off
  // with empty overrides ("Name:"); an empty value is written "Name;".
  bool hasAccept = false, hasExpect = false, hasContentType = false;
  const std::vector<std::string>& h = request.headers;
  for (size_t i = 0; i + 1 < h.size(); i += 2) {
    std::string_view name = h[i];
    if (equalsIgnoreCase(name, "accept")) hasAccept = true;
    if (equalsIgnoreCase(name, "expect")) hasExpect = true;
    if (equalsIgnoreCase(name, "content-type")) hasContentType = true;
    std::string line = h[i + 1].empty() ? h[i] + ";" : h[i] + ": " + h[i + 1];
    headerList_ = curl_slist_append(headerList_, line.c_str());
  }
  if (!hasAccept) headerList_ = curl_slist_append(headerList_, "Accept:");
  if (!hasExpect) headerList_ = curl_slist_append(headerList_, "Expect:");
  if (!hasContentType && hasBody) headerList_ = curl_slist_append(headerList_, "Content-Type:");
  curl_easy_setopt(e, CURLOPT_HTTPHEADER, headerList_);

  if (multi_->add(e) != CURLM_OK) {
    *error = "fetch failed";
    return false;
  }
  return true;
}

void CurlTransfer::finish(CURLcode code) {
  result = (code == CURLE_OK && !headReady) ? CURLE_GOT_NOTHING : code;
  done = true;
  if (easy_) {
    multi_->remove(easy_);
    curl_easy_cleanup(easy_);
    easy_ = nullptr;
  }
  curl_slist_free_all(headerList_);
  headerList_ = nullptr;
  sendQueue_.clear();
  sendQueued_ = 0;
  if (jsWaitsForSpace_) {
    // Release an upload waiting for space: its next push learns the transfer is over.
    jsWaitsForSpace_ = false;
    wantsBody = true;
  }
  changed_();
}

std::string CurlTransfer::errorMessage() const {
  switch (result) {
    case CURLE_COULDNT_CONNECT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_OPERATION_TIMEDOUT:
      return "Network connection lost.";
    default:
      return "fetch failed";
  }
}

std::string CurlTransfer::errorDetail() const {
  if (errorBuffer_[0] != 0) return errorBuffer_;
  return curl_easy_strerror(result);
}

// --- response head ----------------------------------------------------------------------------

size_t CurlTransfer::onHeader(char* data, size_t size, size_t n, void* userp) {
  size_t length = size * n;
  std::string_view line(data, length);
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
  static_cast<CurlTransfer*>(userp)->headerLine(line);
  return length;
}

void CurlTransfer::headerLine(std::string_view line) {
  if (headReady) return;  // trailers
  if (line.size() >= 5 && line.substr(0, 5) == "HTTP/") {
    // "HTTP/1.1 200 OK": a new response head (after 1xx ones, or the first).
    headerPairs.clear();
    statusText.clear();
    status = 0;
    sawStatusLine_ = true;
    size_t sp = line.find(' ');
    if (sp == std::string_view::npos) return;
    std::string_view rest = line.substr(sp + 1);
    size_t i = 0;
    while (i < rest.size() && i < 3 && rest[i] >= '0' && rest[i] <= '9') {
      status = status * 10 + (rest[i] - '0');
      i++;
    }
    if (i < rest.size() && rest[i] == ' ') statusText = std::string(rest.substr(i + 1));
    return;
  }
  if (!sawStatusLine_) return;
  if (line.empty()) {
    if (status >= 200 || status == 101) {
      completeHead();
    } else {
      sawStatusLine_ = false;  // an interim 1xx response: the real one follows
    }
    return;
  }
  if (line.front() == ' ' || line.front() == '\t') {
    // obs-fold: a continuation of the previous value.
    if (!headerPairs.empty()) {
      headerPairs.back() += ' ';
      headerPairs.back() += trimOws(line);
    }
    return;
  }
  size_t colon = line.find(':');
  if (colon == std::string_view::npos || colon == 0) return;
  headerPairs.emplace_back(trimOws(line.substr(0, colon)));
  headerPairs.emplace_back(trimOws(line.substr(colon + 1)));
}

void CurlTransfer::completeHead() {
  if (decodeBody_) {
    // curl decodes the body, so its encoding and encoded length no longer describe it.
    bool encoded = false;
    for (size_t i = 0; i + 1 < headerPairs.size(); i += 2) {
      if (equalsIgnoreCase(headerPairs[i], "content-encoding") && !headerPairs[i + 1].empty() &&
          !equalsIgnoreCase(headerPairs[i + 1], "identity")) {
        encoded = true;
      }
    }
    if (encoded) {
      std::vector<std::string> kept;
      kept.reserve(headerPairs.size());
      for (size_t i = 0; i + 1 < headerPairs.size(); i += 2) {
        if (equalsIgnoreCase(headerPairs[i], "content-encoding") ||
            equalsIgnoreCase(headerPairs[i], "content-length")) {
          continue;
        }
        kept.push_back(std::move(headerPairs[i]));
        kept.push_back(std::move(headerPairs[i + 1]));
      }
      headerPairs = std::move(kept);
    }
  }
  headReady = true;
  changed_();
}

// --- response body ----------------------------------------------------------------------------

size_t CurlTransfer::onWrite(char* data, size_t size, size_t n, void* userp) {
  auto* self = static_cast<CurlTransfer*>(userp);
  size_t length = size * n;
  if (length == 0) return 0;
  size_t needed = self->recv_.size + length;
  if (needed > self->recvCapacity_) {
    // Room for a full batch up front: growing a block copies it.
    size_t capacity = std::max({needed, self->recvCapacity_ * 2,
                                kHighWaterBytes + static_cast<size_t>(kReceiveBufferBytes)});
    char* grown = static_cast<char*>(realloc(self->recv_.data, capacity));
    if (!grown) return 0;  // fails the transfer (CURLE_WRITE_ERROR)
    self->recv_.data = grown;
    self->recvCapacity_ = capacity;
  }
  memcpy(self->recv_.data + self->recv_.size, data, length);
  self->recv_.size = needed;
  if (self->recv_.size >= kHighWaterBytes && !self->recvPaused_) {
    // Enough waits for JavaScript: stop reading the socket until it takes the batch. (Pausing
    // here rather than returning CURL_WRITEFUNC_PAUSE spares curl a copy of the chunk.)
    self->recvPaused_ = true;
    self->applyPause();
  }
  if (self->demand) self->changed_();
  return length;
}

BodyBlock CurlTransfer::takeBody() {
  BodyBlock block = recv_;
  // The block is handed to V8 as is: do not let it pin much more memory than it holds.
  if (block.data && recvCapacity_ - block.size > 4096) {
    if (char* shrunk = static_cast<char*>(realloc(block.data, block.size))) block.data = shrunk;
  }
  recv_ = {};
  recvCapacity_ = 0;
  if (recvPaused_ && easy_) {
    recvPaused_ = false;
    applyPause();  // may deliver the held chunk into a new buffer right away
  }
  return block;
}

void CurlTransfer::applyPause() {
  if (!easy_) return;
  int mask = (recvPaused_ ? CURLPAUSE_RECV : 0) | (sendPaused_ ? CURLPAUSE_SEND : 0);
  curl_easy_pause(easy_, mask);
}

// --- streamed request body --------------------------------------------------------------------

int CurlTransfer::pushBody(std::string_view chunk, bool end) {
  if (done || !easy_ || bodyKind_ != TransferRequest::BodyKind::kStream || sendEnded_) return -1;
  if (!chunk.empty()) {
    sendQueue_.emplace_back(chunk);
    sendQueued_ += chunk.size();
  }
  if (end) sendEnded_ = true;
  if (sendPaused_) {
    sendPaused_ = false;
    applyPause();
  }
  if (!sendEnded_ && sendQueued_ >= kHighWaterBytes) {
    jsWaitsForSpace_ = true;
    return 0;
  }
  return 1;
}

size_t CurlTransfer::onRead(char* data, size_t size, size_t n, void* userp) {
  auto* self = static_cast<CurlTransfer*>(userp);
  size_t room = size * n;
  size_t copied = 0;
  while (copied < room && !self->sendQueue_.empty()) {
    const std::string& front = self->sendQueue_.front();
    size_t take = std::min(room - copied, front.size() - self->sendQueueFront_);
    memcpy(data + copied, front.data() + self->sendQueueFront_, take);
    copied += take;
    self->sendQueueFront_ += take;
    if (self->sendQueueFront_ == front.size()) {
      self->sendQueue_.pop_front();
      self->sendQueueFront_ = 0;
    }
  }
  self->sendQueued_ -= copied;
  if (self->jsWaitsForSpace_ && self->sendQueued_ < kLowWaterBytes) {
    self->jsWaitsForSpace_ = false;
    self->wantsBody = true;
    self->changed_();
  }
  if (copied > 0) return copied;
  if (self->sendEnded_) return 0;
  self->sendPaused_ = true;
  return CURL_READFUNC_PAUSE;
}

}  // namespace pactown::bindings
