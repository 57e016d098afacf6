// Value formatting for console and error logs, in the style of Node's util.inspect.
// https://nodejs.org/api/util.html#utilinspectobject-options (the output shape we follow)
//
// Formatting never runs user code it can avoid: properties are read through descriptors (getters
// show as [Getter]), proxies are looked through with an op (no traps fire), promise state comes
// from the engine. User code runs only where it is explicitly asked for: a
// [Symbol.for('nodejs.util.inspect.custom')] method.
// Starts `internals.console` (inspect, kInspect); 06_console_api.js adds format and the console.
'use strict';

const {
  ArrayIsArray, ArrayPrototypeIncludes, ArrayPrototypeJoin, ArrayPrototypePop, ArrayPrototypePush,
  BigIntPrototypeValueOf, BooleanPrototypeValueOf, DatePrototypeGetTime, DatePrototypeToISOString,
  FunctionPrototypeCall, FunctionPrototypeToString, MapPrototypeEntries, MapIteratorPrototypeNext,
  MapPrototypeGetSize, MathFloor, MathMax, MathMin, MathRound, MathSqrt, NumberIsInteger,
  NumberPrototypeValueOf, ObjectGetOwnPropertyDescriptor, ObjectGetOwnPropertyNames,
  ObjectGetOwnPropertySymbols, ObjectGetPrototypeOf, ObjectKeys, ObjectPrototypeHasOwnProperty,
  ObjectPrototypePropertyIsEnumerable, RegExpPrototypeExec, RegExpPrototypeSymbolReplace,
  RegExpPrototypeToString, SafeMap, SetPrototypeGetSize, SetPrototypeValues,
  SetIteratorPrototypeNext, String, StringPrototypeCharCodeAt, StringPrototypeIncludes,
  StringPrototypePadEnd, StringPrototypePadStart, StringPrototypeRepeat, StringPrototypeSlice,
  StringPrototypeStartsWith, StringPrototypeValueOf, Symbol, SymbolFor, SymbolPrototypeToString,
  SymbolPrototypeValueOf, SymbolToStringTag, TypedArrayPrototypeGetLength,
  TypedArrayPrototypeGetSymbolToStringTag, ArrayBufferPrototypeGetByteLength,
  SharedArrayBufferPrototypeGetByteLength, Uint8Array, ObjectPrototype, RangeError,
  DataViewPrototypeGetByteLength, DataViewPrototypeGetByteOffset, DataViewPrototypeGetBuffer,
} = primordials;

// Kept in sync with ValueKind in bindings/console_ops.cc.
const kMap = 1, kSet = 2, kWeakMap = 3, kWeakSet = 4, kMapIterator = 5, kSetIterator = 6;
const kPromise = 7, kDate = 9, kRegExp = 10, kArrayBuffer = 11, kSharedArrayBuffer = 12;
const kDataView = 13, kTypedArray = 14, kNumberObject = 15, kStringObject = 16;
const kBooleanObject = 17, kBigIntObject = 18, kSymbolObject = 19, kNativeError = 20;
const kModuleNamespace = 22, kArguments = 23, kAsyncFunction = 24, kGeneratorFunction = 25;
const kAsyncGeneratorFunction = 28;

// Built-ins define `[kInspect](options)` to show their internal state; it returns a value to
// format in place of the object (plain objects are shown under the object's class name).
const kInspect = Symbol('pactown.inspect');
const kCustomInspect = SymbolFor('nodejs.util.inspect.custom');

const kDefaultOptions = {
  __proto__: null, showHidden: false, depth: 2, colors: false, customInspect: true,
  showProxy: false, maxArrayLength: 100, maxStringLength: 10000, breakLength: 80, compact: 3,
  sorted: false, getters: false,
};

const kObjectType = 0;
const kArrayExtrasType = 2;
const kIdentifier = /^[a-zA-Z_][a-zA-Z_0-9]*$/;

// --- reading without running user code ----------------------------------------------------------

function isObject(v) {
  return v !== null && (typeof v === 'object' || typeof v === 'function');
}

// The data value of `key` on `obj` or its prototypes; undefined for accessors and at proxies.
function safeGet(obj, key) {
  let o = obj;
  for (let i = 0; o !== null && i < 1000; i++) {
    if (ops.inspectProxy(o) !== undefined) return undefined;
    const desc = ObjectGetOwnPropertyDescriptor(o, key);
    if (desc !== undefined) return 'value' in desc ? desc.value : undefined;
    o = ObjectGetPrototypeOf(o);
  }
  return undefined;
}

// The class name: the first prototype whose own `constructor` has this prototype as its
// `prototype`. null for null-prototype objects.
function getConstructorName(obj) {
  let o = obj;
  for (let i = 0; o !== null && i < 1000; i++) {
    if (ops.inspectProxy(o) !== undefined) return 'Object';
    const desc = ObjectGetOwnPropertyDescriptor(o, 'constructor');
    if (desc !== undefined && typeof desc.value === 'function') {
      const name = safeGet(desc.value, 'name');
      const proto = ObjectGetOwnPropertyDescriptor(desc.value, 'prototype');
      if (typeof name === 'string' && name !== '' && proto !== undefined && proto.value === o) {
        return name;
      }
    }
    o = ObjectGetPrototypeOf(o);
    if (o === null && i === 0) return null;
  }
  return 'Object';
}

function getPrefix(constructor, tag, fallback, size = '') {
  if (constructor === null) {
    if (tag !== '' && fallback !== tag) return `[${fallback}${size}: null prototype] [${tag}] `;
    return `[${fallback}${size}: null prototype] `;
  }
  if (tag !== '' && constructor !== tag) return `${constructor}${size} [${tag}] `;
  return `${constructor}${size} `;
}

function getKeys(value, showHidden) {
  const symbols = ObjectGetOwnPropertySymbols(value);
  let keys;
  if (showHidden) {
    keys = ObjectGetOwnPropertyNames(value);
    for (let i = 0; i < symbols.length; i++) ArrayPrototypePush(keys, symbols[i]);
  } else {
    keys = ObjectKeys(value);
    for (let i = 0; i < symbols.length; i++) {
      const symbol = symbols[i];
      if (ObjectPrototypePropertyIsEnumerable(value, symbol)) ArrayPrototypePush(keys, symbol);
    }
  }
  return keys;
}

function isIndexKey(key) {
  if (typeof key !== 'string' || key === '') return false;
  const n = +key;
  return NumberIsInteger(n) && n >= 0 && n < 4294967295 && `${n}` === key;
}

// --- primitives ---------------------------------------------------------------------------------

const kEscapes = ['\\x00', '\\x01', '\\x02', '\\x03', '\\x04', '\\x05', '\\x06', '\\x07', '\\b',
                  '\\t', '\\n', '\\x0B', '\\f', '\\r', '\\x0E', '\\x0F', '\\x10', '\\x11', '\\x12',
                  '\\x13', '\\x14', '\\x15', '\\x16', '\\x17', '\\x18', '\\x19', '\\x1A', '\\x1B',
                  '\\x1C', '\\x1D', '\\x1E', '\\x1F'];

function hex4(c) {
  return StringPrototypePadStart(c.toString(16).toUpperCase(), 4, '0');
}

// A quoted string literal: single quotes unless the string contains them.
function quote(str) {
  let q = "'";
  if (StringPrototypeIncludes(str, "'")) {
    if (!StringPrototypeIncludes(str, '"')) q = '"';
    else if (!StringPrototypeIncludes(str, '`') && !StringPrototypeIncludes(str, '${')) q = '`';
  }
  const qc = StringPrototypeCharCodeAt(q, 0);
  let out = '';
  let last = 0;
  for (let i = 0; i < str.length; i++) {
    const c = StringPrototypeCharCodeAt(str, i);
    let esc;
    if (c < 0x20) esc = kEscapes[c];
    else if (c === 0x7f) esc = '\\x7F';
    else if (c === 0x5c) esc = '\\\\';
    else if (c === qc) esc = `\\${q}`;
    else if (c >= 0xd800 && c <= 0xdfff) {
      const next = StringPrototypeCharCodeAt(str, i + 1);
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
      esc = `\\u${hex4(c)}`;
    } else continue;
    out += StringPrototypeSlice(str, last, i) + esc;
    last = i + 1;
  }
  return q + out + StringPrototypeSlice(str, last) + q;
}

function formatNumber(n) {
  return n === 0 && 1 / n < 0 ? '-0' : `${n}`;
}

function formatPrimitive(ctx, value) {
  switch (typeof value) {
    case 'string': {
      let trailer = '';
      if (value.length > ctx.maxStringLength) {
        const remaining = value.length - ctx.maxStringLength;
        value = StringPrototypeSlice(value, 0, ctx.maxStringLength);
        trailer = `... ${remaining} more character${remaining > 1 ? 's' : ''}`;
      }
      return quote(value) + trailer;
    }
    case 'number': return formatNumber(value);
    case 'bigint': return `${value}n`;
    case 'symbol': return SymbolPrototypeToString(value);
    default: return `${value}`;
  }
}

// --- objects ------------------------------------------------------------------------------------

function formatValue(ctx, value, recurseTimes) {
  if (!isObject(value)) return formatPrimitive(ctx, value);
  let proxy = ops.inspectProxy(value);
  if (proxy !== undefined) {
    if (proxy[0] === null) return '<Revoked Proxy>';
    if (ctx.showProxy) {
      if (recurseTimes > ctx.depth && ctx.depth !== null) return 'Proxy [Array]';
      ctx.indentationLvl += 2;
      const parts = [formatValue(ctx, proxy[0], recurseTimes + 1),
                     formatValue(ctx, proxy[1], recurseTimes + 1)];
      ctx.indentationLvl -= 2;
      return reduceToSingleString(ctx, parts, '', ['Proxy [', ']'], kArrayExtrasType, recurseTimes);
    }
    // Format the target as if it were the value; a proxy's traps never run.
    while (proxy !== undefined) {
      value = proxy[0];
      if (value === null) return '<Revoked Proxy>';
      proxy = ops.inspectProxy(value);
    }
  }
  if (ctx.customInspect) {
    const custom = safeGet(value, kCustomInspect);
    if (typeof custom === 'function' && custom !== inspect) {
      const depth = ctx.depth === null ? null : ctx.depth - recurseTimes;
      const options = { __proto__: null, ...ctx.userOptions, depth, stylize: (s) => `${s}` };
      const result = FunctionPrototypeCall(custom, value, depth, options, inspect);
      if (result !== value) {
        if (typeof result !== 'string') return formatValue(ctx, result, recurseTimes);
        return indentLines(result, ctx.indentationLvl);
      }
    }
    const builtin = safeGet(value, kInspect);
    if (typeof builtin === 'function') {
      const shown = FunctionPrototypeCall(builtin, value, ctx.userOptions);
      if (typeof shown === 'string') return shown;
      if (isObject(shown) && getConstructorName(shown) === 'Object') {
        return formatRaw(ctx, shown, recurseTimes, getConstructorName(value));
      }
      return formatValue(ctx, shown, recurseTimes);
    }
  }
  if (ArrayPrototypeIncludes(ctx.seen, value)) {
    let index = ctx.circular.get(value);
    if (index === undefined) {
      index = ctx.circular.size + 1;
      ctx.circular.set(value, index);
    }
    return `[Circular *${index}]`;
  }
  return formatRaw(ctx, value, recurseTimes);
}

function indentLines(str, indentation) {
  if (indentation === 0 || !StringPrototypeIncludes(str, '\n')) return str;
  return RegExpPrototypeSymbolReplace(/\n/g, str, `\n${StringPrototypeRepeat(' ', indentation)}`);
}

function formatRaw(ctx, value, recurseTimes, constructorOverride) {
  const constructor = constructorOverride ?? getConstructorName(value);
  let tag = safeGet(value, SymbolToStringTag);
  if (typeof tag !== 'string' || (tag !== '' && (ctx.showHidden ? ObjectPrototypeHasOwnProperty :
      ObjectPrototypePropertyIsEnumerable)(value, SymbolToStringTag))) {
    tag = '';
  }
  const kind = ops.inspectType(value);
  let keys;
  let base = '';
  let braces;
  let formatter = formatNothing;
  let extrasType = kObjectType;
  try {
    keys = getKeys(value, ctx.showHidden);
  } catch {
    keys = [];  // e.g. a module namespace with uninitialized bindings
  }

  if (ArrayIsArray(value)) {
    const prefix = (constructor !== 'Array' || tag !== '') ?
      getPrefix(constructor, tag, 'Array', `(${value.length})`) : '';
    keys = filterIndexKeys(keys);
    braces = [`${prefix}[`, ']'];
    if (value.length === 0 && keys.length === 0) return `${braces[0]}]`;
    extrasType = kArrayExtrasType;
    formatter = formatArray;
  } else if (kind === kSet) {
    const size = SetPrototypeGetSize(value);
    const prefix = getPrefix(constructor, tag, 'Set', `(${size})`);
    formatter = formatSet;
    if (size === 0 && keys.length === 0) return `${prefix}{}`;
    braces = [`${prefix}{`, '}'];
  } else if (kind === kMap) {
    const size = MapPrototypeGetSize(value);
    const prefix = getPrefix(constructor, tag, 'Map', `(${size})`);
    formatter = formatMap;
    if (size === 0 && keys.length === 0) return `${prefix}{}`;
    braces = [`${prefix}{`, '}'];
  } else if (kind === kTypedArray) {
    const length = TypedArrayPrototypeGetLength(value);
    const name = TypedArrayPrototypeGetSymbolToStringTag(value);
    const prefix = getPrefix(constructor, tag === name ? '' : tag, name, `(${length})`);
    keys = filterIndexKeys(keys);
    braces = [`${prefix}[`, ']'];
    if (length === 0 && keys.length === 0 && !ctx.showHidden) return `${braces[0]}]`;
    formatter = formatTypedArray;
    extrasType = kArrayExtrasType;
  } else if (kind === kMapIterator || kind === kSetIterator) {
    // entries() iterators preview as key/value pairs: Node labels those "[Map Entries]".
    const preview = ops.inspectEntries(value);
    const name = kind === kMapIterator ? 'Map' : 'Set';
    const label = preview !== undefined && preview[1] ? `${name} Entries` :
      tag || `${name} Iterator`;
    braces = [`[${label}] {`, '}'];
    formatter = formatIterator;
  } else {
    braces = ['{', '}'];
    if (kind === kArguments) {
      braces = ['[Arguments] [', ']'];
      keys = filterIndexKeys(keys);
      extrasType = kArrayExtrasType;
      formatter = formatArray;
      if (value.length === 0 && keys.length === 0) return '[Arguments] []';
    } else if (typeof value === 'function') {
      base = functionBase(value, kind, constructor, tag);
      if (keys.length === 0) return base;
    } else if (kind === kRegExp) {
      base = RegExpPrototypeToString(value);
      const prefix = getPrefix(constructor, tag, 'RegExp');
      if (prefix !== 'RegExp ') base = `${prefix}${base}`;
      if (keys.length === 0 || recurseTimes > ctx.depth && ctx.depth !== null) return base;
    } else if (kind === kDate) {
      const time = DatePrototypeGetTime(value);
      base = time === time ? DatePrototypeToISOString(value) : 'Invalid Date';
      const prefix = getPrefix(constructor, tag, 'Date');
      if (prefix !== 'Date ') base = `${prefix}${base}`;
      if (keys.length === 0) return base;
    } else if (kind === kNativeError) {
      base = formatError(ctx, value, constructor, keys);
      if (keys.length === 0) return base;
    } else if (kind === kArrayBuffer || kind === kSharedArrayBuffer) {
      const name = kind === kArrayBuffer ? 'ArrayBuffer' : 'SharedArrayBuffer';
      const prefix = getPrefix(constructor, tag, name);
      formatter = formatArrayBuffer;
      braces[0] = `${prefix}{`;
      ArrayPrototypePush(keys, 'byteLength');
    } else if (kind === kDataView) {
      braces[0] = `${getPrefix(constructor, tag, 'DataView')}{`;
      ArrayPrototypePush(keys, 'byteLength', 'byteOffset', 'buffer');
    } else if (kind === kPromise) {
      braces[0] = `${getPrefix(constructor, tag, 'Promise')}{`;
      formatter = formatPromise;
    } else if (kind === kWeakSet || kind === kWeakMap) {
      braces[0] = `${getPrefix(constructor, tag, kind === kWeakSet ? 'WeakSet' : 'WeakMap')}{`;
      formatter = ctx.showHidden ? formatWeakCollection : formatUnknownItems;
    } else if (kind === kModuleNamespace) {
      braces[0] = `${getPrefix(constructor, tag, 'Module')}{`;
      formatter = formatNothing;
    } else if (kind >= kNumberObject && kind <= kSymbolObject) {
      base = boxedBase(value, kind, constructor, tag);
      if (kind === kStringObject) keys = filterIndexKeys(keys);
      if (keys.length === 0) return base;
    } else {
      if (keys.length === 0) {
        return `${constructor === 'Object' && tag === '' ? '' :
          getPrefix(constructor, tag, 'Object')}{}`;
      }
      braces[0] = `${constructor === 'Object' && tag === '' ? '' :
        getPrefix(constructor, tag, 'Object')}{`;
    }
  }

  if (recurseTimes > ctx.depth && ctx.depth !== null) {
    const name = StringPrototypeSlice(getPrefix(constructor, tag, 'Object'), 0, -1);
    return `[${constructor === null ? 'Object: null prototype' : name}]`;
  }
  recurseTimes += 1;
  ArrayPrototypePush(ctx.seen, value);
  ctx.currentDepth = recurseTimes;
  let output;
  try {
    output = formatter(ctx, value, recurseTimes);
    for (let i = 0; i < keys.length; i++) {
      ArrayPrototypePush(output, formatProperty(ctx, value, recurseTimes, keys[i], extrasType));
    }
  } catch (error) {
    ArrayPrototypePop(ctx.seen);
    if (error instanceof RangeError) {
      return `[${constructor ?? 'Object'}: Inspection interrupted prematurely. ` +
             'Maximum call stack size exceeded.]';
    }
    throw error;
  }
  ArrayPrototypePop(ctx.seen);
  const index = ctx.circular.get(value);
  if (index !== undefined) base = base === '' ? `<ref *${index}>` : `<ref *${index}> ${base}`;
  return reduceToSingleString(ctx, output, base, braces, extrasType, recurseTimes, value);
}

function filterIndexKeys(keys) {
  const out = [];
  for (let i = 0; i < keys.length; i++) if (!isIndexKey(keys[i])) ArrayPrototypePush(out, keys[i]);
  return out;
}

function functionBase(fn, kind, constructor, tag) {
  let source = '';
  try {
    source = FunctionPrototypeToString(fn);
  } catch {
    // Not a function the engine can print.
  }
  const name = safeGet(fn, 'name');
  if (StringPrototypeStartsWith(source, 'class') && RegExpPrototypeExec(/^class\b/, source)) {
    let base = `[class ${typeof name === 'string' && name !== '' ? name : '(anonymous)'}`;
    const superClass = ObjectGetPrototypeOf(fn);
    if (superClass !== null && superClass !== FunctionPrototype) {
      const superName = safeGet(superClass, 'name');
      if (typeof superName === 'string' && superName !== '') base += ` extends ${superName}`;
    }
    return `${base}]`;
  }
  let type = 'Function';
  if (kind === kAsyncFunction) type = 'AsyncFunction';
  else if (kind === kGeneratorFunction) type = 'GeneratorFunction';
  else if (kind === kAsyncGeneratorFunction) type = 'AsyncGeneratorFunction';
  let base = `[${type}`;
  if (constructor === null) base += ' (null prototype)';
  base += typeof name === 'string' && name !== '' ? `: ${name}]` : ' (anonymous)]';
  if (constructor !== type && constructor !== null) base += ` ${constructor}`;
  if (tag !== '' && constructor !== tag) base += ` [${tag}]`;
  return base;
}
const FunctionPrototype = ObjectGetPrototypeOf(Function);

function boxedBase(value, kind, constructor, tag) {
  let type;
  let shown;
  if (kind === kNumberObject) {
    type = 'Number';
    shown = formatNumber(NumberPrototypeValueOf(value));
  } else if (kind === kStringObject) {
    type = 'String';
    shown = quote(StringPrototypeValueOf(value));
  } else if (kind === kBooleanObject) {
    type = 'Boolean';
    shown = `${BooleanPrototypeValueOf(value)}`;
  } else if (kind === kBigIntObject) {
    type = 'BigInt';
    shown = `${BigIntPrototypeValueOf(value)}n`;
  } else {
    type = 'Symbol';
    shown = SymbolPrototypeToString(SymbolPrototypeValueOf(value));
  }
  let base = `[${type}`;
  if (type !== constructor) {
    base += constructor === null ? ' (null prototype)' : ` (${constructor})`;
  }
  base += `: ${shown}]`;
  if (tag !== '' && tag !== constructor) base += ` [${tag}]`;
  return base;
}

function formatError(ctx, err, constructor, keys) {
  let stack = safeGet(err, 'stack');
  if (typeof stack !== 'string' || stack === '') {
    const name = safeGet(err, 'name');
    const message = safeGet(err, 'message');
    stack = `${typeof name === 'string' ? name : constructor ?? 'Error'}`;
    if (typeof message === 'string' && message !== '') stack += `: ${message}`;
  }
  // Errors show `cause` and AggregateError's `errors` although they are not enumerable.
  for (const extra of ['cause', 'errors']) {
    if (!ctx.showHidden && ObjectPrototypeHasOwnProperty(err, extra) &&
        !ArrayPrototypeIncludes(keys, extra)) {
      ArrayPrototypePush(keys, extra);
    }
  }
  if (!StringPrototypeIncludes(stack, '\n    at ')) stack = `[${stack}]`;
  return indentLines(stack, ctx.indentationLvl);
}

function formatNothing() {
  return [];
}

function formatUnknownItems() {
  return ['<items unknown>'];
}

function formatArray(ctx, value, recurseTimes) {
  const length = value.length;
  const shown = MathMin(MathMax(0, ctx.maxArrayLength), length);
  const output = [];
  let holes = 0;
  for (let i = 0; i < length && output.length < shown; i++) {
    if (!ObjectPrototypeHasOwnProperty(value, i)) {
      holes++;
      continue;
    }
    if (holes > 0) {
      ArrayPrototypePush(output, `<${holes} empty item${holes > 1 ? 's' : ''}>`);
      holes = 0;
      if (output.length >= shown) break;
    }
    ArrayPrototypePush(output, formatProperty(ctx, value, recurseTimes, i, kArrayExtrasType));
  }
  if (holes > 0 && output.length < shown) {
    ArrayPrototypePush(output, `<${holes} empty item${holes > 1 ? 's' : ''}>`);
  }
  const remaining = length - shown;
  if (remaining > 0 && output.length >= shown) {
    ArrayPrototypePush(output, `... ${remaining} more item${remaining > 1 ? 's' : ''}`);
  }
  return output;
}

function formatTypedArray(ctx, value, recurseTimes) {
  const length = TypedArrayPrototypeGetLength(value);
  const shown = MathMin(MathMax(0, ctx.maxArrayLength), length);
  const output = [];
  const bigint = typeof value[0] === 'bigint';
  for (let i = 0; i < shown; i++) {
    ArrayPrototypePush(output, bigint ? `${value[i]}n` : formatNumber(value[i]));
  }
  if (length > shown) {
    const remaining = length - shown;
    ArrayPrototypePush(output, `... ${remaining} more item${remaining > 1 ? 's' : ''}`);
  }
  return output;
}

function formatSet(ctx, value, recurseTimes) {
  const output = [];
  ctx.indentationLvl += 2;
  const it = SetPrototypeValues(value);
  for (let r = SetIteratorPrototypeNext(it); !r.done; r = SetIteratorPrototypeNext(it)) {
    ArrayPrototypePush(output, formatValue(ctx, r.value, recurseTimes));
  }
  ctx.indentationLvl -= 2;
  return output;
}

function formatMap(ctx, value, recurseTimes) {
  const output = [];
  ctx.indentationLvl += 2;
  const it = MapPrototypeEntries(value);
  for (let r = MapIteratorPrototypeNext(it); !r.done; r = MapIteratorPrototypeNext(it)) {
    ArrayPrototypePush(output, `${formatValue(ctx, r.value[0], recurseTimes)} => ` +
                               formatValue(ctx, r.value[1], recurseTimes));
  }
  ctx.indentationLvl -= 2;
  return output;
}

function formatEntries(ctx, entries, isKeyValue, recurseTimes) {
  const output = [];
  ctx.indentationLvl += 2;
  if (isKeyValue) {
    for (let i = 0; i + 1 < entries.length; i += 2) {
      ArrayPrototypePush(output, `${formatValue(ctx, entries[i], recurseTimes)} => ` +
                                 formatValue(ctx, entries[i + 1], recurseTimes));
    }
  } else {
    for (let i = 0; i < entries.length; i++) {
      ArrayPrototypePush(output, formatValue(ctx, entries[i], recurseTimes));
    }
  }
  ctx.indentationLvl -= 2;
  return output;
}

function formatIterator(ctx, value, recurseTimes) {
  const preview = ops.inspectEntries(value);
  if (preview === undefined) return [];
  if (preview[1]) {
    // Map entries iterator: [key, value] pairs shown as small arrays.
    const output = [];
    const entries = preview[0];
    ctx.indentationLvl += 2;
    for (let i = 0; i + 1 < entries.length; i += 2) {
      ArrayPrototypePush(output, `[ ${formatValue(ctx, entries[i], recurseTimes)}, ` +
                                 `${formatValue(ctx, entries[i + 1], recurseTimes)} ]`);
    }
    ctx.indentationLvl -= 2;
    return output;
  }
  return formatEntries(ctx, preview[0], false, recurseTimes);
}

function formatWeakCollection(ctx, value, recurseTimes) {
  const preview = ops.inspectEntries(value);
  if (preview === undefined) return [];
  return formatEntries(ctx, preview[0], preview[1], recurseTimes);
}

function formatPromise(ctx, value, recurseTimes) {
  const state = ops.inspectPromise(value);
  if (state[0] === 0) return ['<pending>'];
  ctx.indentationLvl += 2;
  const shown = formatValue(ctx, state[1], recurseTimes);
  ctx.indentationLvl -= 2;
  return [state[0] === 2 ? `<rejected> ${shown}` : shown];
}

function formatArrayBuffer(ctx, value) {
  let length;
  try {
    length = ArrayBufferPrototypeGetByteLength(value);
  } catch {
    length = SharedArrayBufferPrototypeGetByteLength(value);
  }
  const bytes = new Uint8Array(value, 0, MathMin(length, ctx.maxArrayLength, 50));
  let hex = '';
  for (let i = 0; i < bytes.length; i++) {
    hex += `${i === 0 ? '' : ' '}${StringPrototypePadStart(bytes[i].toString(16), 2, '0')}`;
  }
  const remaining = length - bytes.length;
  if (remaining > 0) hex += ` ... ${remaining} more byte${remaining > 1 ? 's' : ''}`;
  return [`[Uint8Contents]: <${hex}>`];
}

function formatProperty(ctx, value, recurseTimes, key, type) {
  let desc;
  try {
    desc = ObjectGetOwnPropertyDescriptor(value, key);
  } catch {
    return `${formatKey(key, true)}: <uninitialized>`;
  }
  if (desc === undefined) {
    // Accessors on a prototype that built-ins list explicitly (DataView's byteLength, ...).
    desc = { value: builtinAccessor(value, key), enumerable: true };
  }
  let str;
  if (desc.value !== undefined || !('get' in desc)) {
    ctx.indentationLvl += 2;
    str = formatValue(ctx, desc.value, recurseTimes);
    ctx.indentationLvl -= 2;
  } else if (desc.get !== undefined) {
    str = desc.set !== undefined ? '[Getter/Setter]' : '[Getter]';
  } else {
    str = desc.set !== undefined ? '[Setter]' : 'undefined';
  }
  if (type === kArrayExtrasType && typeof key === 'number') return str;
  return `${formatKey(key, desc.enumerable !== false)}: ${str}`;
}

function builtinAccessor(value, key) {
  const kind = ops.inspectType(value);
  if (kind === kArrayBuffer && key === 'byteLength') {
    return ArrayBufferPrototypeGetByteLength(value);
  }
  if (kind === kDataView) {
    if (key === 'byteLength') return DataViewPrototypeGetByteLength(value);
    if (key === 'byteOffset') return DataViewPrototypeGetByteOffset(value);
    if (key === 'buffer') return DataViewPrototypeGetBuffer(value);
  }
  return undefined;
}

function formatKey(key, enumerable) {
  let name;
  if (typeof key === 'symbol') name = `[${SymbolPrototypeToString(key)}]`;
  else if (RegExpPrototypeExec(kIdentifier, key) !== null) name = key;
  else name = quote(`${key}`);
  return enumerable ? name : `[${name}]`;
}

// Puts the entries on one line when they fit (Node's "compact = 3" rule), else one per line.
function reduceToSingleString(ctx, output, base, braces, extrasType, recurseTimes, value) {
  const entries = output.length;
  if (extrasType === kArrayExtrasType && entries > 6) {
    output = groupArrayElements(ctx, output, value);
  }
  if (ctx.currentDepth - recurseTimes < ctx.compact && entries === output.length) {
    const start = output.length + ctx.indentationLvl + braces[0].length + base.length + 10;
    if (isBelowBreakLength(ctx, output, start, base)) {
      const joined = ArrayPrototypeJoin(output, ', ');
      if (!StringPrototypeIncludes(joined, '\n')) {
        return `${base ? `${base} ` : ''}${braces[0]} ${joined} ${braces[1]}`;
      }
    }
  }
  const indentation = `\n${StringPrototypeRepeat(' ', ctx.indentationLvl)}`;
  return `${base ? `${base} ` : ''}${braces[0]}${indentation}  ` +
         `${ArrayPrototypeJoin(output, `,${indentation}  `)}${indentation}${braces[1]}`;
}

function isBelowBreakLength(ctx, output, start, base) {
  let total = output.length + start;
  if (total + output.length > ctx.breakLength) return false;
  for (let i = 0; i < output.length; i++) {
    total += output[i].length;
    if (total > ctx.breakLength) return false;
  }
  return base === '' || !StringPrototypeIncludes(base, '\n');
}

// Lays out many short array entries in aligned columns, as Node does for long arrays.
function groupArrayElements(ctx, output, value) {
  let count = output.length;
  const hasTrailer = count > 0 && StringPrototypeStartsWith(output[count - 1], '... ');
  if (hasTrailer) count--;
  let total = 0;
  let widest = 0;
  for (let i = 0; i < count; i++) {
    total += output[i].length + 2;
    if (output[i].length > widest) widest = output[i].length;
  }
  const cell = widest + 2;
  if (cell * 3 + ctx.indentationLvl >= ctx.breakLength ||
      (total / cell <= 5 && widest > 6)) {
    return output;
  }
  const bias = MathSqrt(cell - total / output.length);
  const biased = MathMax(cell - 3 - bias, 1);
  const columns = MathMin(MathRound(MathSqrt(2.5 * biased * count) / biased),
                          MathFloor((ctx.breakLength - ctx.indentationLvl) / cell),
                          ctx.compact * 4, 15);
  if (columns <= 1) return output;
  const widths = [];
  for (let c = 0; c < columns; c++) {
    let w = 0;
    for (let j = c; j < count; j += columns) if (output[j].length > w) w = output[j].length;
    ArrayPrototypePush(widths, w + 2);
  }
  // Numbers align right, everything else left.
  let numeric = value !== undefined;
  for (let i = 0; numeric && i < count; i++) {
    const desc = ObjectGetOwnPropertyDescriptor(value, i);
    const v = desc?.value;
    if (typeof v !== 'number' && typeof v !== 'bigint') numeric = false;
  }
  const rows = [];
  for (let i = 0; i < count; i += columns) {
    const end = MathMin(i + columns, count);
    let line = '';
    for (let j = i; j < end - 1; j++) {
      line += numeric ? StringPrototypePadStart(`${output[j]}, `, widths[j - i], ' ') :
        StringPrototypePadEnd(`${output[j]}, `, widths[j - i], ' ');
    }
    line += numeric ? StringPrototypePadStart(output[end - 1], widths[end - 1 - i] - 2, ' ') :
      output[end - 1];
    ArrayPrototypePush(rows, line);
  }
  if (hasTrailer) ArrayPrototypePush(rows, output[count]);
  return rows;
}

// https://nodejs.org/api/util.html#utilinspectobject-options
function inspect(value, options = undefined) {
  const ctx = {
    __proto__: null, ...kDefaultOptions, seen: [], circular: new SafeMap(), indentationLvl: 0,
    currentDepth: 0, userOptions: null,
  };
  if (isObject(options)) {
    for (const key of ObjectKeys(options)) {
      if (key in kDefaultOptions) ctx[key] = options[key];
    }
  }
  if (ctx.depth === Infinity) ctx.depth = null;
  if (ctx.maxArrayLength === null) ctx.maxArrayLength = Infinity;
  if (ctx.maxStringLength === null) ctx.maxStringLength = Infinity;
  if (typeof ctx.compact !== 'number') ctx.compact = ctx.compact ? Infinity : 0;
  const userOptions = { __proto__: null };
  for (const key in kDefaultOptions) userOptions[key] = ctx[key];
  ctx.userOptions = userOptions;
  return formatValue(ctx, value, 0);
}
inspect.custom = kCustomInspect;

// True when `%s` should inspect the object rather than call its toString: no toString of its own
// or from a user class (Node's rule).
function hasBuiltinToString(value) {
  const proxy = ops.inspectProxy(value);
  if (proxy !== undefined) return true;
  let o = value;
  for (let i = 0; o !== null && i < 1000; i++) {
    if (ObjectPrototypeHasOwnProperty(o, 'toString')) {
      const ctor = safeGet(o, 'constructor');
      return o === ObjectPrototype || ctor === Error || ctor === ArrayCtor || ctor === Date ||
             ctor === RegExp || ctor === FunctionCtor || ops.inspectType(o) !== 0;
    }
    o = ObjectGetPrototypeOf(o);
  }
  return true;
}
const { Error, Array: ArrayCtor, Date, RegExp, Function: FunctionCtor } = primordials;

internals.console = {
  inspect,
  // The symbol built-ins use to show internal state: `[kInspect](options) → value | string`.
  kInspect,
  isObject,
  formatNumber,
  hasBuiltinToString,
};
