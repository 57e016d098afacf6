// Timers and microtasks: setTimeout, setInterval, clearTimeout, clearInterval, queueMicrotask,
// scheduler.wait. https://html.spec.whatwg.org/multipage/timers-and-user-prompts.html
// Exposes internals.timers = { setTimeout, clearTimeout, fire }.
'use strict';

const {
  FunctionPrototypeCall, ReflectApply, SafeMap, MapPrototypeGet, MapPrototypeSet,
  MapPrototypeDelete, PromisePrototypeThen, Promise, TypeError, MathMax, NumberIsFinite,
} = primordials;

let nextId = 1;
const active = new SafeMap();  // id → { callback, args, repeat }

function report(e) {
  if (internals.reportError) internals.reportError(e);
  else throw e;
}

function schedule(callback, delay, args, repeat) {
  if (typeof callback !== 'function') {
    // Cloudflare Workers reject string callbacks (no eval); so do we.
    throw new TypeError('The "callback" argument must be of type function.');
  }
  let ms = +delay;
  if (!NumberIsFinite(ms) || ms < 0) ms = 0;
  const id = nextId++;
  MapPrototypeSet(active, id, { callback, args, repeat });
  ops.timerStart(id, ms, repeat);
  return id;
}

function setTimeout(callback, delay = 0, ...args) {
  return schedule(callback, delay, args, false);
}

function setInterval(callback, delay = 0, ...args) {
  return schedule(callback, delay, args, true);
}

function clearTimer(id) {
  if (typeof id === 'object' && id !== null) id = +id;  // tolerate wrapped ids
  id = +id;
  if (MapPrototypeGet(active, id) === undefined) return;
  MapPrototypeDelete(active, id);
  ops.timerCancel(id);
}

function fire(id) {
  const timer = MapPrototypeGet(active, id);
  if (timer === undefined) return;
  if (!timer.repeat) MapPrototypeDelete(active, id);
  ReflectApply(timer.callback, globalThis, timer.args);
}

// https://html.spec.whatwg.org/multipage/timers-and-user-prompts.html#microtask-queuing
const resolved = Promise.resolve();
function queueMicrotask(callback) {
  if (typeof callback !== 'function') {
    throw new TypeError('The "callback" argument must be of type function.');
  }
  PromisePrototypeThen(resolved, () => {
    try {
      FunctionPrototypeCall(callback, undefined);
    } catch (e) {
      report(e);
    }
  });
}

// https://developers.cloudflare.com/workers/runtime-apis/scheduler/ (scheduler.wait)
class Scheduler {
  wait(delay, options = undefined) {
    const signal = options?.signal;
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const id = setTimeout(resolve, MathMax(0, +delay || 0));
      if (signal && internals.abort) {
        internals.abort.addAbortAlgorithm(signal, () => {
          clearTimer(id);
          reject(signal.reason);
        });
      }
    });
  }
}

internals.timers = { setTimeout, clearTimeout: clearTimer, fire };
internals.defineGlobals({
  setTimeout, setInterval, clearTimeout: clearTimer, clearInterval: clearTimer, queueMicrotask,
  scheduler: new Scheduler(),
});
