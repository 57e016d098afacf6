// Response, as Cloudflare Workers expose it.
// https://fetch.spec.whatwg.org/#response-class
//
// Differences from the spec, following workerd:
// - `statusText` defaults to the status code's reason phrase ("OK", "Not Found", ...), and only
//   control characters (below U+0020) are rejected in it ("Invalid statusText").
// - Status 101 is allowed, and required, when `webSocket` is given (WebSocket upgrade responses).
// - A null body status (101, 204, 205, 304) accepts an empty in-memory body, treated as null.
// - `Response.redirect()` defaults to 302 and checks the status before parsing the URL.
// - Cloudflare additions: `cf`, `webSocket` (null unless given), the `encodeBody` init member
//   ("automatic" | "manual"); `type` is only "default" or "error".
// Exposes `internals.fetch.response`.
'use strict';

const {
  ArrayPrototypePush, JSONParse, JSONStringify, ObjectDefineProperty, ObjectFreeze,
  StringPrototypeCharCodeAt,
  TypeError, RangeError,
} = primordials;
const { webidl } = internals;
const { InnerBody, extractBody, mixinBody } = internals.fetch.body;
const { copyHeaders, newHeaders, headersFromRaw, hasHeader, setHeader, headersToFlat } =
  internals.fetch.headers;

// RFC 9110 reason phrases (workerd's table); other codes get their class name.
const reasonPhrases = {
  __proto__: null,
  0: '', 100: 'Continue', 101: 'Switching Protocols', 102: 'Processing', 103: 'Early Hints',
  200: 'OK', 201: 'Created', 202: 'Accepted', 203: 'Non-Authoritative Information',
  204: 'No Content', 205: 'Reset Content', 206: 'Partial Content', 207: 'Multi-Status',
  208: 'Already Reported', 226: 'IM Used', 300: 'Multiple Choices', 301: 'Moved Permanently',
  302: 'Found', 303: 'See Other', 304: 'Not Modified', 305: 'Use Proxy',
  307: 'Temporary Redirect', 308: 'Permanent Redirect', 400: 'Bad Request', 401: 'Unauthorized',
  402: 'Payment Required', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed',
  406: 'Not Acceptable', 407: 'Proxy Authentication Required', 408: 'Request Timeout',
  409: 'Conflict', 410: 'Gone', 411: 'Length Required', 412: 'Precondition Failed',
  413: 'Payload Too Large', 414: 'URI Too Long', 415: 'Unsupported Media Type',
  416: 'Range Not Satisfiable', 417: 'Expectation Failed', 418: "I'm a teapot",
  421: 'Misdirected Request', 422: 'Unprocessable Entity', 423: 'Locked',
  424: 'Failed Dependency', 426: 'Upgrade Required', 428: 'Precondition Required',
  429: 'Too Many Requests', 431: 'Request Header Fields Too Large',
  451: 'Unavailable For Legal Reasons', 500: 'Internal Server Error', 501: 'Not Implemented',
  502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout',
  505: 'HTTP Version Not Supported', 506: 'Variant Also Negotiates', 507: 'Insufficient Storage',
  508: 'Loop Detected', 510: 'Not Extended', 511: 'Network Authentication Required',
};

function defaultStatusText(status) {
  const text = reasonPhrases[status];
  if (text !== undefined) return text;
  if (status >= 200 && status < 300) return 'Successful';
  if (status >= 300 && status < 400) return 'Redirection';
  if (status >= 400 && status < 500) return 'Client Error';
  if (status >= 500 && status < 600) return 'Server Error';
  return '';
}

// https://fetch.spec.whatwg.org/#null-body-status
const isNullBodyStatus = (s) => s === 101 || s === 204 || s === 205 || s === 304;
// https://fetch.spec.whatwg.org/#redirect-status
const isRedirectStatus = (s) => s === 301 || s === 302 || s === 303 || s === 307 || s === 308;

function cloneCf(cf) {
  return cf === undefined ? undefined : JSONParse(JSONStringify(cf));
}

const kEmptyInit = ObjectFreeze({ __proto__: null });

// The ResponseInit dictionary, converted and validated
// (https://fetch.spec.whatwg.org/#initialize-a-response, up to the body).
function convertInit(init) {
  // An absent init reads no properties (not even inherited ones).
  init = init === undefined || init === null ? kEmptyInit :
    webidl.toDictionary(init, "Failed to construct 'Response': init");
  // Members in WebIDL dictionary order.
  const cf = init.cf;
  const encodeBody = init.encodeBody;
  const headers = init.headers;
  const status = init.status;
  const statusText = init.statusText;
  const webSocket = init.webSocket;

  const out = {
    status: status === undefined ? 200 : webidl.toUnsignedShort(status),
    statusText: null,  // null: the default reason phrase
    headers: null,
    cf: undefined,
    webSocket: webSocket === undefined || webSocket === null ? null : webSocket,
    encodeBody: 'automatic',
  };
  if (out.webSocket === null) {
    if (out.status < 200 || out.status > 599) {
      throw new RangeError('Responses may only be constructed with status codes in the range ' +
                           '200 to 599, inclusive.');
    }
  } else if (out.status !== 101) {
    throw new RangeError('Responses with a WebSocket must have status code 101.');
  }
  if (statusText !== undefined) {
    const text = webidl.toDOMString(statusText);
    // Control characters (notably CR and LF) would allow header injection.
    for (let i = 0; i < text.length; i++) {
      if (StringPrototypeCharCodeAt(text, i) < 0x20) throw new TypeError('Invalid statusText');
    }
    out.statusText = text;
  }
  out.headers = newHeaders(headers, 'response');
  if (encodeBody !== undefined) {
    const e = webidl.toDOMString(encodeBody);
    if (e !== 'manual' && e !== 'automatic') {
      throw new TypeError(`encodeBody: unexpected value: ${e}`);
    }
    out.encodeBody = e;
  }
  if (cf !== undefined && cf !== null) {
    if (typeof cf !== 'object' && typeof cf !== 'function') {
      throw new TypeError("Failed to construct 'Response': member cf is not an object.");
    }
    out.cf = cloneCf(cf);
  }
  return out;
}

const kInternal = {};  // constructor sentinel for internal creation (never reachable by users)
const kNullBodyStatus = 'Response with null body status (101, 204, 205, or 304) cannot have a ' +
                        'body.';
let isResponse, innerOf, headersOf, stateOf;

class Response {
  #status = 200;
  #statusText = null;   // null: the default reason phrase of #status
  #headers;
  #inner = null;        // InnerBody or null (null body)
  #urlList = [];
  #cf = undefined;
  #webSocket = null;
  #encodeBody = 'automatic';

  // https://fetch.spec.whatwg.org/#dom-response
  constructor(body = null, init = undefined) {
    if (body === kInternal) {
      this.#setFrom(init);
      return;
    }
    const fields = convertInit(init);
    if (body !== undefined && body !== null) {
      const extracted = extractBody(body);
      if (isNullBodyStatus(fields.status)) {
        // workerd allows an empty in-memory body here and treats it as null.
        if (!extracted.body.isEmptyInMemory()) throw new TypeError(kNullBodyStatus);
      } else {
        fields.inner = extracted.body;
        if (extracted.type !== null && !hasHeader(fields.headers, 'content-type')) {
          setHeader(fields.headers, 'Content-Type', extracted.type);
        }
      }
    }
    this.#setFrom(fields);
  }

  #setFrom(f) {
    this.#status = f.status;
    this.#statusText = f.statusText;
    this.#headers = f.headers;
    this.#inner = f.inner === undefined ? null : f.inner;
    if (f.urlList !== undefined) this.#urlList = f.urlList;
    this.#cf = f.cf;
    this.#webSocket = f.webSocket === undefined ? null : f.webSocket;
    if (f.encodeBody !== undefined) this.#encodeBody = f.encodeBody;
  }

  // https://fetch.spec.whatwg.org/#dom-response-error
  static error() {
    return new Response(kInternal, {
      status: 0, statusText: null, headers: newHeaders(undefined, 'immutable'),
    });
  }

  // https://fetch.spec.whatwg.org/#dom-response-redirect
  static redirect(url, status = 302) {
    webidl.requiredArguments(arguments.length, 1, "Failed to execute 'redirect' on 'Response'");
    url = internals.url.toUSVString(url);
    status = webidl.toUnsignedShort(status);
    if (!isRedirectStatus(status)) {
      throw new RangeError(`${status} is not a redirect status code. It must be one of: 301, ` +
                           '302, 303, 307, or 308.');
    }
    const record = internals.url.parse(url, null);
    if (record === null) throw new TypeError(`Unable to parse URL: ${url}`);
    const headers = headersFromRaw(['Location', internals.url.serialize(record)], 'immutable');
    return new Response(kInternal, { status, statusText: null, headers });
  }

  // https://fetch.spec.whatwg.org/#dom-response-json
  static json(data, init = undefined) {
    webidl.requiredArguments(arguments.length, 1, "Failed to execute 'json' on 'Response'");
    const text = JSONStringify(data);
    if (text === undefined) throw new TypeError('Value is not JSON serializable.');
    const fields = convertInit(init);
    if (isNullBodyStatus(fields.status)) throw new TypeError(kNullBodyStatus);
    fields.inner = new InnerBody(text, null);
    if (!hasHeader(fields.headers, 'content-type')) {
      setHeader(fields.headers, 'Content-Type', 'application/json');
    }
    return new Response(kInternal, fields);
  }

  get type() { return this.#status === 0 ? 'error' : 'default'; }
  get url() {
    const list = this.#urlList;
    return list.length === 0 ? '' : list[list.length - 1];
  }

  get redirected() { return this.#urlList.length > 1; }
  get status() { return this.#status; }
  get ok() { return this.#status >= 200 && this.#status <= 299; }
  get statusText() {
    return this.#statusText === null ? defaultStatusText(this.#status) : this.#statusText;
  }

  get headers() { return this.#headers; }
  get webSocket() { return this.#webSocket; }
  get cf() { return this.#cf; }

  // https://fetch.spec.whatwg.org/#dom-response-clone
  clone() {
    if (!isResponse(this)) throw new TypeError('Illegal invocation');
    if (this.#webSocket !== null) {
      throw new TypeError('Cannot clone a response to a WebSocket handshake.');
    }
    let inner = null;
    if (this.#inner !== null) {
      const err = this.#inner.unusableError();
      if (err !== null) throw err;
      inner = this.#inner.clone();
    }
    const urlList = [];
    for (let i = 0; i < this.#urlList.length; i++) ArrayPrototypePush(urlList, this.#urlList[i]);
    return new Response(kInternal, {
      status: this.#status, statusText: this.#statusText, headers: copyHeaders(this.#headers),
      inner, urlList, cf: cloneCf(this.#cf), webSocket: null, encodeBody: this.#encodeBody,
    });
  }

  static {
    isResponse = (v) => typeof v === 'object' && v !== null && #inner in v;
    innerOf = (r) => {
      if (!isResponse(r)) throw new TypeError('Illegal invocation');
      return r.#inner;
    };
    headersOf = (r) => r.#headers;
    stateOf = (r) => ({
      status: r.#status, webSocket: r.#webSocket, encodeBody: r.#encodeBody,
      statusText: r.#statusText === null ? defaultStatusText(r.#status) : r.#statusText,
    });
  }
}

mixinBody(Response, innerOf, headersOf);
webidl.configureInterface(Response);
// WebIDL static operations are enumerable too.
for (const name of ['error', 'redirect', 'json']) {
  ObjectDefineProperty(Response, name, { enumerable: true });
}

// ---- internal API -------------------------------------------------------------------------------

// What the server writes for a Response returned by a fetch handler. `body` is null, a string
// (to be sent as UTF-8), a Uint8Array, or a ReadableStream for the server to read; the body is
// marked used. `headers` is flat [name, value, ...] with one pair per value (Set-Cookie lines stay
// separate). Throws TypeError if `response` is not a Response or its body was already used.
function responseForNative(response) {
  const inner = innerOf(response);
  const state = stateOf(response);
  return {
    status: state.status,
    statusText: state.statusText,
    headers: headersToFlat(headersOf(response)),
    body: inner === null ? null : inner.take(),
    webSocket: state.webSocket,
    encodeBody: state.encodeBody,
  };
}

// A Response from an outgoing fetch(): immutable headers from the flat pairs, `body` a
// ReadableStream or null, `urlList` the URLs visited (last one is `url`; more than one means
// `redirected`).
function newResponseFromNative(status, statusText, headerPairs, body, urlList = []) {
  return new Response(kInternal, {
    status,
    statusText: statusText === defaultStatusText(status) ? null : statusText,
    headers: headersFromRaw(headerPairs, 'immutable'),
    inner: body === null || body === undefined ? null : new InnerBody(null, body),
    urlList,
  });
}

internals.fetch.response = {
  Response, isResponse, responseForNative, newResponseFromNative, defaultStatusText,
};
internals.fetch.isResponse = isResponse;
internals.fetch.responseForNative = responseForNative;
internals.fetch.newResponseFromNative = newResponseFromNative;
internals.defineGlobal('Response', Response);
