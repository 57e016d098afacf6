// One HTTP/1.1 connection, request head collection: the llhttp callbacks that copy method,
// target and header fields into HttpRequestHead storage, enforce the head size limit and pause the
// parser at the end of the head and of each message. Also HttpRequestHead::find.
#include "runtime/http_connection.h"

namespace pactown::runtime {

std::optional<std::string_view> HttpRequestHead::find(std::string_view name) const {
  for (const HeaderSpan& h : headerSpans) {
    if (detail::equalsIgnoreCase(slice(h.name), name)) return slice(h.value);
  }
  return std::nullopt;
}

namespace detail {

namespace {

HttpConnection* from(llhttp_t* p) { return static_cast<HttpConnection*>(p->data); }

}  // namespace

// --- llhttp callbacks: collect the head into building_ -------------------------------------------

const llhttp_settings_t* HttpConnection::parserSettings() {
  static const llhttp_settings_t settings = [] {
    llhttp_settings_t s;
    llhttp_settings_init(&s);
    s.on_message_begin = onMessageBegin;
    s.on_method = onMethod;
    s.on_url = onUrl;
    s.on_version = onVersion;
    s.on_header_field = onHeaderField;
    s.on_header_field_complete = onHeaderFieldComplete;
    s.on_header_value = onHeaderValue;
    s.on_header_value_complete = onHeaderValueComplete;
    s.on_headers_complete = onHeadersComplete;
    s.on_body = onBody;
    s.on_message_complete = onMessageComplete;
    return s;
  }();
  return &settings;
}

bool HttpConnection::countHead(size_t len) {
  headBytes_ += len;
  if (headBytes_ > core_->options().maxHeadBytes) headTooLarge_ = true;
  return !headTooLarge_;
}

void HttpConnection::appendHead(HttpRequestHead::Span& span, const char* at, size_t len) {
  if (span.length == 0) span.offset = static_cast<uint32_t>(building_.bytes.size());
  building_.bytes.append(at, len);
  span.length += static_cast<uint32_t>(len);
}

int HttpConnection::onMessageBegin(llhttp_t* p) {
  HttpConnection* c = from(p);
  c->inMessage_ = true;
  c->headDone_ = false;
  c->messageDone_ = false;
  c->headBytes_ = 0;
  c->headerState_ = 0;
  c->urlStarted_ = false;
  HttpRequestHead& h = c->building_;
  h.bytes.clear();
  h.bytes.reserve(512);
  h.headerSpans.clear();
  h.headerSpans.reserve(16);
  h.methodSpan = {};
  h.targetSpan = {};
  c->updateTimer();  // header timeout starts with the first byte of a request
  return 0;
}

int HttpConnection::onMethod(llhttp_t* p, const char* at, size_t len) {
  HttpConnection* c = from(p);
  if (!c->countHead(len)) return -1;
  c->appendHead(c->building_.methodSpan, at, len);
  return 0;
}

int HttpConnection::onUrl(llhttp_t* p, const char* at, size_t len) {
  HttpConnection* c = from(p);
  if (!c->countHead(len + (c->urlStarted_ ? 0 : 4))) return -1;
  if (!c->urlStarted_) {
    c->urlStarted_ = true;
    c->building_.targetSpan.offset = static_cast<uint32_t>(c->building_.bytes.size());
  }
  c->building_.bytes.append(at, len);
  c->building_.targetSpan.length += static_cast<uint32_t>(len);
  return 0;
}

int HttpConnection::onVersion(llhttp_t* p, const char*, size_t len) {
  return from(p)->countHead(len) ? 0 : -1;
}

int HttpConnection::onHeaderField(llhttp_t* p, const char* at, size_t len) {
  HttpConnection* c = from(p);
  if (c->headDone_) return 0;  // trailer fields are not exposed
  if (!c->countHead(len)) return -1;
  HttpRequestHead& h = c->building_;
  if (c->headerState_ != 1) {
    c->headerState_ = 1;
    HttpRequestHead::HeaderSpan span;
    span.name.offset = static_cast<uint32_t>(h.bytes.size());
    h.headerSpans.push_back(span);
  }
  h.bytes.append(at, len);
  h.headerSpans.back().name.length += static_cast<uint32_t>(len);
  return 0;
}

int HttpConnection::onHeaderFieldComplete(llhttp_t* p) {
  HttpConnection* c = from(p);
  if (c->headDone_) return 0;
  if (!c->countHead(4)) return -1;  // ": " and CRLF
  c->headerState_ = 2;
  HttpRequestHead& h = c->building_;
  // llhttp's loose mode lets "Name : value" through; RFC 9112 5.1 requires a 400 for it.
  const HttpRequestHead::Span& name = h.headerSpans.back().name;
  if (!isToken(std::string_view(h.bytes).substr(name.offset, name.length))) return -1;
  h.headerSpans.back().value.offset = static_cast<uint32_t>(h.bytes.size());
  return 0;
}

int HttpConnection::onHeaderValue(llhttp_t* p, const char* at, size_t len) {
  HttpConnection* c = from(p);
  if (c->headDone_) return 0;
  if (!c->countHead(len)) return -1;
  HttpRequestHead& h = c->building_;
  h.bytes.append(at, len);
  h.headerSpans.back().value.length += static_cast<uint32_t>(len);
  return 0;
}

int HttpConnection::onHeaderValueComplete(llhttp_t* p) {
  HttpConnection* c = from(p);
  if (c->headDone_) return 0;
  c->headerState_ = 0;
  HttpRequestHead& h = c->building_;
  HttpRequestHead::Span& v = h.headerSpans.back().value;
  while (v.length > 0) {
    char last = h.bytes[v.offset + v.length - 1];
    if (last != ' ' && last != '\t') break;
    --v.length;
  }
  return 0;
}

int HttpConnection::onHeadersComplete(llhttp_t* p) {
  HttpConnection* c = from(p);
  c->headDone_ = true;
  // RFC 9112 6.3: a request whose final transfer coding is not chunked has no reliable length.
  if ((p->flags & F_TRANSFER_ENCODING) && !(p->flags & F_CHUNKED)) return -1;
  c->pause_ = Pause::kHeaders;
  return HPE_PAUSED;
}

int HttpConnection::onBody(llhttp_t* p, const char* at, size_t len) {
  HttpConnection* c = from(p);
  if (c->exchange_ != nullptr) {
    c->bodyBuf_.append(at, len);
  } else if (c->draining_) {
    if (len > c->drainBudget_) {
      // Too much unread body to keep the connection: close it once the response is out.
      c->stopParsing_ = true;
      c->closeAfterFlush_ = true;
      return -1;
    }
    c->drainBudget_ -= len;
  }
  return 0;
}

int HttpConnection::onMessageComplete(llhttp_t* p) {
  from(p)->pause_ = Pause::kMessage;
  return HPE_PAUSED;
}

}  // namespace detail
}  // namespace pactown::runtime
