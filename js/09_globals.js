// Small globals: performance (now, timeOrigin), navigator, structuredClone, reportError, self.
// https://w3c.github.io/hr-time/ · https://html.spec.whatwg.org/multipage/structured-data.html
'use strict';

const { ObjectDefineProperty, TypeError, ArrayIsArray, ErrorCaptureStackTrace } = primordials;
const { webidl } = internals;

let timeOrigin = 0;

// The one Performance instance; methods called on anything else throw, as WebIDL's brand check.
let performance;
const checkPerformance = (self) => {
  if (self !== performance) throw new TypeError('Illegal invocation');
};

class Performance {
  constructor() { webidl.illegalConstructor(); }
  get timeOrigin() { checkPerformance(this); return timeOrigin; }
  now() { checkPerformance(this); return ops.hrtimeMs(); }
  toJSON() { checkPerformance(this); return { timeOrigin }; }
}
webidl.configureInterface(Performance);

class Navigator {
  constructor() { webidl.illegalConstructor(); }
  get userAgent() { return 'Cloudflare-Workers'; }
  get hardwareConcurrency() { return 1; }
  get language() { return 'en'; }
  get languages() { return ['en']; }
}
webidl.configureInterface(Navigator);

// https://html.spec.whatwg.org/multipage/structured-data.html#dom-structuredclone
function structuredClone(value, options = undefined) {
  webidl.requiredArguments(arguments.length, 1, "Failed to execute 'structuredClone'");
  const transfer = options?.transfer;
  if (transfer !== undefined && !ArrayIsArray(transfer) && typeof transfer?.[Symbol.iterator] !== 'function') {
    throw new TypeError("Failed to execute 'structuredClone': transfer is not iterable.");
  }
  // Streams are platform objects V8's serializer would copy as plain objects; they are not
  // serializable in Workers.
  const streams = internals.streams;
  if (streams && typeof value === 'object' && value !== null &&
      (streams.isReadableStream(value) || streams.isWritableStream(value) ||
       value instanceof streams.TransformStream)) {
    throw new internals.DOMException(`${value.constructor.name} could not be cloned.`, 'DataCloneError');
  }
  try {
    return ops.structuredClone(value, transfer === undefined ? undefined : [...transfer]);
  } catch (e) {
    if (e?.dataCloneError && internals.DOMException) {
      throw new internals.DOMException(e.message, 'DataCloneError');
    }
    throw e;
  }
}

// https://html.spec.whatwg.org/multipage/webappapis.html#dom-reporterror
function reportError(e) {
  if (internals.events?.dispatchErrorEvent && internals.events.dispatchErrorEvent(e)) return;
  const text = internals.console ? internals.console.inspect(e) : `${e?.stack ?? e}`;
  ops.writeText(`Uncaught ${text}\n`, true);
}
internals.reportError = reportError;

performance = { __proto__: Performance.prototype };
const navigator = { __proto__: Navigator.prototype };

// Per-isolate start-up (not in the snapshot): the time origin is this isolate's, not the build's.
const previousInit = internals.isolateInit;
internals.isolateInit = () => {
  if (previousInit) previousInit();
  timeOrigin = ops.timeOriginMs();
};

internals.defineGlobals({ Performance, Navigator, performance, navigator, structuredClone, reportError });
ObjectDefineProperty(globalThis, 'self', {
  get() { return globalThis; }, set(v) { ObjectDefineProperty(globalThis, 'self', { value: v }); },
  enumerable: true, configurable: true,
});
