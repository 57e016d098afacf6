// Request, as Cloudflare Workers expose it.
// https://fetch.spec.whatwg.org/#request-class
//
// Differences from the spec, following workerd:
// - No CORS concepts: `mode`, `credentials`, `referrer`, `referrerPolicy`, `keepalive`, `window`,
//   `priority` are ignored in the init dictionary, and only `keepalive` (always false) and
//   `integrity` (always "") exist as attributes. `duplex` is accepted and ignored (a stream body
//   does not require it).
// - `redirect` is "follow" or "manual" (case-insensitive); `cache` is "no-store", "no-cache" or
//   "reload" (or absent). Cloudflare additions: `cf`, `fetcher`, `encodeResponseBody`.
// - Methods are upper-cased when they match a known HTTP method in any case ("patch" -> "PATCH").
// - `new Request(request, { body: null })` drops the input's body; `new Request(getWithBody)`
//   keeps it (proxying GET/HEAD requests with bodies is allowed when neither method nor body is
//   changed).
// - `signal` is the given AbortSignal itself (not a follower), or a never-aborting one.
// Exposes `internals.fetch.request`.
'use strict';

const {
  ArrayBufferIsView, JSONParse, JSONStringify, ObjectFreeze, ObjectIsFrozen, ReflectOwnKeys,
  RegExpPrototypeExec,
  StringPrototypeToLowerCase, StringPrototypeToUpperCase, TypeError,
} = primordials;
const { webidl } = internals;
const { InnerBody, extractBody, mixinBody } = internals.fetch.body;
const { copyHeaders, newHeaders, headersFromRaw, hasHeader, setHeader, headersToFlat } =
  internals.fetch.headers;

const methodTokenRe = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// Methods upper-cased when given in another case (the spec's six, plus the rest kj knows).
const knownMethods = {
  __proto__: null, GET: 1, HEAD: 1, POST: 1, PUT: 1, DELETE: 1, OPTIONS: 1, PATCH: 1, PURGE: 1,
  COPY: 1, LOCK: 1, MKCOL: 1, MOVE: 1, PROPFIND: 1, PROPPATCH: 1, SEARCH: 1, UNLOCK: 1, ACL: 1,
  REPORT: 1, MKACTIVITY: 1, CHECKOUT: 1, MERGE: 1, 'M-SEARCH': 1, NOTIFY: 1, SUBSCRIBE: 1,
  UNSUBSCRIBE: 1, QUERY: 1,
};
// https://fetch.spec.whatwg.org/#forbidden-method
const forbiddenMethods = { __proto__: null, CONNECT: 1, TRACE: 1, TRACK: 1 };
const cacheModes = { __proto__: null, 'no-store': 1, 'no-cache': 1, reload: 1 };

// https://fetch.spec.whatwg.org/#concept-method-normalize, with workerd's upper-casing.
function normalizeMethod(m) {
  if (RegExpPrototypeExec(methodTokenRe, m) === null) {
    throw new TypeError(`Invalid HTTP method string: ${m}`);
  }
  const upper = StringPrototypeToUpperCase(m);
  if (upper in forbiddenMethods) throw new TypeError(`Invalid HTTP method string: ${m}`);
  return upper in knownMethods ? upper : m;
}

function parseURL(input) {
  const record = internals.url.parse(input, null);
  if (record === null) throw new TypeError(`Invalid URL: ${input}`);
  return internals.url.serialize(record);
}

function isAbortSignal(v) {
  return internals.abort.isAbortSignal(v);
}

// `cf` values: a plain JSON-able object owned by the request. Incoming requests get theirs as a
// JSON string or object from the runtime, parsed on first access and deeply frozen.
function cloneCf(cf) {
  if (cf === undefined) return undefined;
  return JSONParse(JSONStringify(cf));
}

function deepFreeze(o) {
  if (typeof o !== 'object' || o === null || ObjectIsFrozen(o)) return o;
  ObjectFreeze(o);
  const keys = ReflectOwnKeys(o);
  for (let i = 0; i < keys.length; i++) deepFreeze(o[keys[i]]);
  return o;
}

const kEmptyInit = ObjectFreeze({ __proto__: null });
const kInternal = {};  // constructor sentinel for internal creation (never reachable by users)
let isRequest, innerOf, headersOf, stateOf, setRedirect;

class Request {
  #method = 'GET';
  #url = '';
  #headers;
  #inner = null;            // InnerBody or null (null body)
  #redirect = 'follow';
  #signal = null;           // AbortSignal given at construction, or made on first access
  #cf = undefined;          // object, or a JSON string not yet parsed (incoming requests)
  #fetcher = null;
  #cache = undefined;
  #encodeResponseBody = 'automatic';

  // https://fetch.spec.whatwg.org/#dom-request
  constructor(input, init = undefined) {
    if (input === kInternal) {
      this.#method = init.method;
      this.#url = init.url;
      this.#headers = init.headers;
      this.#inner = init.inner;
      this.#signal = init.signal;
      this.#cf = init.cf;
      return;
    }
    webidl.requiredArguments(arguments.length, 1, "Failed to construct 'Request'");
    // An absent init reads no properties (not even inherited ones).
    init = init === undefined || init === null ? kEmptyInit :
      webidl.toDictionary(init, "Failed to construct 'Request': init");

    let inputRequest = null;
    let cf;
    let signal = null;
    let headers = null;
    if (isRequest(input)) {
      inputRequest = input;
      this.#url = input.#url;
      this.#method = input.#method;
      this.#redirect = input.#redirect;
      this.#fetcher = input.#fetcher;
      this.#cache = input.#cache;
      this.#encodeResponseBody = input.#encodeResponseBody;
      signal = input.#signal;
      cf = input.#cfValue();
    } else {
      this.#url = parseURL(internals.url.toUSVString(input));
    }

    // Init members, read in WebIDL dictionary order.
    const initBody = init.body;
    const initCache = init.cache;
    const initCf = init.cf;
    const initEncode = init.encodeResponseBody;
    const initFetcher = init.fetcher;
    const initHeaders = init.headers;
    const initIntegrity = init.integrity;
    const initMethod = init.method;
    const initRedirect = init.redirect;
    const initSignal = init.signal;

    // An explicit `body` (even null) replaces the input's body; otherwise it is taken over, so it
    // must still be usable.
    const takeInputBody = inputRequest !== null && initBody === undefined &&
                          inputRequest.#inner !== null;
    if (takeInputBody) {
      const inner = inputRequest.#inner;
      if (inner.used) throw new TypeError('Cannot reconstruct a Request with a used body.');
      const err = inner.unusableError();
      if (err !== null) throw err;
    }

    if (initIntegrity !== undefined && webidl.toDOMString(initIntegrity) !== '') {
      throw new TypeError('Subrequest integrity checking is not implemented. The integrity ' +
                          'option must be either undefined or an empty string.');
    }
    if (initMethod !== undefined) {
      this.#method = normalizeMethod(webidl.toByteString(initMethod, 'method'));
    }
    headers = initHeaders !== undefined ? newHeaders(initHeaders, 'request') :
      inputRequest !== null ? copyHeaders(inputRequest.#headers, 'request') :
        newHeaders(undefined, 'request');
    if (initFetcher !== undefined) this.#fetcher = initFetcher;
    if (initSignal !== undefined) {
      if (initSignal !== null && !isAbortSignal(initSignal)) {
        throw new TypeError("Failed to construct 'Request': member signal is not of type " +
                            'AbortSignal.');
      }
      signal = initSignal;
    }
    if (initCf !== undefined && initCf !== null) {
      if (typeof initCf !== 'object' && typeof initCf !== 'function') {
        throw new TypeError("Failed to construct 'Request': member cf is not an object.");
      }
      cf = initCf;
    }
    cf = cloneCf(cf);

    let extracted = null;
    if (initBody !== undefined && initBody !== null) {
      extracted = extractBody(initBody);
      if (this.#method === 'GET' || this.#method === 'HEAD') {
        throw new TypeError('Request with a GET or HEAD method cannot have a body.');
      }
    }
    if (initRedirect !== undefined) {
      const r = StringPrototypeToLowerCase(webidl.toDOMString(initRedirect));
      if (r !== 'follow' && r !== 'manual') {
        throw new TypeError('Invalid redirect value, must be one of "follow" or "manual" ' +
                            '("error" won\'t be implemented since it does not make sense at ' +
                            'the edge; use "manual" and check the response status code).');
      }
      this.#redirect = r;
    }
    if (initCache !== undefined) {
      const c = webidl.toDOMString(initCache);
      if (!(c in cacheModes)) throw new TypeError(`Unsupported cache mode: ${c}`);
      this.#cache = c;
    }
    if (initEncode !== undefined) {
      const e = webidl.toDOMString(initEncode);
      if (e !== 'manual' && e !== 'automatic') {
        throw new TypeError(`encodeResponseBody: unexpected value: ${e}`);
      }
      this.#encodeResponseBody = e;
    }
    // A GET/HEAD request keeps a body only when proxied unchanged (neither method nor body given).
    if ((initMethod !== undefined || initBody !== undefined) && takeInputBody &&
        (this.#method === 'GET' || this.#method === 'HEAD')) {
      throw new TypeError('Request with a GET or HEAD method cannot have a body.');
    }

    // Nothing throws past this point: the input request's body is taken only now.
    if (extracted !== null) {
      this.#inner = extracted.body;
      if (extracted.type !== null && !hasHeader(headers, 'content-type')) {
        setHeader(headers, 'Content-Type', extracted.type);
      }
    } else if (takeInputBody) {
      this.#inner = inputRequest.#inner.transfer();
    }
    this.#headers = headers;
    this.#signal = signal;
    this.#cf = cf;
  }

  get method() { return this.#method; }
  get url() { return this.#url; }
  get headers() { return this.#headers; }
  get redirect() { return this.#redirect; }
  get fetcher() { return this.#fetcher; }

  get signal() {
    if (this.#signal === null) this.#signal = internals.abort.newSignal();
    return this.#signal;
  }

  get cf() { return this.#cfValue(); }
  get integrity() { return ''; }
  get keepalive() { return false; }
  get cache() { return this.#cache; }

  // https://fetch.spec.whatwg.org/#dom-request-clone
  clone() {
    if (!isRequest(this)) throw new TypeError('Illegal invocation');
    let inner = null;
    if (this.#inner !== null) {
      const err = this.#inner.unusableError();
      if (err !== null) throw err;
      inner = this.#inner.clone();
    }
    const r = new Request(kInternal, {
      method: this.#method, url: this.#url, headers: copyHeaders(this.#headers), inner,
      signal: this.#signal, cf: cloneCf(this.#cfValue()),
    });
    r.#redirect = this.#redirect;
    r.#fetcher = this.#fetcher;
    r.#cache = this.#cache;
    r.#encodeResponseBody = this.#encodeResponseBody;
    return r;
  }

  #cfValue() {
    if (typeof this.#cf === 'string') this.#cf = deepFreeze(JSONParse(this.#cf));
    return this.#cf;
  }

  static {
    isRequest = (v) => typeof v === 'object' && v !== null && #inner in v;
    innerOf = (r) => {
      if (!isRequest(r)) throw new TypeError('Illegal invocation');
      return r.#inner;
    };
    headersOf = (r) => r.#headers;
    setRedirect = (r, mode) => { r.#redirect = mode; };
    stateOf = (r) => ({
      method: r.#method, url: r.#url, redirect: r.#redirect, signal: r.#signal,
      cf: r.#cfValue(), cache: r.#cache, encodeResponseBody: r.#encodeResponseBody,
      fetcher: r.#fetcher,
    });
  }
}

mixinBody(Request, innerOf, headersOf);
webidl.configureInterface(Request);

// ---- internal API -------------------------------------------------------------------------------

// The Request a fetch handler receives. `headerPairs` is the parser's flat [name, value, ...]
// (trusted, indexed lazily); headers are immutable, as on Cloudflare. `body` is a ReadableStream
// or null; `cf` an object, a JSON string, or undefined (frozen on first access); `signal` an
// optional AbortSignal that aborts when the client goes away.
// Incoming requests are 'manual' as in workerd: a worker that passes the request to fetch()
// hands redirects back to its client instead of following them.
function newRequestFromNative(method, url, headerPairs, body, cf, signal = null) {
  const request = new Request(kInternal, {
    method, url, headers: headersFromRaw(headerPairs, 'immutable'),
    // A Uint8Array body was received whole: it stays in memory until someone asks for a stream.
    inner: body === null || body === undefined ? null :
        ArrayBufferIsView(body) ? new InnerBody(body, null) : new InnerBody(null, body),
    signal, cf: typeof cf === 'object' && cf !== null ? deepFreeze(cf) : cf,
  });
  setRedirect(request, 'manual');
  return request;
}

// What outgoing fetch() needs. The body is a string or Uint8Array when still in memory (usable
// again for redirects), else the stream; it is marked used. Throws TypeError if unusable.
function requestForNative(request) {
  const state = stateOf(request);
  const inner = innerOf(request);
  const cf = state.cf;
  return {
    method: state.method,
    url: state.url,
    headers: headersToFlat(headersOf(request)),
    body: inner === null ? null : inner.take(),
    redirect: state.redirect,
    signal: state.signal,
    cf: cf === undefined ? undefined : JSONStringify(cf),
    cache: state.cache,
    encodeResponseBody: state.encodeResponseBody,
  };
}

internals.fetch.request = { Request, isRequest, newRequestFromNative, requestForNative };
internals.fetch.isRequest = isRequest;
internals.fetch.newRequestFromNative = newRequestFromNative;
internals.fetch.requestForNative = requestForNative;
internals.defineGlobal('Request', Request);
