// Event dispatch: turns native requests into calls of the worker's handlers, for both the ES-module
// format (`export default { fetch, scheduled }`, or a WorkerEntrypoint class) and service-worker
// syntax (`addEventListener('fetch', e => e.respondWith(...))`).
// https://developers.cloudflare.com/workers/runtime-apis/handlers/fetch/
// Exposes internals.dispatch = { init, fetch, scheduled }.
'use strict';

const {
  Error, FunctionPrototypeCall, ObjectPrototypeHasOwnProperty, PromisePrototypeThen,
  PromiseResolveSafe, ReflectApply, TypeError, ObjectKeys, ObjectGetPrototypeOf, DateNow,
  JSONParse, ObjectDefineProperty, Uint8Array, SafeArrayIterator,
} = primordials;

let mode = 'none';   // 'modules' | 'service-worker'
let handlers = null;  // module default export (object), or a WorkerEntrypoint subclass
let env = {};

const log = (text) => ops.writeText(`${text}\n`, true);
const describe = (e) => (internals.console ? internals.console.inspect(e) : `${e?.stack ?? e}`);

// --- service-worker syntax: global event listeners --------------------------------------------
const globalListeners = { fetch: [], scheduled: [] };
let responded;  // set by FetchEvent.respondWith during dispatch

// The global object is an EventTarget (events other than fetch/scheduled, e.g. 'error' or
// 'unhandledrejection', are dispatched on it like any EventTarget).
internals.events.initEventTarget(globalThis);
const EventTargetPrototype = internals.events.EventTarget.prototype;
const targetAdd = EventTargetPrototype.addEventListener;
const targetRemove = EventTargetPrototype.removeEventListener;

function addEventListener(type, listener) {
  if (type !== 'fetch' && type !== 'scheduled') {
    return ReflectApply(targetAdd, globalThis, arguments);
  }
  if (typeof listener === 'function' || (listener && typeof listener.handleEvent === 'function')) {
    globalListeners[type][globalListeners[type].length] = listener;
  }
}

function removeEventListener(type, listener) {
  const list = globalListeners[type];
  if (!list) return ReflectApply(targetRemove, globalThis, arguments);
  for (let i = 0; i < list.length; i++) {
    if (list[i] === listener) {
      for (let j = i; j < list.length - 1; j++) list[j] = list[j + 1];
      list.length--;
      return;
    }
  }
}

function callListeners(type, event) {
  for (const listener of new SafeArrayIterator(globalListeners[type])) {
    if (typeof listener === 'function') FunctionPrototypeCall(listener, globalThis, event);
    else FunctionPrototypeCall(listener.handleEvent, listener, event);
  }
}

const EventBase = internals.events.Event;

class FetchEvent extends EventBase {
  #request;
  #ctx;
  #responded = false;
  constructor(type, init = {}) {
    super(type);
    this.#request = init.request;
    this.#ctx = init[ctxKey] ?? internals.workers.newContext();
  }
  get request() { return this.#request; }
  respondWith(response) {
    if (this.#responded) {
      throw new (internals.DOMException ?? Error)('FetchEvent.respondWith() has already been called; it can only be called once.', 'InvalidStateError');
    }
    this.#responded = true;
    responded = PromiseResolveSafe(response);
  }
  waitUntil(promise) { this.#ctx.waitUntil(promise); }
  passThroughOnException() {}
}
const ctxKey = Symbol('ctx');

class ScheduledEvent extends EventBase {
  #ctx;
  constructor(type, init = {}) {
    super(type);
    this.scheduledTime = init.scheduledTime;
    this.cron = init.cron;
    this.#ctx = init[ctxKey] ?? internals.workers.newContext();
  }
  waitUntil(promise) { this.#ctx.waitUntil(promise); }
  noRetry() {}
}

// --- env --------------------------------------------------------------------------------------
// config: { vars: { NAME: jsonValue }, secrets: { NAME: string }, bindings: [{ type, name, ... }] }
function buildEnv(config) {
  const result = {};
  for (const name of ObjectKeys(config.vars ?? {})) result[name] = config.vars[name];
  for (const name of ObjectKeys(config.secrets ?? {})) result[name] = config.secrets[name];
  for (const binding of new SafeArrayIterator(config.bindings ?? [])) {
    const make = internals.bindings?.[binding.type];
    if (make) result[binding.name] = make(binding);
  }
  return result;
}

// init(namespace | undefined, configJson): namespace is the entry module's namespace (modules
// format) or undefined (service-worker syntax, script already evaluated with env globals).
function init(namespace, configJson) {
  env = buildEnv(JSONParse(configJson));
  internals.workers.setEnv(env);
  return env;
}

function defineEnvGlobals(configJson) {
  const e = buildEnv(JSONParse(configJson));
  for (const name of ObjectKeys(e)) {
    ObjectDefineProperty(globalThis, name, { value: e[name], writable: true, configurable: true, enumerable: true });
  }
  env = e;
  internals.workers.setEnv(env);
}

function setEntry(namespace) {
  if (namespace === undefined) {
    mode = 'service-worker';
    handlers = null;
    return;
  }
  mode = 'modules';
  handlers = namespace.default;
}

function hasHandler(name) {
  if (mode === 'service-worker') return globalListeners[name].length > 0;
  if (handlers == null) return false;
  if (typeof handlers === 'function') return typeof handlers.prototype?.[name] === 'function';
  return typeof handlers[name] === 'function';
}

// Calls handler `name` in the module format; WorkerEntrypoint classes get a fresh instance.
function callModuleHandler(name, arg, ctx) {
  if (typeof handlers === 'function') {
    const instance = new handlers(ctx, env);
    return FunctionPrototypeCall(instance[name], instance, arg);
  }
  return FunctionPrototypeCall(handlers[name], handlers, arg, env, ctx);
}

// --- fetch ------------------------------------------------------------------------------------
const errorBody = 'Internal Server Error';

function respondError(reqId, status = 500) {
  ops.httpRespond(reqId, status, '', ['content-type', 'text/plain;charset=UTF-8'], errorBody);
}

async function pumpBody(reqId, stream) {
  const reader = internals.streams.getReaderFor(stream);
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      if (!(value instanceof Uint8Array)) {
        throw new TypeError('This ReadableStream did not return bytes.');
      }
      const wait = ops.httpWrite(reqId, value);
      if (wait === false || (wait !== undefined && (await wait) === false)) {
        // Client went away: stop producing, and release the exchange.
        ops.httpAbort(reqId);
        await internals.streams.readableStreamCancel(stream, new Error('client disconnected'));
        return;
      }
    }
    ops.httpEnd(reqId);
  } catch (e) {
    log(`Uncaught exception while streaming the response body: ${describe(e)}`);
    ops.httpAbort(reqId);
  }
}

function sendResponse(reqId, response) {
  if (!internals.fetch.isResponse(response)) {
    log('Error: TypeError: Incorrect type for Promise: the Promise did not resolve to \'Response\'.');
    return respondError(reqId);
  }
  const out = internals.fetch.responseForNative(response);
  const body = out.body;
  if (body === null || typeof body === 'string' || body instanceof Uint8Array) {
    ops.httpRespond(reqId, out.status, out.statusText, out.headers, body);
    return;
  }
  ops.httpRespond(reqId, out.status, out.statusText, out.headers, true);
  pumpBody(reqId, body);
}

function requestBodyStream(reqId) {
  return internals.streams.createReadableByteStream({
    async pull(controller) {
      const chunk = await ops.httpReadBody(reqId);
      if (chunk === null) {
        controller.close();
        controller.byobRequest?.respond(0);
      } else {
        controller.enqueue(chunk);
      }
    },
    cancel() { ops.httpDiscardBody(reqId); },
  }, 0);
}

// request.cf from Cloudflare's forwarded headers (hybrid setups behind Cloudflare).
function buildCf(headers) {
  const cf = { httpProtocol: 'HTTP/1.1', clientTcpRtt: 0 };
  for (let i = 0; i < headers.length; i += 2) {
    const name = headers[i].toLowerCase();
    if (name === 'cf-ipcountry') cf.country = headers[i + 1];
    else if (name === 'cf-ray') {
      const dash = headers[i + 1].lastIndexOf('-');
      if (dash > 0) cf.colo = headers[i + 1].slice(dash + 1);
    }
  }
  return cf;
}

// body: false (none), true (streamed from the connection) or a Uint8Array (collected already).
async function handleFetch(reqId, method, url, headers, body) {
  try {
    body = body === true ? requestBodyStream(reqId) : body === false ? null : body;
    const request = internals.fetch.newRequestFromNative(method, url, headers, body, buildCf(headers));
    const ctx = internals.workers.newContext();
    let response;
    if (mode === 'modules') {
      if (!hasHandler('fetch')) {
        log('Error: Handler does not export a fetch() function.');
        return respondError(reqId);
      }
      response = await callModuleHandler('fetch', request, ctx);
    } else {
      responded = undefined;
      callListeners('fetch', new FetchEvent('fetch', { request, [ctxKey]: ctx }));
      const promise = responded;
      responded = undefined;
      if (promise === undefined) {
        log('Error: No event handler called respondWith() for this fetch event.');
        return respondError(reqId);
      }
      response = await promise;
    }
    sendResponse(reqId, response);
  } catch (e) {
    log(`Uncaught ${describe(e)}`);
    respondError(reqId);
  }
}

// wrangler dev --test-scheduled: GET /__scheduled?cron=… runs scheduled() and reports.
async function handleScheduledRoute(reqId, url) {
  const parsed = new URL(url);
  const cron = parsed.searchParams.get('cron') ?? '';
  const time = parsed.searchParams.get('time');
  const outcome = await scheduled(cron, time === null ? DateNow() : +time);
  const ok = outcome === 'ok';
  ops.httpRespond(reqId, ok ? 200 : 500, '', ['content-type', 'text/plain;charset=UTF-8'],
                  ok ? 'Ran scheduled event' : 'Scheduled event failed');
}

function fetch(reqId, method, url, headers, body, testScheduled) {
  if (testScheduled) {
    const q = url.indexOf('?');
    const path = url.slice(url.indexOf('/', url.indexOf('//') + 2), q < 0 ? undefined : q);
    if (path === '/__scheduled') return void handleScheduledRoute(reqId, url);
  }
  handleFetch(reqId, method, url, headers, body);
}

// --- scheduled --------------------------------------------------------------------------------
// Returns a promise of 'ok' or 'exception' once the handler (not its waitUntil) settles.
async function scheduled(cron, scheduledTime) {
  const ctx = internals.workers.newContext();
  const controller = { cron, scheduledTime, type: 'scheduled', noRetry() {} };
  try {
    if (!hasHandler('scheduled')) throw new Error('Handler does not export a scheduled() function.');
    if (mode === 'modules') await callModuleHandler('scheduled', controller, ctx);
    else callListeners('scheduled', new ScheduledEvent('scheduled', { cron, scheduledTime, [ctxKey]: ctx }));
    return 'ok';
  } catch (e) {
    log(`Uncaught ${describe(e)}`);
    return 'exception';
  }
}

internals.dispatch = {
  init, defineEnvGlobals, setEntry, hasHandler, fetch, scheduled, buildEnv, env: () => env,
};
internals.defineGlobals({ addEventListener, removeEventListener, FetchEvent, ScheduledEvent });
internals.defineGlobal('dispatchEvent', (event) => ReflectApply(EventTargetPrototype.dispatchEvent, globalThis, [event]));
