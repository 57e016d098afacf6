// User Timing and Performance Timeline tests: performance.mark/measure and their errors, the entry
// buffer (queries, clearing, the size bound), entry classes and toJSON, PerformanceObserver, and
// Performance as an EventTarget. WPT's user-timing/, performance-timeline/ and hr-time/ .any.js
// files are run separately (see the report in the commit message).
// https://w3c.github.io/user-timing/ · https://w3c.github.io/performance-timeline/
import assert from 'node:assert';

function reset() {
  performance.clearMarks();
  performance.clearMeasures();
}

function nextTask() {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

function assertDOMException(fn, name, message) {
  assert.throws(fn, (e) => {
    assert.ok(e instanceof DOMException, `expected a DOMException, got ${e}`);
    assert.strictEqual(e.name, name);
    if (message) assert.match(e.message, message);
    return true;
  });
}

export const mark = {
  async test() {
    reset();
    const before = performance.now();
    const m = performance.mark('start');
    const after = performance.now();
    assert.ok(m instanceof PerformanceMark);
    assert.ok(m instanceof PerformanceEntry);
    assert.strictEqual(m.name, 'start');
    assert.strictEqual(m.entryType, 'mark');
    assert.ok(m.startTime >= before && m.startTime <= after);
    assert.strictEqual(m.duration, 0);
    assert.strictEqual(m.detail, null);
    assert.deepStrictEqual(performance.getEntriesByName('start'), [m]);
    // Names are converted to strings.
    assert.strictEqual(performance.mark(42).name, '42');
    // startTime and detail; the detail is a structured clone, the same object on every read.
    const detail = { nested: { n: 1 }, list: [1, 2] };
    const withDetail = performance.mark('d', { startTime: 12.5, detail });
    assert.strictEqual(withDetail.startTime, 12.5);
    assert.deepStrictEqual(withDetail.detail, detail);
    assert.notStrictEqual(withDetail.detail, detail);
    assert.strictEqual(withDetail.detail, withDetail.detail);
    detail.nested.n = 2;
    assert.strictEqual(withDetail.detail.nested.n, 1);
    assert.strictEqual(performance.mark('zero', { startTime: 0 }).startTime, 0);
    assert.strictEqual(performance.mark('nulldetail', { detail: null }).detail, null);
    // Errors.
    assert.throws(() => performance.mark(), TypeError);
    for (const bad of [123, NaN, Infinity, 'string', true]) {
      assert.throws(() => performance.mark('x', bad), TypeError, String(bad));
    }
    assert.throws(() => performance.mark('x', { startTime: -1 }), TypeError);
    assert.throws(() => performance.mark('x', { startTime: NaN }), TypeError);
    assert.throws(() => performance.mark('x', { startTime: Infinity }), TypeError);
    assertDOMException(() => performance.mark('x', { detail: { s: Symbol('no') } }),
                       'DataCloneError');
    assertDOMException(() => performance.mark('x', { detail: () => {} }), 'DataCloneError');
    assert.strictEqual(performance.getEntriesByName('x').length, 0);
  },
};

export const performanceMarkConstructor = {
  async test() {
    reset();
    const m = new PerformanceMark('made', { startTime: 3, detail: { a: 1 } });
    assert.strictEqual(m.name, 'made');
    assert.strictEqual(m.startTime, 3);
    assert.deepStrictEqual(m.detail, { a: 1 });
    // Constructing does not add to the timeline.
    assert.strictEqual(performance.getEntriesByName('made').length, 0);
    assert.throws(() => new PerformanceMark(), TypeError);
    assert.throws(() => new PerformanceMark('x', 1), TypeError);
    assert.throws(() => new PerformanceMark('x', { startTime: -5 }), TypeError);
    assert.throws(() => PerformanceMark('x'), TypeError);
    // PerformanceEntry and PerformanceMeasure are not constructible.
    assert.throws(() => new PerformanceEntry(), TypeError);
    assert.throws(() => new PerformanceMeasure(), TypeError);
    assert.throws(() => new PerformanceObserverEntryList(), TypeError);
  },
};

export const measure = {
  async test() {
    reset();
    performance.mark('a', { startTime: 10 });
    performance.mark('b', { startTime: 25 });
    // (name): from the time origin to now.
    const all = performance.measure('all');
    assert.ok(all instanceof PerformanceMeasure);
    assert.strictEqual(all.entryType, 'measure');
    assert.strictEqual(all.startTime, 0);
    assert.ok(all.duration > 0 && all.duration <= performance.now());
    assert.strictEqual(all.detail, null);
    // (name, startMark) and (name, startMark, endMark).
    const fromA = performance.measure('fromA', 'a');
    assert.strictEqual(fromA.startTime, 10);
    assert.deepStrictEqual([performance.measure('ab', 'a', 'b').startTime,
      performance.measure('ab', 'a', 'b').duration], [10, 15]);
    // The end may come first: the duration is negative.
    assert.strictEqual(performance.measure('ba', 'b', 'a').duration, -15);
    // The most recent mark of a name wins.
    performance.mark('a', { startTime: 20 });
    assert.strictEqual(performance.measure('a2', 'a', 'b').duration, 5);
    // Options: start/end as marks or numbers, with duration, and detail.
    const opts = (o) => {
      const e = performance.measure('opts', o);
      return [e.startTime, e.duration];
    };
    assert.deepStrictEqual(opts({ start: 1, end: 4 }), [1, 3]);
    assert.deepStrictEqual(opts({ start: 'b', end: 30 }), [25, 5]);
    assert.deepStrictEqual(opts({ start: 2, duration: 5 }), [2, 5]);
    assert.deepStrictEqual(opts({ duration: 5, end: 'b' }), [20, 5]);
    assert.strictEqual(performance.measure('end-only', { end: 8 }).startTime, 0);
    const startOnly = performance.measure('start-only', { start: 'b' });
    assert.ok(Math.abs(startOnly.startTime + startOnly.duration - performance.now()) < 1000);
    const detail = { why: 'test' };
    const withDetail = performance.measure('detail', { start: 0, detail });
    assert.deepStrictEqual(withDetail.detail, detail);
    assert.notStrictEqual(withDetail.detail, detail);
    assert.strictEqual(withDetail.detail, withDetail.detail);
    // An empty or undefined options dictionary is like no options.
    assert.strictEqual(performance.measure('empty', {}).startTime, 0);
    assert.strictEqual(performance.measure('undef', undefined).startTime, 0);
    assert.strictEqual(performance.measure('nul', null).startTime, 0);
  },
};

export const measureErrors = {
  async test() {
    reset();
    performance.mark('exists', { startTime: 1 });
    const noMark =
        /^Failed to execute 'measure' on 'Performance': The mark 'nope' does not exist\.$/;
    assertDOMException(() => performance.measure('m', 'nope'), 'SyntaxError', noMark);
    assertDOMException(() => performance.measure('m', 'exists', 'nope'), 'SyntaxError', noMark);
    assertDOMException(() => performance.measure('m', 'nope', 'exists'), 'SyntaxError', noMark);
    assertDOMException(() => performance.measure('m', { start: 'nope' }), 'SyntaxError', noMark);
    assertDOMException(() => performance.measure('m', { end: 'nope' }), 'SyntaxError', noMark);
    // Option combinations.
    assert.throws(() => performance.measure('m', { start: 1 }, 'exists'), TypeError);
    assert.throws(() => performance.measure('m', { detail: 1 }, 'exists'), TypeError);
    assert.throws(() => performance.measure('m', { duration: 1 }), TypeError);
    assert.throws(() => performance.measure('m', { detail: 1 }), TypeError);
    assert.throws(() => performance.measure('m', { start: 1, duration: 1, end: 2 }), TypeError);
    // Negative and non-finite times.
    assert.throws(() => performance.measure('m', { start: -1 }), TypeError);
    assert.throws(() => performance.measure('m', { end: -1 }), TypeError);
    assert.throws(() => performance.measure('m', { start: 1, duration: -1 }), TypeError);
    assert.throws(() => performance.measure('m', { start: NaN }), TypeError);
    // PerformanceTiming names only exist in a Window.
    assert.throws(() => performance.measure('m', 'navigationStart'), TypeError);
    assert.throws(() => performance.measure('m', { end: 'loadEventEnd' }), TypeError);
    assert.throws(() => performance.measure(), TypeError);
    // Unserializable detail.
    assertDOMException(() => performance.measure('m', { start: 0, detail: Symbol('x') }),
                       'DataCloneError');
    assert.strictEqual(performance.getEntriesByType('measure').length, 0);
  },
};

export const queriesAndClearing = {
  async test() {
    reset();
    performance.mark('late', { startTime: 30 });
    performance.mark('early', { startTime: 10 });
    performance.measure('middle', { start: 20, end: 40 });
    performance.mark('late', { startTime: 35 });
    const names = (list) => list.map((e) => `${e.entryType}:${e.name}@${e.startTime}`);
    // Chronological by startTime across types.
    assert.deepStrictEqual(names(performance.getEntries()),
                           ['mark:early@10', 'measure:middle@20', 'mark:late@30', 'mark:late@35']);
    assert.deepStrictEqual(names(performance.getEntriesByType('mark')),
                           ['mark:early@10', 'mark:late@30', 'mark:late@35']);
    assert.deepStrictEqual(names(performance.getEntriesByName('late')),
                           ['mark:late@30', 'mark:late@35']);
    assert.deepStrictEqual(names(performance.getEntriesByName('middle', 'measure')),
                           ['measure:middle@20']);
    assert.deepStrictEqual(performance.getEntriesByName('middle', 'mark'), []);
    assert.deepStrictEqual(performance.getEntriesByType('resource'), []);
    assert.deepStrictEqual(performance.getEntriesByType('MARK'), []);
    // Each call returns a new array.
    assert.notStrictEqual(performance.getEntries(), performance.getEntries());
    assert.throws(() => performance.getEntriesByName(), TypeError);
    assert.throws(() => performance.getEntriesByType(), TypeError);
    // clearMarks(name) leaves other names and measures; clearMarks() all marks.
    performance.clearMarks('late');
    assert.deepStrictEqual(names(performance.getEntries()), ['mark:early@10', 'measure:middle@20']);
    performance.clearMarks('not-there');
    performance.clearMarks();
    assert.deepStrictEqual(names(performance.getEntries()), ['measure:middle@20']);
    performance.clearMeasures('other');
    assert.strictEqual(performance.getEntries().length, 1);
    performance.clearMeasures();
    assert.deepStrictEqual(performance.getEntries(), []);
    // Resource timing stubs (as in workerd).
    assert.strictEqual(performance.clearResourceTimings(), undefined);
    assert.strictEqual(performance.setResourceTimingBufferSize(10), undefined);
  },
};

export const toJSON = {
  async test() {
    reset();
    const m = performance.mark('j', { startTime: 1, detail: { k: 'v' } });
    assert.deepStrictEqual(m.toJSON(), {
      name: 'j', entryType: 'mark', startTime: 1, duration: 0, detail: { k: 'v' },
    });
    const measured = performance.measure('jm', { start: 1, end: 3 });
    assert.deepStrictEqual(JSON.parse(JSON.stringify(measured)),
                           { name: 'jm', entryType: 'measure', startTime: 1, duration: 2 });
    assert.deepStrictEqual(Object.keys(performance.mark('plain').toJSON()),
                           ['name', 'entryType', 'startTime', 'duration']);
    assert.strictEqual(Object.getPrototypeOf(m.toJSON()), Object.prototype);
  },
};

export const bufferIsBounded = {
  async test() {
    reset();
    // The dropped entries count is per isolate and never reset: measure the baseline.
    const baseline = await new Promise((resolve) => {
      const first = new PerformanceObserver((list, obs, options) => {
        obs.disconnect();
        resolve(options.droppedEntriesCount);
      });
      first.observe({ type: 'mark' });
      performance.mark('baseline');
    });
    const seen = [];
    const observer = new PerformanceObserver((list, obs, options) => seen.push(options));
    observer.observe({ type: 'mark' });
    for (let i = 0; i <= 10000; i++) performance.mark(`m${i}`, { startTime: i });
    const marks = performance.getEntriesByType('mark');
    assert.strictEqual(marks.length, 10000);
    // The oldest entry is the one dropped.
    assert.strictEqual(marks[0].name, 'm1');
    assert.strictEqual(marks[9999].name, 'm10000');
    assertDOMException(() => performance.measure('gone', 'm0'), 'SyntaxError');
    await nextTask();
    observer.disconnect();
    assert.strictEqual(seen.length, 1);
    assert.strictEqual(seen[0].droppedEntriesCount, baseline + 2);
    reset();
  },
};

export const observer = {
  async test() {
    reset();
    assert.strictEqual(PerformanceObserver.supportedEntryTypes,
                       PerformanceObserver.supportedEntryTypes);
    assert.deepStrictEqual([...PerformanceObserver.supportedEntryTypes], ['mark', 'measure']);
    assert.ok(Object.isFrozen(PerformanceObserver.supportedEntryTypes));
    const calls = [];
    const po = new PerformanceObserver(function (list, obs, options) {
      calls.push({ self: this, list, obs, options });
    });
    po.observe({ entryTypes: ['mark', 'measure', 'unknown'] });
    performance.mark('o1');
    performance.measure('o2', 'o1');
    // The callback runs in a later task, once for everything queued.
    assert.strictEqual(calls.length, 0);
    await nextTask();
    assert.strictEqual(calls.length, 1);
    const call = calls[0];
    assert.strictEqual(call.self, po);
    assert.strictEqual(call.obs, po);
    assert.ok(call.list instanceof PerformanceObserverEntryList);
    assert.deepStrictEqual(call.list.getEntries().map((e) => e.name), ['o1', 'o2']);
    assert.deepStrictEqual(call.list.getEntriesByType('measure').map((e) => e.name), ['o2']);
    assert.deepStrictEqual(call.list.getEntriesByName('o1', 'measure'), []);
    assert.ok(Number.isInteger(call.options.droppedEntriesCount));
    // droppedEntriesCount is only reported on the first callback after observe().
    performance.mark('o3');
    await nextTask();
    assert.strictEqual(calls.length, 2);
    assert.ok(!('droppedEntriesCount' in calls[1].options));
    // takeRecords empties the observer buffer.
    performance.mark('o4');
    assert.deepStrictEqual(po.takeRecords().map((e) => e.name), ['o4']);
    assert.deepStrictEqual(po.takeRecords(), []);
    await nextTask();
    assert.strictEqual(calls.length, 2);
    // disconnect stops delivery.
    performance.mark('o5');
    po.disconnect();
    await nextTask();
    assert.strictEqual(calls.length, 2);
    po.disconnect();
    reset();
  },
};

export const observerTypesAndBuffered = {
  async test() {
    reset();
    performance.mark('past');
    const got = [];
    const po = new PerformanceObserver((list) => got.push(...list.getEntries().map((e) => e.name)));
    // type + buffered sees past entries; entryTypes ignores buffered.
    po.observe({ type: 'mark', buffered: true });
    await nextTask();
    assert.deepStrictEqual(got, ['past']);
    // Observing another type stacks; the same type replaces.
    po.observe({ type: 'measure' });
    po.observe({ type: 'mark' });
    performance.mark('m');
    performance.measure('me', 'm');
    await nextTask();
    assert.deepStrictEqual(got, ['past', 'm', 'me']);
    po.disconnect();

    const multi = [];
    const po2 =
        new PerformanceObserver((list) => multi.push(...list.getEntries().map((e) => e.name)));
    po2.observe({ entryTypes: ['mark'], buffered: true });
    await nextTask();
    assert.deepStrictEqual(multi, []);
    // entryTypes replaces the registration.
    po2.observe({ entryTypes: ['measure'] });
    performance.mark('ignored');
    performance.measure('seen', 'ignored');
    await nextTask();
    assert.deepStrictEqual(multi, ['seen']);
    po2.disconnect();

    // Errors.
    const po3 = new PerformanceObserver(() => {});
    assert.throws(() => po3.observe(), TypeError);
    assert.throws(() => po3.observe({}), TypeError);
    assert.throws(() => po3.observe({ buffered: true }), TypeError);
    assert.throws(() => po3.observe({ entryTypes: ['mark'], type: 'mark' }), TypeError);
    assert.throws(() => po3.observe({ entryTypes: 'mark' }), TypeError);
    assert.throws(() => po3.observe(1), TypeError);
    po3.observe({ type: 'mark' });
    assertDOMException(() => po3.observe({ entryTypes: ['mark'] }), 'InvalidModificationError');
    const po4 = new PerformanceObserver(() => {});
    po4.observe({ entryTypes: ['mark'] });
    assertDOMException(() => po4.observe({ type: 'mark' }), 'InvalidModificationError');
    po3.disconnect();
    po4.disconnect();
    // Unknown types are ignored, case-sensitively.
    const po5 = new PerformanceObserver(() => assert.fail('should not be called'));
    po5.observe({ type: 'Mark' });
    po5.observe({ type: 'resource' });
    performance.mark('case');
    await nextTask();
    assert.throws(() => new PerformanceObserver(), TypeError);
    assert.throws(() => new PerformanceObserver({}), TypeError);
    reset();
  },
};

export const performanceIsEventTarget = {
  async test() {
    assert.ok(performance instanceof EventTarget);
    assert.strictEqual(Object.getPrototypeOf(Performance), EventTarget);
    let handled = 0;
    performance.addEventListener('custom', () => handled++, { once: true });
    performance.dispatchEvent(new Event('custom'));
    performance.dispatchEvent(new Event('custom'));
    assert.strictEqual(handled, 1);
  },
};

export const interfaceShape = {
  async test() {
    for (const name of ['mark', 'measure', 'clearMarks', 'clearMeasures', 'getEntries',
      'getEntriesByName', 'getEntriesByType']) {
      const d = Object.getOwnPropertyDescriptor(Performance.prototype, name);
      assert.strictEqual(typeof d.value, 'function', name);
      assert.strictEqual(d.enumerable, true, name);
      assert.throws(() => d.value.call({}, 'x'), TypeError, name);
    }
    for (const name of ['PerformanceEntry', 'PerformanceMark', 'PerformanceMeasure',
      'PerformanceObserver', 'PerformanceObserverEntryList']) {
      const d = Object.getOwnPropertyDescriptor(globalThis, name);
      assert.strictEqual(d.enumerable, false, name);
      assert.strictEqual(Object.prototype.toString.call(globalThis[name].prototype),
                         `[object ${name}]`);
    }
    assert.strictEqual(Object.getPrototypeOf(PerformanceMark.prototype),
                       PerformanceEntry.prototype);
    const getter = Object.getOwnPropertyDescriptor(PerformanceEntry.prototype, 'name').get;
    assert.throws(() => getter.call({}), TypeError);
  },
};

export const tamperResistance = {
  async test() {
    reset();
    const saved = {
      push: Array.prototype.push, sort: Array.prototype.sort, shift: Array.prototype.shift,
      includes: Array.prototype.includes, setTimeout: globalThis.setTimeout,
      now: Performance.prototype.now, structuredClone: globalThis.structuredClone,
    };
    let seen = 0;
    const po = new PerformanceObserver((list) => { seen += list.getEntries().length; });
    po.observe({ entryTypes: ['mark', 'measure'] });
    try {
      for (const key of ['push', 'sort', 'shift', 'includes']) {
        Array.prototype[key] = () => { throw new Error(`patched ${key}`); };
      }
      globalThis.setTimeout = () => { throw new Error('patched setTimeout'); };
      globalThis.structuredClone = () => { throw new Error('patched structuredClone'); };
      Performance.prototype.now = () => -1;
      const m = performance.mark('t', { detail: { a: 1 } });
      assert.ok(m.startTime >= 0);
      assert.strictEqual(m.detail.a, 1);
      performance.measure('tm', 't');
      assert.strictEqual(performance.getEntries().length, 2);
    } finally {
      for (const key of ['push', 'sort', 'shift', 'includes']) Array.prototype[key] = saved[key];
      globalThis.setTimeout = saved.setTimeout;
      globalThis.structuredClone = saved.structuredClone;
      Performance.prototype.now = saved.now;
    }
    await nextTask();
    po.disconnect();
    assert.strictEqual(seen, 2);
    reset();
  },
};

export const brandChecks = {
  async test() {
    const { now } = performance;
    assert.throws(() => now(), TypeError);
    assert.throws(() => Performance.prototype.toJSON.call({}), TypeError);
    assert.strictEqual(typeof performance.now(), 'number');
  },
};
