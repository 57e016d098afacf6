// fetch(): outgoing HTTP(S) requests from a worker, as Cloudflare Workers make them.
// https://fetch.spec.whatwg.org/#fetch-method
// https://fetch.spec.whatwg.org/#http-redirect-fetch
// https://developers.cloudflare.com/workers/runtime-apis/fetch/
//
// The transfer is native (bindings/fetch_ops.cc: libcurl on the thread's loop). Each hop of a
// redirect chain is one native transfer with an integer id; native code reports through
// internals.outboundFetch.onEvent(id, kind, a, b, c) (kinds documented in fetch_ops.cc).
//
// Behaviour (workerd's where the spec leaves room):
// - `redirect: 'follow'` (the default) follows up to 20 redirects ("Too many redirects."): 303
//   turns any method but HEAD into a body-less GET, 301/302 do so for POST (dropping the
//   request-body headers); a body read from a stream cannot be sent again (TypeError, unless the
//   redirect is a 303); Authorization is dropped when the origin changes. `'manual'` returns the
//   3xx response as is. `response.url` is the last URL, `response.redirected` whether there were
//   several.
// - http: and https: URLs go to the network; data: URLs are decoded locally (as workerd does;
//   only a GET gets the body); anything else rejects with TypeError "Fetch API cannot load: …".
//   Redirects lead to http(s) only.
// - Network failures reject (or error the body being read) with a TypeError: "Network connection
//   lost." when the connection failed or broke, "fetch failed" otherwise (DNS, TLS, bad
//   encoding); `cause` carries the transport's description.
// - An aborted signal rejects with its reason and cancels the transfer and the request body; a
//   response body being read errors with the reason.
// - gzip, deflate and br response bodies are decoded (Accept-Encoding is sent unless the request
//   has one), unless `encodeResponseBody: 'manual'`. Workers keep Content-Encoding and compress
//   again when the response is returned; this runtime's server does not compress, so a decoded
//   response has no Content-Encoding and no Content-Length instead.
// - Headers go out as given, minus Host (from the URL), Content-Length (from the body) and
//   hop-by-hop fields. Nothing is added (no User-Agent, no Accept) except Accept-Encoding and,
//   for `cache: 'no-store' | 'no-cache' | 'reload'`, Cache-Control and Pragma "no-cache". `cf` is
//   accepted and ignored. No subrequest limit; no timeout except 30 s to connect.
// - A response body holds at most ~64 KiB that nobody read (the transfer pauses); dropping the
//   Response without reading it cancels the transfer when it is garbage-collected.
// Exposes `internals.outboundFetch` and the global `fetch`.
'use strict';

const {
  ArrayIsArray, ArrayPrototypePush, Error, FinalizationRegistry,
  FinalizationRegistryPrototypeRegister, FinalizationRegistryPrototypeUnregister, NumberParseInt,
  Promise, PromisePrototypeThen, ReflectApply, RegExpPrototypeExec, SafeMap, StringFromCharCode,
  StringPrototypeIndexOf, StringPrototypeSlice, StringPrototypeStartsWith,
  StringPrototypeToLowerCase, StringPrototypeTrim, TypeError,
  TypedArrayPrototypeGetSymbolToStringTag, TypedArrayPrototypeSlice, TypedArrayPrototypeSubarray,
  WeakRef, WeakRefPrototypeDeref,
} = primordials;
const { webidl } = internals;
const { Request, requestForNative } = internals.fetch.request;
const { newResponseFromNative } = internals.fetch.response;
const { parseMimeType, serializeMimeType } = internals.fetch.body;
const abortApi = internals.abort;
const urlApi = internals.url;
const streamsApi = internals.streams;
const S = internals.streams.impl;

// Native event kinds (bindings/fetch_ops.cc).
const kHead = 1;
const kData = 2;
const kEnd = 3;
const kError = 4;
const kNeedBody = 5;

// https://fetch.spec.whatwg.org/#http-redirect-fetch step 6 (workerd's MAX_REDIRECT_COUNT).
const kMaxRedirects = 20;
const kOneTimeBody = 'A request with a one-time-use body (it was initialized from a stream, not ' +
  'a buffer) encountered a redirect requiring the body to be retransmitted. To avoid this ' +
  'error in the future, construct this request from a buffer-like body initializer.';

// Not forwarded: the URL gives Host, the transport owns framing and connection management.
const kNotForwarded = {
  __proto__: null, host: 1, 'content-length': 1, connection: 1, 'keep-alive': 1,
  'proxy-connection': 1, te: 1, trailer: 1, 'transfer-encoding': 1, upgrade: 1,
};
// https://fetch.spec.whatwg.org/#request-body-header-name
const kRequestBodyHeaders = {
  __proto__: null, 'content-encoding': 1, 'content-language': 1, 'content-location': 1,
  'content-type': 1,
};

// https://fetch.spec.whatwg.org/#redirect-status
const isRedirectStatus = (s) => s === 301 || s === 302 || s === 303 || s === 307 || s === 308;
// https://fetch.spec.whatwg.org/#null-body-status
const isNullBodyStatus = (s) => s === 101 || s === 204 || s === 205 || s === 304;
const isUint8Array = (v) => TypedArrayPrototypeGetSymbolToStringTag(v) === 'Uint8Array';
const isStreamBody = (body) => body !== null && typeof body === 'object' && !isUint8Array(body);

function networkError(message, detail) {
  return new TypeError(message, { __proto__: null, cause: new Error(detail) });
}

function cancelQuietly(stream, reason) {
  PromisePrototypeThen(streamsApi.readableStreamCancel(stream, reason), undefined, () => {});
}

// The first value of header `name` (lower case) in flat pairs, or null.
function findHeader(flat, name) {
  for (let i = 0; i + 1 < flat.length; i += 2) {
    if (StringPrototypeToLowerCase(flat[i]) === name) return flat[i + 1];
  }
  return null;
}

function withoutHeaders(flat, names) {
  const out = [];
  for (let i = 0; i + 1 < flat.length; i += 2) {
    if (!(StringPrototypeToLowerCase(flat[i]) in names)) {
      ArrayPrototypePush(out, flat[i], flat[i + 1]);
    }
  }
  return out;
}

// The URL as sent: http(s) only, without credentials or fragment.
function requestTarget(url) {
  const record = urlApi.parse(url, null);
  if (record === null || (record.scheme !== 'http' && record.scheme !== 'https')) {
    throw new TypeError(`Fetch API cannot load: ${url}`);
  }
  const copy = urlApi.clone(record);
  copy.username = '';
  copy.password = '';
  return urlApi.serialize(copy, true);
}

// ---- one fetch() call --------------------------------------------------------------------------

class FetchState {
  method;
  url;           // current URL (without fragment)
  urlList;       // https://fetch.spec.whatwg.org/#concept-request-url-list
  headers;       // flat pairs, as the request has them
  body;          // null | string | Uint8Array | ReadableStream
  bodyLength = -1;
  redirect;
  cache;
  decode;
  signal;
  hop = null;        // the current Hop
  upload = null;     // the streamed request body being sent, if any
  aborted = false;
  reason = undefined;
  onAbort = null;

  constructor(r) {
    this.method = r.method;
    const record = urlApi.parse(r.url, null);
    this.url = record === null ? r.url : urlApi.serialize(record, true);
    this.urlList = [this.url];
    this.headers = r.headers;
    this.body = r.body;
    this.redirect = r.redirect;
    this.cache = r.cache;
    this.decode = r.encodeResponseBody !== 'manual';
    this.signal = r.signal;
    if (isStreamBody(this.body)) {
      const known = streamsApi.getKnownLength(this.body);
      const given = findHeader(this.headers, 'content-length');
      if (known !== undefined) {
        this.bodyLength = known;
      } else if (given !== null && RegExpPrototypeExec(/^[0-9]{1,15}$/, given) !== null) {
        this.bodyLength = NumberParseInt(given, 10);
      }
    }
  }

  outgoingHeaders() {
    const out = withoutHeaders(this.headers, kNotForwarded);
    if (this.cache !== undefined) {
      if (findHeader(out, 'cache-control') === null) {
        ArrayPrototypePush(out, 'Cache-Control', 'no-cache');
      }
      if (findHeader(out, 'pragma') === null) ArrayPrototypePush(out, 'Pragma', 'no-cache');
    }
    return out;
  }

  // The response is complete (or the fetch failed): the signal no longer matters.
  finish() {
    if (this.onAbort !== null) {
      abortApi.removeAbortAlgorithm(this.signal, this.onAbort);
      this.onAbort = null;
    }
  }
}

// ---- one native transfer -----------------------------------------------------------------------

const hops = new SafeMap();  // id -> Hop

class Hop {
  id;
  state;
  done = false;
  headResolve = null;    // pending until kHead (or a failure)
  headReject = null;
  controller = null;     // the body's controller while a pull waits for native data
  pullResolve = null;
  controllerRef = null;  // WeakRef to the body's controller (the body may be collected)

  constructor(id, state) {
    this.id = id;
    this.state = state;
  }
}

// Body streams nobody holds any more: cancel their transfers.
const registry = new FinalizationRegistry((id) => {
  const hop = hops.get(id);
  if (hop !== undefined) finalizeHop(hop);
});

// Stops a transfer (native and bookkeeping). Safe to call twice.
function closeHop(hop) {
  if (hop.done) return;
  hop.done = true;
  hops.delete(hop.id);
  ops.fetchCancel(hop.id);
  FinalizationRegistryPrototypeUnregister(registry, hop);
}

// Stops the last transfer of a fetch: the signal no longer matters either.
function finalizeHop(hop) {
  closeHop(hop);
  if (hop.state.hop === hop) hop.state.finish();
}

// Fails a transfer with `error`: rejects the pending head, or errors the body being read.
function failHop(hop, error) {
  if (hop.done) return;
  const reject = hop.headReject;
  const controller = hop.controller !== null ? hop.controller :
    hop.controllerRef !== null ? WeakRefPrototypeDeref(hop.controllerRef) : undefined;
  const resolvePull = hop.pullResolve;
  hop.headResolve = hop.headReject = hop.controller = hop.pullResolve = null;
  finalizeHop(hop);
  if (reject !== null) {
    reject(error);
  } else if (controller !== undefined) {
    controller.error(error);
    if (resolvePull !== null) resolvePull();
  }
}

function startHop(state) {
  const target = requestTarget(state.url);
  let body = state.body;
  let streamBody = null;
  if (isStreamBody(body)) {
    streamBody = body;
    body = true;
  }
  const id = ops.fetchStart(state.method, target, state.outgoingHeaders(), body, state.bodyLength,
                            state.decode ? 1 : 0);
  const hop = new Hop(id, state);
  hops.set(id, hop);
  state.hop = hop;
  const promise = new Promise((resolve, reject) => {
    hop.headResolve = resolve;
    hop.headReject = reject;
  });
  if (streamBody !== null) startUpload(hop, streamBody);
  return promise;
}

// ---- streamed request bodies -------------------------------------------------------------------

// Reads the request body stream and hands each chunk to the transfer, waiting for kNeedBody when
// the native queue is full.
function startUpload(hop, stream) {
  const up = {
    __proto__: null, hop, stream, reader: null, finished: false, waiting: false, reading: false,
    again: false, resume: null,
  };
  hop.state.upload = up;
  up.reader = S.acquireReadableStreamDefaultReader(S.recordOf(stream, S.K.RS));
  const readRequest = new S.ReadRequest((chunk) => {
    if (up.finished) return;
    if (!isUint8Array(chunk)) {
      failUpload(up, new TypeError('This ReadableStream did not return bytes.'));
      return;
    }
    const more = ops.fetchWrite(up.hop.id, chunk);
    if (more < 0) {
      stopUpload(up, undefined);
    } else if (more === 0) {
      up.waiting = true;
    } else if (up.reading) {
      up.again = true;
    } else {
      pump();
    }
  }, () => {
    if (up.finished) return;
    up.finished = true;
    ops.fetchWrite(up.hop.id, null);
  }, (e) => {
    if (!up.finished) failUpload(up, e);
  });
  // Chunks already queued arrive synchronously: iterate instead of recursing.
  const pump = () => {
    do {
      up.again = false;
      up.reading = true;
      S.readableStreamDefaultReaderRead(up.reader, readRequest);
      up.reading = false;
    } while (up.again && !up.finished && !up.waiting);
  };
  up.resume = () => {
    if (up.finished || !up.waiting) return;
    up.waiting = false;
    pump();
  };
  pump();
}

// The transfer no longer reads the body (it finished, was redirected or aborted).
function stopUpload(up, reason) {
  if (up.finished) return;
  up.finished = true;
  cancelQuietly(up.stream, reason);
}

// The body stream failed: so does the fetch.
function failUpload(up, error) {
  up.finished = true;
  failHop(up.hop, error);
}

// ---- response bodies ---------------------------------------------------------------------------

function bodyStream(hop) {
  const stream = streamsApi.createReadableByteStream({
    __proto__: null,
    start(controller) { hop.controllerRef = new WeakRef(controller); },
    pull(controller) { return pullBody(hop, controller); },
    cancel() { finalizeHop(hop); },
  }, 0);
  FinalizationRegistryPrototypeRegister(registry, stream, hop.id, hop);
  return stream;
}

function pullBody(hop, controller) {
  if (hop.done) return undefined;
  const result = ops.fetchPull(hop.id);
  if (result === undefined) {
    hop.controller = controller;
    return new Promise((resolve) => { hop.pullResolve = resolve; });
  }
  applyBody(hop, controller, result);
  return undefined;
}

// `result`: Uint8Array (more bytes), null (end) or [message, detail] (failure).
function applyBody(hop, controller, result) {
  if (result === null) {
    endHop(hop);
    controller.close();
    // A BYOB read waiting with nothing filled completes as done.
    const byob = controller.byobRequest;
    if (byob !== null) byob.respond(0);
  } else if (ArrayIsArray(result)) {
    endHop(hop);
    controller.error(networkError(result[0], result[1]));
  } else {
    controller.enqueue(result);
  }
}

// The native side is finished with this id already.
function endHop(hop) {
  hop.done = true;
  hops.delete(hop.id);
  FinalizationRegistryPrototypeUnregister(registry, hop);
  if (hop.state.hop === hop) hop.state.finish();
}

// Answers a pull that waited for native data.
function deliverBody(hop, result) {
  const controller = hop.controller;
  const resolve = hop.pullResolve;
  hop.controller = hop.pullResolve = null;
  if (controller === null) return;
  applyBody(hop, controller, result);
  resolve();
}

// Called by bindings/fetch_ops.cc from the loop.
function onEvent(id, kind, a, b, c) {
  const hop = hops.get(id);
  if (hop === undefined) return;
  switch (kind) {
    case kHead: {
      const resolve = hop.headResolve;
      hop.headResolve = hop.headReject = null;
      if (resolve !== null) resolve({ __proto__: null, status: a, statusText: b, headers: c });
      break;
    }
    case kData:
      deliverBody(hop, a);
      break;
    case kEnd:
      deliverBody(hop, null);
      break;
    case kError:
      if (hop.headReject !== null) {
        const reject = hop.headReject;
        hop.headResolve = hop.headReject = null;
        endHop(hop);
        reject(networkError(a, b));
      } else {
        deliverBody(hop, [a, b]);
      }
      break;
    case kNeedBody: {
      const up = hop.state.upload;
      if (up !== null && up.hop === hop) up.resume();
      break;
    }
    default:
      break;
  }
}

// ---- redirects (https://fetch.spec.whatwg.org/#http-redirect-fetch) ----------------------------

function followRedirect(state, status, location) {
  // Step 3: the Location, parsed against the current URL.
  const current = urlApi.parse(state.url, null);
  const next = urlApi.parse(location, current);
  if (next === null) throw new TypeError('Invalid Location header; unable to follow redirect.');
  const nextUrl = urlApi.serialize(next, true);
  // Step 5: only HTTP(S).
  if (next.scheme !== 'http' && next.scheme !== 'https') {
    throw new TypeError(`Fetch API cannot load: ${nextUrl}`);
  }
  // Step 6.
  if (state.urlList.length - 1 >= kMaxRedirects) throw new TypeError('Too many redirects.');
  // Step 9: a body read from a stream cannot be sent again.
  if (status !== 303 && isStreamBody(state.body)) throw new TypeError(kOneTimeBody);
  // Step 11.
  if (((status === 301 || status === 302) && state.method === 'POST') ||
      (status === 303 && state.method !== 'HEAD')) {
    state.method = 'GET';
    state.body = null;
    state.bodyLength = -1;
    state.headers = withoutHeaders(state.headers, kRequestBodyHeaders);
  }
  // Step 13.
  if (urlApi.serializeOrigin(current) !== urlApi.serializeOrigin(next)) {
    state.headers = withoutHeaders(state.headers, { __proto__: null, authorization: 1 });
  }
  ArrayPrototypePush(state.urlList, nextUrl);
  state.url = nextUrl;
}

// ---- data: URLs (https://fetch.spec.whatwg.org/#data-url-processor) ----------------------------

const kDataBase64 = /;\u0020*base64$/i;

function isomorphicDecode(bytes) {
  let out = '';
  for (let i = 0; i < bytes.length; i += 8192) {
    const part = TypedArrayPrototypeSubarray(bytes, i, i + 8192);
    out += ReflectApply(StringFromCharCode, undefined, part);
  }
  return out;
}

// -> { type, body: Uint8Array }, or null on failure.
function processDataURL(record) {
  // Steps 2-3: the URL without fragment and without "data:".
  const input = StringPrototypeSlice(urlApi.serialize(record, true), 5);
  // Steps 4-7: the MIME type runs up to the first comma.
  const comma = StringPrototypeIndexOf(input, ',');
  if (comma < 0) return null;
  let mimeType = StringPrototypeTrim(StringPrototypeSlice(input, 0, comma));
  // Steps 8-9.
  let body = urlApi.percentDecodeString(StringPrototypeSlice(input, comma + 1));
  // Step 10: ";base64".
  const base64 = RegExpPrototypeExec(kDataBase64, mimeType);
  if (base64 !== null) {
    body = ops.base64Decode(isomorphicDecode(body));
    if (body === undefined) return null;
    mimeType = StringPrototypeSlice(mimeType, 0, base64.index);
  }
  // Steps 11-13.
  if (StringPrototypeStartsWith(mimeType, ';')) mimeType = `text/plain${mimeType}`;
  const parsed = parseMimeType(mimeType);
  return {
    __proto__: null,
    type: parsed === null ? 'text/plain;charset=US-ASCII' : serializeMimeType(parsed),
    body: TypedArrayPrototypeSlice(body),
  };
}

// https://fetch.spec.whatwg.org/#scheme-fetch, "data"
function dataResponse(state) {
  const data = processDataURL(urlApi.parse(state.url, null));
  if (data === null) throw new TypeError(`Fetch API cannot load: ${state.url}`);
  // workerd gives the body to GET requests only.
  const body = state.method === 'GET' ? streamsApi.readableStreamFromBytes(data.body) : null;
  return newResponseFromNative(200, 'OK', ['Content-Type', data.type], body, [state.url]);
}

// ---- fetch() -----------------------------------------------------------------------------------

async function fetch(input, init = undefined) {
  webidl.requiredArguments(arguments.length, 1,
                           "Failed to execute 'fetch' on 'WorkerGlobalScope'");
  const request = new Request(input, init);
  const state = new FetchState(requestForNative(request));
  const signal = state.signal;
  if (signal !== null && abortApi.isAborted(signal)) {
    if (isStreamBody(state.body)) cancelQuietly(state.body, abortApi.getReason(signal));
    throw abortApi.getReason(signal);
  }
  if (signal !== null) {
    state.onAbort = () => {
      state.aborted = true;
      state.reason = abortApi.getReason(signal);
      if (state.upload !== null) stopUpload(state.upload, state.reason);
      if (state.hop !== null) failHop(state.hop, state.reason);
      state.finish();
    };
    abortApi.addAbortAlgorithm(signal, state.onAbort);
  }
  if (StringPrototypeStartsWith(state.url, 'data:')) {
    state.finish();
    return dataResponse(state);
  }
  try {
    for (;;) {
      const head = await startHop(state);
      const hop = state.hop;
      if (state.aborted) throw state.reason;
      if (state.redirect === 'follow' && isRedirectStatus(head.status)) {
        const location = findHeader(head.headers, 'location');
        // No Location: the redirect response is the response (step 2 of the redirect fetch).
        if (location !== null) {
          closeHop(hop);
          if (state.upload !== null) stopUpload(state.upload, undefined);
          followRedirect(state, head.status, location);
          continue;
        }
      }
      let body = null;
      if (state.method === 'HEAD' || isNullBodyStatus(head.status)) {
        finalizeHop(hop);
      } else {
        body = bodyStream(hop);
      }
      const urlList = [];
      for (let i = 0; i < state.urlList.length; i++) ArrayPrototypePush(urlList, state.urlList[i]);
      return newResponseFromNative(head.status, head.statusText, head.headers, body, urlList);
    }
  } catch (e) {
    if (state.hop !== null) closeHop(state.hop);
    if (state.upload !== null) stopUpload(state.upload, e);
    state.finish();
    throw e;
  }
}

internals.outboundFetch = { __proto__: null, onEvent, fetch };
internals.defineGlobal('fetch', fetch);
