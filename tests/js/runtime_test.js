// The runtime's own surface: timers, microtasks, structuredClone, crypto, modules, cloudflare:workers.
import assert from 'node:assert';
import { env as importedEnv, WorkerEntrypoint, DurableObject } from 'cloudflare:workers';
import text from './fixtures/hello.txt';
import data from './fixtures/hello.bin';
import json from './fixtures/data.json';
import { cycleA } from './fixtures/cycle_a.js';

export const timersFireInOrder = {
  async test() {
    const order = [];
    await new Promise((resolve) => {
      setTimeout(() => order.push(2), 5);
      setTimeout(() => order.push(1), 0);
      setTimeout(() => { order.push(3); resolve(); }, 10);
    });
    assert.deepStrictEqual(order, [1, 2, 3]);
  },
};

export const clearTimeoutCancels = {
  async test() {
    let fired = false;
    const id = setTimeout(() => { fired = true; }, 1);
    clearTimeout(id);
    await new Promise((r) => setTimeout(r, 10));
    assert.strictEqual(fired, false);
    assert.strictEqual(typeof id, 'number');
  },
};

export const setIntervalRepeats = {
  async test() {
    let n = 0;
    await new Promise((resolve) => {
      const id = setInterval(() => { if (++n === 3) { clearInterval(id); resolve(); } }, 1);
    });
    assert.strictEqual(n, 3);
  },
};

export const setTimeoutPassesArgs = {
  async test() {
    const got = await new Promise((r) => setTimeout((a, b) => r([a, b]), 0, 'x', 2));
    assert.deepStrictEqual(got, ['x', 2]);
  },
};

export const queueMicrotaskRunsBeforeTimers = {
  async test() {
    const order = [];
    await new Promise((resolve) => {
      setTimeout(() => { order.push('timer'); resolve(); }, 0);
      queueMicrotask(() => order.push('micro'));
    });
    assert.deepStrictEqual(order, ['micro', 'timer']);
    assert.throws(() => queueMicrotask(1), TypeError);
  },
};

export const schedulerWait = {
  async test() {
    const t0 = performance.now();
    await scheduler.wait(5);
    assert.ok(performance.now() - t0 >= 4);
  },
};

export const structuredCloneDeep = {
  async test() {
    const src = { a: [1, { b: new Date(5) }], m: new Map([[1, 'x']]), s: new Set([2]), u: new Uint8Array([1, 2]) };
    src.self = src;
    const out = structuredClone(src);
    assert.notStrictEqual(out, src);
    assert.strictEqual(out.self, out);
    assert.strictEqual(out.a[1].b.getTime(), 5);
    assert.strictEqual(out.m.get(1), 'x');
    assert.ok(out.s.has(2));
    assert.deepStrictEqual([...out.u], [1, 2]);
    assert.throws(() => structuredClone(() => {}), (e) => e.name === 'DataCloneError');
  },
};

export const structuredCloneTransfer = {
  async test() {
    const buf = new Uint8Array([7, 8]).buffer;
    const out = structuredClone(buf, { transfer: [buf] });
    assert.strictEqual(buf.byteLength, 0);
    assert.deepStrictEqual([...new Uint8Array(out)], [7, 8]);
  },
};

export const cryptoRandom = {
  async test() {
    const a = crypto.getRandomValues(new Uint8Array(32));
    assert.strictEqual(a.length, 32);
    assert.ok(a.some((x) => x !== 0));
    assert.match(crypto.randomUUID(), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.notStrictEqual(crypto.randomUUID(), crypto.randomUUID());
    assert.throws(() => crypto.getRandomValues(new Float32Array(4)), (e) => e.name === 'TypeMismatchError');
    assert.throws(() => crypto.getRandomValues(new Uint8Array(65537)), (e) => e.name === 'QuotaExceededError');
    const { getRandomValues, randomUUID } = crypto;
    assert.throws(() => getRandomValues(new Uint8Array(4)), TypeError);
    assert.throws(() => randomUUID.call(null), TypeError);
  },
};

export const performanceClock = {
  async test() {
    assert.strictEqual(typeof performance.now(), 'number');
    assert.ok(Math.abs(performance.timeOrigin + performance.now() - Date.now()) < 50);
    assert.strictEqual(navigator.userAgent, 'Cloudflare-Workers');
    assert.strictEqual(self, globalThis);
  },
};

export const nonJsModules = {
  async test() {
    assert.strictEqual(text, 'hello text\n');
    assert.ok(data instanceof ArrayBuffer);
    assert.deepStrictEqual([...new Uint8Array(data)], [104, 105]);
    assert.deepStrictEqual(json, { answer: 42, list: [1, 2] });
  },
};

export const importCyclesAndDynamicImport = {
  async test() {
    assert.strictEqual(cycleA(), 'a->b->a');
    const mod = await import('./fixtures/cycle_b.js');
    assert.strictEqual(typeof mod.cycleB, 'function');
    await assert.rejects(import('./fixtures/does_not_exist.js'), /No such module/);
    assert.strictEqual(import.meta.url.startsWith('file://'), true);
  },
};

export const cloudflareWorkersModule = {
  async test(ctrl, env) {
    assert.strictEqual(typeof WorkerEntrypoint, 'function');
    assert.strictEqual(typeof DurableObject, 'function');
    assert.strictEqual(typeof importedEnv, 'object');
  },
};

export const builtinsAreTamperProof = {
  async test() {
    const push = Array.prototype.push;
    const then = Promise.prototype.then;
    const parse = JSON.parse;
    try {
      Array.prototype.push = () => { throw new Error('patched push'); };
      JSON.parse = () => { throw new Error('patched parse'); };
      assert.deepStrictEqual(structuredClone([1, 2]), [1, 2]);
      await new Promise((r) => setTimeout(r, 0));
    } finally {
      Array.prototype.push = push;
      Promise.prototype.then = then;
      JSON.parse = parse;
    }
  },
};

export const structuredCloneRefusesUnclonables = {
  async test() {
    const memory = new WebAssembly.Memory({ initial: 1 });
    assert.throws(() => structuredClone(memory.buffer, { transfer: [memory.buffer] }),
                  (e) => e.name === 'DataCloneError');
    assert.throws(() => structuredClone(new ReadableStream()), (e) => e.name === 'DataCloneError');
    assert.throws(() => structuredClone(new WritableStream()), (e) => e.name === 'DataCloneError');
  },
};

export const pairIteratorsShareWebIdlShape = {
  async test() {
    const IteratorPrototype = Object.getPrototypeOf(Object.getPrototypeOf([][Symbol.iterator]()));
    const cases = [
      ['Headers', new Headers([['b', '2'], ['a', '1']]), [['a', '1'], ['b', '2']]],
      ['URLSearchParams', new URLSearchParams('x=1&y=2'), [['x', '1'], ['y', '2']]],
      ['FormData', (() => { const f = new FormData(); f.append('k', 'v'); return f; })(), [['k', 'v']]],
    ];
    for (const [name, target, expected] of cases) {
      const it = target.entries();
      assert.strictEqual(Object.prototype.toString.call(it), `[object ${name} Iterator]`);
      assert.strictEqual(Object.getPrototypeOf(Object.getPrototypeOf(it)), IteratorPrototype);
      assert.deepStrictEqual([...target], expected);
      assert.deepStrictEqual([...target.keys()], expected.map((p) => p[0]));
      assert.throws(() => target.entries.call({}), TypeError);
      assert.throws(() => it.next.call({}), TypeError);
    }
    // Live: an entry added during iteration is seen.
    const params = new URLSearchParams('a=1');
    const seen = [];
    for (const [k] of params) { seen.push(k); if (k === 'a') params.append('b', '2'); }
    assert.deepStrictEqual(seen, ['a', 'b']);
  },
};
