// The console namespace: https://console.spec.whatwg.org/
// Output goes to ops.print (bindings/console_ops.cc): log/info/debug/dir/table/count/time* to
// stdout, warn/error/trace/assert to stderr, each message followed by a newline. Values are
// formatted by internals.console.inspect (06_console.js) and format() below, the console spec's
// formatter with Node's conversions. Adds format, formatWithOptions, log, warn, error to
// `internals.console` and defines the `console` global.
'use strict';

const {
  ArrayIsArray, ArrayPrototypePush, ArrayPrototypeUnshift, DateNow, ErrorCaptureStackTrace,
  MapIteratorPrototypeNext, MapPrototypeEntries, MathFloor, MathMax, NumberPrototypeToFixed,
  ObjectCreate, ObjectDefineProperty, ObjectGetOwnPropertyDescriptor, ObjectKeys, ObjectPrototype,
  RegExpPrototypeSymbolReplace, SafeMap, SetIteratorPrototypeNext, SetPrototypeValues,
  StringPrototypeIndexOf, StringPrototypePadStart, StringPrototypeRepeat, StringPrototypeSlice,
  SymbolToStringTag,
} = primordials;
const { inspect, isObject, formatNumber, hasBuiltinToString } = internals.console;
const { JSONStringify, NumberParseFloat, NumberParseInt, ReflectApply, String,
        StringPrototypeCharCodeAt, StringPrototypeIncludes } = primordials;

const kMap = 1;
const kSet = 2;

// --- util.format ---------------------------------------------------------------------------------

function stringifyJSON(value) {
  try {
    return JSONStringify(value);
  } catch (error) {
    if (error instanceof TypeError && StringPrototypeIncludes(`${error.message}`, 'circular')) {
      return '[Circular]';
    }
    throw error;
  }
}
const { TypeError } = primordials;

// https://console.spec.whatwg.org/#formatter, with Node's conversions.
function formatWithOptions(inspectOptions, ...args) {
  const first = args[0];
  let a = 0;
  let str = '';
  let join = '';
  if (typeof first === 'string') {
    if (args.length === 1) return first;
    let lastPos = 0;
    for (let i = 0; i < first.length - 1; i++) {
      if (StringPrototypeCharCodeAt(first, i) !== 37) continue;  // '%'
      const next = StringPrototypeCharCodeAt(first, ++i);
      if (a + 1 === args.length) {
        if (next === 37) {
          str += StringPrototypeSlice(first, lastPos, i);
          lastPos = i + 1;
        }
        continue;
      }
      let piece;
      switch (next) {
        case 115: {  // %s
          const arg = args[++a];
          if (typeof arg === 'number') piece = formatNumber(arg);
          else if (typeof arg === 'bigint') piece = `${arg}n`;
          else if (!isObject(arg) || !hasBuiltinToString(arg)) piece = String(arg);
          else piece = inspect(arg, { ...inspectOptions, depth: 0, compact: 3 });
          break;
        }
        case 106: piece = stringifyJSON(args[++a]); break;  // %j
        case 100: {  // %d
          const arg = args[++a];
          if (typeof arg === 'bigint') piece = `${arg}n`;
          else if (typeof arg === 'symbol') piece = 'NaN';
          else piece = formatNumber(+arg);
          break;
        }
        case 79: piece = inspect(args[++a], inspectOptions); break;  // %O
        case 111:  // %o
          piece = inspect(args[++a], { ...inspectOptions, showHidden: true, showProxy: true,
                                       depth: 4 });
          break;
        case 105: {  // %i
          const arg = args[++a];
          if (typeof arg === 'bigint') piece = `${arg}n`;
          else if (typeof arg === 'symbol') piece = 'NaN';
          else piece = formatNumber(NumberParseInt(arg));
          break;
        }
        case 102: {  // %f
          const arg = args[++a];
          piece = typeof arg === 'symbol' ? 'NaN' : formatNumber(NumberParseFloat(arg));
          break;
        }
        case 99: a++; piece = ''; break;  // %c: CSS, ignored
        case 37:  // %%
          str += StringPrototypeSlice(first, lastPos, i);
          lastPos = i + 1;
          continue;
        default: continue;
      }
      if (lastPos !== i - 1) str += StringPrototypeSlice(first, lastPos, i - 1);
      str += piece;
      lastPos = i + 1;
    }
    if (lastPos !== 0) {
      a++;
      join = ' ';
      if (lastPos < first.length) str += StringPrototypeSlice(first, lastPos);
    }
  }
  for (; a < args.length; a++) {
    const value = args[a];
    str += join + (typeof value === 'string' ? value : inspect(value, inspectOptions));
    join = ' ';
  }
  return str;
}

function format(...args) {
  return ReflectApply(formatWithOptions, undefined, [undefined, ...args]);
}

// --- console ------------------------------------------------------------------------------------

let groupIndent = '';
const counts = new SafeMap();
const timers = new SafeMap();

function now() {
  return typeof ops.hrtimeMs === 'function' ? ops.hrtimeMs() : DateNow();
}

function print(isStderr, text) {
  if (groupIndent !== '') {
    text = groupIndent + RegExpPrototypeSymbolReplace(/\n/g, text, `\n${groupIndent}`);
  }
  ops.print(`${text}\n`, isStderr);
}

function formatTime(ms) {
  if (ms >= 60000) {
    const minutes = MathFloor(ms / 60000);
    const seconds = NumberPrototypeToFixed((ms - minutes * 60000) / 1000, 3);
    return `${minutes}:${StringPrototypePadStart(seconds, 6, '0')} (m:ss.mmm)`;
  }
  if (ms >= 1000) return `${NumberPrototypeToFixed(ms / 1000, 3)}s`;
  return `${NumberPrototypeToFixed(ms, 3)}ms`;
}

function labelOf(label) {
  return label === undefined ? 'default' : `${label}`;
}

// console.table: https://console.spec.whatwg.org/#table, laid out like Node's.
function renderTable(head, columns) {
  const rows = columns[0].length;
  const widths = [];
  for (let c = 0; c < head.length; c++) {
    let w = head[c].length;
    for (let r = 0; r < rows; r++) if (columns[c][r].length > w) w = columns[c][r].length;
    ArrayPrototypePush(widths, w + 2);
  }
  const center = (text, width) => {
    const left = MathFloor((width - text.length) / 2);
    return StringPrototypeRepeat(' ', left) + text +
           StringPrototypeRepeat(' ', width - text.length - left);
  };
  const line = (l, m, r) => {
    let out = l;
    for (let c = 0; c < widths.length; c++) {
      out += StringPrototypeRepeat('─', widths[c]) + (c === widths.length - 1 ? r : m);
    }
    return out;
  };
  const row = (cells) => {
    let out = '│';
    for (let c = 0; c < cells.length; c++) out += `${center(cells[c], widths[c])}│`;
    return out;
  };
  let out = `${line('┌', '┬', '┐')}\n${row(head)}\n${line('├', '┼', '┤')}\n`;
  for (let r = 0; r < rows; r++) {
    const cells = [];
    for (let c = 0; c < head.length; c++) ArrayPrototypePush(cells, columns[c][r]);
    out += `${row(cells)}\n`;
  }
  return out + line('└', '┴', '┘');
}

function tableCell(v) {
  const depth = isObject(v) && !ArrayIsArray(v) && ObjectKeys(v).length > 2 ? -1 : 0;
  return inspect(v, { depth, maxArrayLength: 3, breakLength: Infinity });
}

function table(data, properties) {
  if (!isObject(data)) return consoleMethods.log(data);
  const kind = ops.inspectType(data);
  const indexes = [];
  const values = [];
  let indexHeader = '(index)';
  let keyColumn = null;
  if (kind === kMap) {
    indexHeader = '(iteration index)';
    keyColumn = [];
    const it = MapPrototypeEntries(data);
    let i = 0;
    for (let r = MapIteratorPrototypeNext(it); !r.done; r = MapIteratorPrototypeNext(it)) {
      ArrayPrototypePush(indexes, `${i++}`);
      ArrayPrototypePush(keyColumn, tableCell(r.value[0]));
      ArrayPrototypePush(values, r.value[1]);
    }
  } else if (kind === kSet) {
    indexHeader = '(iteration index)';
    const it = SetPrototypeValues(data);
    let i = 0;
    for (let r = SetIteratorPrototypeNext(it); !r.done; r = SetIteratorPrototypeNext(it)) {
      ArrayPrototypePush(indexes, `${i++}`);
      ArrayPrototypePush(values, r.value);
    }
  } else {
    const keys = ObjectKeys(data);
    for (let i = 0; i < keys.length; i++) {
      ArrayPrototypePush(indexes, keys[i]);
      const desc = ObjectGetOwnPropertyDescriptor(data, keys[i]);
      ArrayPrototypePush(values, desc && 'value' in desc ? desc.value : undefined);
    }
  }
  const head = [indexHeader];
  const columns = [indexes];
  if (keyColumn !== null) {
    ArrayPrototypePush(head, 'Key');
    ArrayPrototypePush(columns, keyColumn);
  }
  const columnOf = new SafeMap();
  const primitives = [];
  let hasPrimitive = false;
  const filter = ArrayIsArray(properties) ? properties : null;
  if (filter !== null) {
    for (let i = 0; i < filter.length; i++) {
      const name = `${filter[i]}`;
      columnOf.set(name, columns.length);
      ArrayPrototypePush(head, name);
      ArrayPrototypePush(columns, []);
    }
  }
  for (let r = 0; r < values.length; r++) {
    const v = values[r];
    if (isObject(v) && ops.inspectProxy(v) === undefined) {
      const keys = ObjectKeys(v);
      for (let k = 0; k < keys.length; k++) {
        let col = columnOf.get(keys[k]);
        if (col === undefined) {
          if (filter !== null) continue;
          col = columns.length;
          columnOf.set(keys[k], col);
          ArrayPrototypePush(head, keys[k]);
          ArrayPrototypePush(columns, []);
        }
        const desc = ObjectGetOwnPropertyDescriptor(v, keys[k]);
        columns[col][r] = tableCell(desc && 'value' in desc ? desc.value : undefined);
      }
      primitives[r] = '';
    } else {
      hasPrimitive = true;
      primitives[r] = tableCell(v);
    }
  }
  if (hasPrimitive) {
    ArrayPrototypePush(head, 'Values');
    ArrayPrototypePush(columns, primitives);
  }
  for (let c = 0; c < columns.length; c++) {
    for (let r = 0; r < values.length; r++) if (columns[c][r] === undefined) columns[c][r] = '';
  }
  print(false, renderTable(head, columns));
}

const consoleMethods = {
  log(...args) { print(false, format(...args)); },
  info(...args) { print(false, format(...args)); },
  debug(...args) { print(false, format(...args)); },
  warn(...args) { print(true, format(...args)); },
  error(...args) { print(true, format(...args)); },
  dirxml(...args) { print(false, format(...args)); },
  dir(item, options = undefined) {
    print(false, inspect(item, { customInspect: false, ...(isObject(options) ? options : {}) }));
  },
  trace(...args) {
    const error = { name: 'Trace', message: format(...args) };
    ErrorCaptureStackTrace(error, consoleMethods.trace);
    let stack = `${error.stack}`;
    if (args.length === 0) {
      stack = `Trace${StringPrototypeSlice(stack, StringPrototypeIndexOf(stack, '\n'))}`;
    }
    print(true, stack);
  },
  // https://console.spec.whatwg.org/#assert
  assert(condition = false, ...data) {
    if (condition) return;
    if (data.length === 0) ArrayPrototypePush(data, 'Assertion failed');
    else if (typeof data[0] === 'string') data[0] = `Assertion failed: ${data[0]}`;
    else ArrayPrototypeUnshift(data, 'Assertion failed');
    print(true, format(...data));
  },
  table,
  count(label = undefined) {
    const key = labelOf(label);
    const n = (counts.get(key) ?? 0) + 1;
    counts.set(key, n);
    print(false, `${key}: ${n}`);
  },
  countReset(label = undefined) {
    const key = labelOf(label);
    if (!counts.has(key)) {
      print(true, `Count for '${key}' does not exist`);
      return;
    }
    counts.set(key, 0);
  },
  group(...data) {
    if (data.length > 0) print(false, format(...data));
    groupIndent += '  ';
  },
  groupCollapsed(...data) {
    if (data.length > 0) print(false, format(...data));
    groupIndent += '  ';
  },
  groupEnd() {
    groupIndent = StringPrototypeSlice(groupIndent, 0, MathMax(0, groupIndent.length - 2));
  },
  time(label = undefined) {
    const key = labelOf(label);
    if (timers.has(key)) {
      print(true, `Warning: Label '${key}' already exists for console.time()`);
      return;
    }
    timers.set(key, now());
  },
  timeLog(label = undefined, ...data) {
    const key = labelOf(label);
    const start = timers.get(key);
    if (start === undefined) {
      print(true, `Warning: No such label '${key}' for console.timeLog()`);
      return;
    }
    const text = `${key}: ${formatTime(now() - start)}`;
    print(false, data.length > 0 ? `${text} ${format(...data)}` : text);
  },
  timeEnd(label = undefined) {
    const key = labelOf(label);
    const start = timers.get(key);
    if (start === undefined) {
      print(true, `Warning: No such label '${key}' for console.timeEnd()`);
      return;
    }
    timers.delete(key);
    print(false, `${key}: ${formatTime(now() - start)}`);
  },
};

// The console namespace object: its [[Prototype]] is an empty object (WebIDL namespaces).
const console = ObjectCreate(ObjectCreate(ObjectPrototype));
for (const name of ObjectKeys(consoleMethods)) {
  ObjectDefineProperty(console, name, {
    value: consoleMethods[name], writable: true, enumerable: true, configurable: true,
  });
}
ObjectDefineProperty(console, SymbolToStringTag, {
  value: 'console', writable: false, enumerable: false, configurable: true,
});

internals.console.format = format;
internals.console.formatWithOptions = formatWithOptions;
// The built-in console functions, unaffected by user changes to globalThis.console.
internals.console.log = consoleMethods.log;
internals.console.warn = consoleMethods.warn;
internals.console.error = consoleMethods.error;

// A minimal node:util until compat/ provides the full module.
if (internals.builtinModules['node:util'] === undefined) {
  internals.builtinModules['node:util'] = { inspect, format, formatWithOptions };
}

internals.defineGlobal('console', console);
