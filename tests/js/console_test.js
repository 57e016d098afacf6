// console and value formatting: the console namespace shape, Node-style inspect output for every
// kind of value, printf-style format(), and the guarantee that formatting never runs user getters
// or proxy traps. Formatting is checked through node:util's inspect/format, which share the
// implementation console.log uses (js/06_console.js).
// https://console.spec.whatwg.org/ · https://nodejs.org/api/util.html#utilinspectobject-options
import assert from 'node:assert';
import { inspect, format } from 'node:util';

export const consoleShape = {
  test() {
    const methods = ['log', 'info', 'warn', 'error', 'debug', 'trace', 'assert', 'count',
                     'countReset', 'group', 'groupCollapsed', 'groupEnd', 'time', 'timeEnd',
                     'timeLog', 'table', 'dir', 'dirxml'];
    for (const name of methods) {
      const desc = Object.getOwnPropertyDescriptor(console, name);
      assert.ok(desc, name);
      assert.strictEqual(typeof desc.value, 'function', name);
      assert.strictEqual(desc.enumerable, true, name);
    }
    assert.strictEqual(Object.prototype.toString.call(console), '[object console]');
    const g = Object.getOwnPropertyDescriptor(globalThis, 'console');
    assert.deepStrictEqual([g.writable, g.enumerable, g.configurable], [true, false, true]);
    // Methods work detached from the namespace object.
    const { log, count, time, timeEnd, group, groupEnd } = console;
    assert.doesNotThrow(() => {
      log('detached %s', 'call');
      count('detached');
      time('detached');
      timeEnd('detached');
      group('g');
      groupEnd();
    });
  },
};

export const consoleMethodsAcceptAnything = {
  test() {
    const circular = { a: 1 };
    circular.self = circular;
    const values = [undefined, null, 0, -0, 1n, Symbol('s'), 'str', circular, [1, [2]],
                    new Map([[1, 2]]), new Set([1]), new Error('shown on stderr'),
                    Object.create(null), new Proxy({}, {}), () => {}, new Uint8Array(2)];
    assert.doesNotThrow(() => {
      console.log(...values);
      console.info('info');
      console.debug('debug');
      console.warn('warn');
      console.error('error');
      console.dir(circular, { depth: 0 });
      console.dirxml(values);
      console.trace('trace %d', 1);
      console.assert(true, 'never printed');
      console.assert(false);
      console.assert(false, 'assert %s', 'message');
      console.assert(false, { not: 'a string' });
      console.count();
      console.count();
      console.countReset();
      console.countReset('missing');
      console.time('t');
      console.time('t');
      console.timeLog('t', 'extra', 1);
      console.timeEnd('t');
      console.timeEnd('t');
      console.timeLog('missing');
      console.group('outer', 1);
      console.groupCollapsed();
      console.log('nested\nlines');
      console.groupEnd();
      console.groupEnd();
      console.groupEnd();
      console.table([{ a: 1, b: 'x' }, { a: 2, c: true }, 'primitive']);
      console.table({ r1: { c: 1 }, r2: { c: 2 } }, ['c']);
      console.table(new Map([['k', { v: 1 }]]));
      console.table(new Set(['a']));
      console.table('not tabular');
      console.table([]);
    });
  },
};

export const neverRunsGettersOrTraps = {
  test() {
    let touched = 0;
    const withGetter = {
      get boom() { touched++; throw new Error('getter ran'); },
      set only(v) { touched++; },
      plain: 1,
    };
    const traps = {};
    for (const trap of ['get', 'has', 'ownKeys', 'getOwnPropertyDescriptor', 'getPrototypeOf',
                        'apply', 'defineProperty', 'set']) {
      traps[trap] = () => { touched++; throw new Error(`${trap} trap ran`); };
    }
    const proxy = new Proxy({ inner: 1 }, traps);
    const proxyFn = new Proxy(function target() {}, traps);
    assert.strictEqual(inspect(withGetter), '{ boom: [Getter], only: [Setter], plain: 1 }');
    assert.strictEqual(inspect(proxy), '{ inner: 1 }');
    assert.strictEqual(inspect(proxyFn), '[Function: target]');
    assert.strictEqual(inspect({ nested: [proxy] }), '{ nested: [ { inner: 1 } ] }');
    assert.strictEqual(inspect(new Proxy({ inner: 1 }, {}), { showProxy: true }),
                       'Proxy [ { inner: 1 }, {} ]');
    assert.match(inspect(proxy, { showProxy: true }), /^Proxy \[\n {2}\{ inner: 1 \},\n {2}\{\n/);
    const revocable = Proxy.revocable({}, {});
    revocable.revoke();
    assert.strictEqual(inspect(revocable.proxy), '<Revoked Proxy>');
    // An object whose prototype is a proxy.
    const onProxy = Object.create(proxy);
    Object.defineProperty(onProxy, 'own', { value: 2, enumerable: true });
    assert.doesNotThrow(() => inspect(onProxy));
    // A class with a throwing static `name` getter and a throwing toStringTag getter.
    class Weird {
      static get name() { touched++; return 'x'; }
      get [Symbol.toStringTag]() { touched++; return 'tag'; }
    }
    assert.doesNotThrow(() => inspect(new Weird()));
    assert.doesNotThrow(() => console.log(withGetter, proxy, proxyFn, new Weird()));
    assert.strictEqual(touched, 0);
  },
};

export const primitives = {
  test() {
    assert.strictEqual(inspect('abc'), "'abc'");
    assert.strictEqual(inspect("it's"), '"it\'s"');
    assert.strictEqual(inspect('it\'s "quoted"'), '`it\'s "quoted"`');
    assert.strictEqual(inspect('a\nb\t\u0001\u007f\\'), "'a\\nb\\t\\x01\\x7F\\\\'");
    assert.strictEqual(inspect('\ud800x😀'), "'\\uD800x😀'");
    assert.strictEqual(inspect(42), '42');
    assert.strictEqual(inspect(-0), '-0');
    assert.strictEqual(inspect(NaN), 'NaN');
    assert.strictEqual(inspect(10n), '10n');
    assert.strictEqual(inspect(Symbol('desc')), 'Symbol(desc)');
    assert.strictEqual(inspect(undefined), 'undefined');
    assert.strictEqual(inspect(null), 'null');
    assert.strictEqual(inspect(true), 'true');
    assert.strictEqual(inspect('x'.repeat(20), { maxStringLength: 4 }),
                       "'xxxx'... 16 more characters");
  },
};

export const objectsAndArrays = {
  test() {
    assert.strictEqual(inspect({}), '{}');
    assert.strictEqual(inspect({ a: 1, b: 'two' }), "{ a: 1, b: 'two' }");
    assert.strictEqual(inspect({ 'a-b': 1, [Symbol('k')]: 2, 3: 3 }),
                       "{ '3': 3, 'a-b': 1, [Symbol(k)]: 2 }");
    assert.strictEqual(inspect({ a: { b: { c: { d: 1 } } } }), '{ a: { b: { c: [Object] } } }');
    assert.strictEqual(inspect({ a: { b: { c: { d: 1 } } } }, { depth: Infinity }),
                       '{\n  a: { b: { c: { d: 1 } } }\n}');
    assert.strictEqual(inspect({ a: [[[[1]]]] }), '{ a: [ [ [Array] ] ] }');
    assert.strictEqual(inspect({ a: { b: 1 } }, { depth: 0 }), '{ a: [Object] }');
    assert.strictEqual(inspect([]), '[]');
    assert.strictEqual(inspect([1, 'a', [2]]), "[ 1, 'a', [ 2 ] ]");
    assert.strictEqual(inspect([1, , 3, , , 6]), '[ 1, <1 empty item>, 3, <2 empty items>, 6 ]');
    const withProp = [1];
    withProp.extra = true;
    assert.strictEqual(inspect(withProp), '[ 1, extra: true ]');
    const long = Array.from({ length: 101 }, () => 'x');
    assert.match(inspect(long), /\.\.\. 1 more item\n\]$/);
    assert.match(inspect(Array.from({ length: 3 }, (_, i) => i), { maxArrayLength: 1 }),
                 /^\[ 0, \.\.\. 2 more items \]$/);
    // Entries that do not fit in 80 columns go one per line.
    const wide = { first: 'a'.repeat(30), second: 'b'.repeat(30), third: 'c'.repeat(30) };
    assert.strictEqual(inspect(wide),
                       `{\n  first: '${'a'.repeat(30)}',\n  second: '${'b'.repeat(30)}',\n` +
                       `  third: '${'c'.repeat(30)}'\n}`);
    // Many short numbers are grouped in aligned columns.
    const grouped = inspect(Array.from({ length: 30 }, (_, i) => i));
    assert.match(grouped, /^\[\n {3}0, {2}1, {2}2,/);
    assert.strictEqual(inspect(Object.create(null)), '[Object: null prototype] {}');
    const nullProto = Object.create(null);
    nullProto.x = 1;
    assert.strictEqual(inspect(nullProto), '[Object: null prototype] { x: 1 }');
    assert.strictEqual(inspect({ f() {} }), '{ f: [Function: f] }');
    const hidden = {};
    Object.defineProperty(hidden, 'secret', { value: 1, enumerable: false });
    assert.strictEqual(inspect(hidden), '{}');
    assert.strictEqual(inspect(hidden, { showHidden: true }), '{ [secret]: 1 }');
  },
};

export const classesAndFunctions = {
  test() {
    class Point {
      constructor() {
        this.x = 1;
        this.y = 2;
      }
    }
    class Point3 extends Point {
      #hidden = 1;
    }
    assert.strictEqual(inspect(new Point()), 'Point { x: 1, y: 2 }');
    assert.strictEqual(inspect(new Point3()), 'Point3 { x: 1, y: 2 }');
    assert.strictEqual(inspect(Point), '[class Point]');
    assert.strictEqual(inspect(Point3), '[class Point3 extends Point]');
    assert.strictEqual(inspect(class {}), '[class (anonymous)]');
    assert.strictEqual(inspect(function named() {}), '[Function: named]');
    assert.strictEqual(inspect(() => {}), '[Function (anonymous)]');
    assert.strictEqual(inspect(async function af() {}), '[AsyncFunction: af]');
    assert.strictEqual(inspect(function* gen() {}), '[GeneratorFunction: gen]');
    assert.strictEqual(inspect(async function* ag() {}), '[AsyncGeneratorFunction: ag]');
    const fn = function withProps() {};
    fn.version = 2;
    assert.strictEqual(inspect(fn), '[Function: withProps] { version: 2 }');
    class Tagged {
      get [Symbol.toStringTag]() { return 'ignored getter'; }
    }
    assert.strictEqual(inspect(new Tagged()), 'Tagged {}');
    const tagged = Object.create({ [Symbol.toStringTag]: 'Custom' });
    assert.strictEqual(inspect(tagged), 'Object [Custom] {}');
  },
};

export const circularReferences = {
  test() {
    const a = { name: 'a' };
    a.self = a;
    assert.strictEqual(inspect(a), "<ref *1> { name: 'a', self: [Circular *1] }");
    const b = { list: [] };
    b.list.push(b, { back: b });
    assert.strictEqual(inspect(b), '<ref *1> { list: [ [Circular *1], { back: [Circular *1] } ] }');
    const m = new Map();
    m.set('m', m);
    assert.strictEqual(inspect(m), "<ref *1> Map(1) { 'm' => [Circular *1] }");
    // Two distinct cycles get two numbers.
    const x = {};
    const y = { x };
    x.y = y;
    x.x = x;
    assert.strictEqual(inspect(x), '<ref *1> { y: { x: [Circular *1] }, x: [Circular *1] }');
    // A shared (non-circular) reference is printed twice, not marked.
    const shared = { s: 1 };
    assert.strictEqual(inspect([shared, shared]), '[ { s: 1 }, { s: 1 } ]');
  },
};

export const collectionsAndBuiltins = {
  test() {
    assert.strictEqual(inspect(new Map([['a', 1], [{ k: 1 }, [2]]])),
                       "Map(2) { 'a' => 1, { k: 1 } => [ 2 ] }");
    assert.strictEqual(inspect(new Map()), 'Map(0) {}');
    assert.strictEqual(inspect(new Set([1, 'x'])), "Set(2) { 1, 'x' }");
    assert.strictEqual(inspect(new Set()), 'Set(0) {}');
    assert.strictEqual(inspect(new WeakMap()), 'WeakMap { <items unknown> }');
    assert.strictEqual(inspect(new WeakSet()), 'WeakSet { <items unknown> }');
    assert.strictEqual(inspect(new Map([[1, 2]]).keys()), '[Map Iterator] { 1 }');
    assert.strictEqual(inspect(new Set([5]).values()), '[Set Iterator] { 5 }');
    assert.strictEqual(inspect(new Uint8Array([1, 2, 3])), 'Uint8Array(3) [ 1, 2, 3 ]');
    assert.strictEqual(inspect(new Float64Array([-0, 1.5])), 'Float64Array(2) [ -0, 1.5 ]');
    assert.strictEqual(inspect(new BigInt64Array([5n])), 'BigInt64Array(1) [ 5n ]');
    assert.strictEqual(inspect(new Uint8Array(0)), 'Uint8Array(0) []');
    assert.strictEqual(inspect(new Uint8Array([1, 255]).buffer),
                       'ArrayBuffer { [Uint8Contents]: <01 ff>, byteLength: 2 }');
    assert.strictEqual(inspect(new Date(0)), '1970-01-01T00:00:00.000Z');
    assert.strictEqual(inspect(new Date(NaN)), 'Invalid Date');
    assert.strictEqual(inspect(/a+b/gi), '/a+b/gi');
    assert.strictEqual(inspect(new Number(3)), '[Number: 3]');
    assert.strictEqual(inspect(new String('ab')), "[String: 'ab']");
    assert.strictEqual(inspect(new Boolean(false)), '[Boolean: false]');
    assert.strictEqual(inspect(Object(Symbol('s'))), '[Symbol: Symbol(s)]');
    assert.strictEqual(inspect(Object(2n)), '[BigInt: 2n]');
    (function () {
      assert.strictEqual(inspect(arguments), '[Arguments] [ 1, 2 ]');
    })(1, 2);
  },
};

export const promises = {
  async test() {
    assert.strictEqual(inspect(Promise.resolve(5)), 'Promise { 5 }');
    assert.strictEqual(inspect(new Promise(() => {})), 'Promise { <pending> }');
    const rejected = Promise.reject(7);
    rejected.catch(() => {});
    assert.strictEqual(inspect(rejected), 'Promise { <rejected> 7 }');
    assert.strictEqual(inspect(Promise.resolve({ a: [1] })), 'Promise { { a: [ 1 ] } }');
    // Inspecting never subscribes to or resolves the promise.
    let thenCalls = 0;
    const p = Promise.resolve(1);
    p.then = () => { thenCalls++; };
    inspect(p);
    assert.strictEqual(thenCalls, 0);
  },
};

export const errors = {
  test() {
    const error = new Error('boom');
    const shown = inspect(error);
    assert.ok(shown.startsWith('Error: boom\n    at '), shown);
    assert.strictEqual(shown, error.stack);
    const typed = new TypeError('bad');
    typed.code = 'E_BAD';
    assert.match(inspect(typed), /^TypeError: bad\n {4}at [^]*\{\n {2}code: 'E_BAD'\n\}$/);
    const noStack = new Error('quiet');
    noStack.stack = undefined;
    assert.strictEqual(inspect(noStack), '[Error: quiet]');
    const withCause = new Error('outer', { cause: 'inner' });
    assert.match(inspect(withCause), /\[cause\]: 'inner'/);
    // Nested errors keep their stack, indented.
    assert.match(inspect({ e: error }), /^\{\n {2}e: Error: boom\n {6}at /);
    const dom = new DOMException('aborted', 'AbortError');
    assert.match(inspect(dom), /^AbortError: aborted\n {4}at /);
    // A throwing stack getter is not called.
    const sneaky = new Error('x');
    Object.defineProperty(sneaky, 'stack', { get() { throw new Error('getter ran'); } });
    assert.doesNotThrow(() => inspect(sneaky));
  },
};

export const customInspect = {
  test() {
    class Money {
      constructor(cents) { this.cents = cents; }
      [inspect.custom](depth, options, inspectFn) {
        assert.strictEqual(typeof depth, 'number');
        assert.strictEqual(typeof options, 'object');
        assert.strictEqual(inspectFn, inspect);
        return `Money<${this.cents / 100}>`;
      }
    }
    assert.strictEqual(inspect.custom, Symbol.for('nodejs.util.inspect.custom'));
    assert.strictEqual(inspect(new Money(250)), 'Money<2.5>');
    assert.strictEqual(inspect({ price: new Money(100) }), '{ price: Money<1> }');
    assert.strictEqual(inspect(new Money(1), { customInspect: false }), 'Money { cents: 1 }');
    const returnsObject = { [inspect.custom]: () => ({ replaced: true }) };
    assert.strictEqual(inspect(returnsObject), '{ replaced: true }');
  },
};

export const formatSpecifiers = {
  test() {
    assert.strictEqual(format('%s|%s', 'a', 'b'), 'a|b');
    assert.strictEqual(format('%s', 42), '42');
    assert.strictEqual(format('%s', -0), '-0');
    assert.strictEqual(format('%s', 5n), '5n');
    assert.strictEqual(format('%s', Symbol('q')), 'Symbol(q)');
    assert.strictEqual(format('%s', { a: { b: 1 } }), '{ a: [Object] }');
    assert.strictEqual(format('%s', { toString() { return 'custom'; } }), 'custom');
    assert.strictEqual(format('%s', [1, [2]]), '[ 1, [Array] ]');
    assert.strictEqual(format('%d', '42.5'), '42.5');
    assert.strictEqual(format('%d', -0), '-0');
    assert.strictEqual(format('%d', 3n), '3n');
    assert.strictEqual(format('%d', {}), 'NaN');
    assert.strictEqual(format('%i', '42.9px'), '42');
    assert.strictEqual(format('%i', 7n), '7n');
    assert.strictEqual(format('%f', '1.5e3'), '1500');
    assert.strictEqual(format('%f', Symbol('s')), 'NaN');
    assert.strictEqual(format('%j', { a: [1, 'x'] }), '{"a":[1,"x"]}');
    const circular = {};
    circular.self = circular;
    assert.strictEqual(format('%j', circular), '[Circular]');
    assert.strictEqual(format('%O', { a: { b: { c: { d: 1 } } } }),
                       '{ a: { b: { c: [Object] } } }');
    assert.strictEqual(format('%o', [1]), '[ 1, [length]: 1 ]');
    assert.strictEqual(format('%c styled', 'color: red'), ' styled');
    assert.strictEqual(format('100%% %s', 'sure'), '100% sure');
    assert.strictEqual(format('%x %s', 'y'), '%x y');
    // Missing arguments leave the specifier; extra arguments are appended.
    assert.strictEqual(format('%s and %s', 'one'), 'one and %s');
    assert.strictEqual(format('%s', 'a', 'b', 3, { c: 1 }), "a b 3 { c: 1 }");
    assert.strictEqual(format('%%'), '%%');
    assert.strictEqual(format('%%', 1), '% 1');
    // A non-string first argument: everything inspected, strings raw.
    assert.strictEqual(format(1, 'two', [3]), '1 two [ 3 ]');
    assert.strictEqual(format({ a: 'x' }), "{ a: 'x' }");
    assert.strictEqual(format(), '');
    assert.strictEqual(format('lone'), 'lone');
  },
};

export const tamperProofFormatting = {
  test() {
    const saved = {
      join: Array.prototype.join,
      push: Array.prototype.push,
      keys: Object.keys,
      mapEntries: Map.prototype.entries,
      replace: String.prototype.replace,
    };
    const boom = () => { throw new Error('patched'); };
    let out;
    try {
      Array.prototype.join = boom;
      Array.prototype.push = boom;
      Object.keys = boom;
      Map.prototype.entries = boom;
      String.prototype.replace = boom;
      out = inspect({ a: [1, 2], m: new Map([[1, 2]]) });
    } finally {
      Object.assign(Array.prototype, { join: saved.join, push: saved.push });
      Object.keys = saved.keys;
      Map.prototype.entries = saved.mapEntries;
      String.prototype.replace = saved.replace;
    }
    assert.strictEqual(out, '{ a: [ 1, 2 ], m: Map(1) { 1 => 2 } }');
  },
};
