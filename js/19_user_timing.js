// User Timing and the Performance Timeline: performance.mark/measure/clearMarks/clearMeasures,
// getEntries/getEntriesByName/getEntriesByType, PerformanceEntry, PerformanceMark,
// PerformanceMeasure, PerformanceObserver and PerformanceObserverEntryList.
// https://w3c.github.io/user-timing/
// https://w3c.github.io/performance-timeline/
// https://w3c.github.io/hr-time/#the-performance-interface (Performance : EventTarget)
//
// `Performance` and the `performance` object come from 09_globals.js; this file adds the methods
// to Performance.prototype and makes Performance an EventTarget, as hr-time and workerd do.
// Only "mark" and "measure" entries exist here. Each entry type's buffer keeps the newest
// kMaxBufferSize entries (the registry says unbounded; isolates live long, so the oldest entry is
// dropped and counted in the dropped entries count). Entries have no `id`/`navigationId`
// (workerd and Chromium do not expose them either).
'use strict';

const {
  ArrayPrototypeIncludes, ArrayPrototypePush,
  ArrayPrototypeShift, ArrayPrototypeSlice, ArrayPrototypeSort, ArrayPrototypeSplice,
  FunctionPrototypeCall, NumberIsFinite, ObjectDefineProperty, ObjectFreeze,
  ObjectGetOwnPropertyDescriptor, ObjectGetOwnPropertyNames, ObjectSetPrototypeOf, SymbolIterator,
  TypeError,
} = primordials;
const { configureInterface, illegalConstructor, toDOMString } = internals.webidl;
const { DOMException } = internals;

const Performance = globalThis.Performance;
const performance = globalThis.performance;
const performanceNow = Performance.prototype.now;
const structuredClone = globalThis.structuredClone;
const now = () => FunctionPrototypeCall(performanceNow, performance);

const kMaxBufferSize = 10000;
const kInternal = Symbol('internal');
// https://w3c.github.io/user-timing/#convert-name-to-timestamp: the read-only attributes of the
// obsolete PerformanceTiming interface (Window only; a TypeError here).
const kPerformanceTimingNames = [
  'navigationStart', 'unloadEventStart', 'unloadEventEnd', 'redirectStart', 'redirectEnd',
  'fetchStart', 'domainLookupStart', 'domainLookupEnd', 'connectStart', 'connectEnd',
  'secureConnectionStart', 'requestStart', 'responseStart', 'responseEnd', 'domLoading',
  'domInteractive', 'domContentLoadedEventStart', 'domContentLoadedEventEnd', 'domComplete',
  'loadEventStart', 'loadEventEnd',
];

// DOMHighResTimeStamp is a (restricted) double.
function toTimeStamp(value, what) {
  const x = +value;
  if (!NumberIsFinite(x)) throw new TypeError(`${what} is not a finite number.`);
  return x;
}

function toDictionary(value, what) {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' && typeof value !== 'function') {
    throw new TypeError(`${what} can not be converted to a dictionary.`);
  }
  return value;
}

// "detail": structured-cloned; missing or null is null.
function cloneDetail(detail) {
  return detail === undefined || detail === null ? null : structuredClone(detail);
}

// ---------------------------------------------------------------------------------------------
// Entries (https://w3c.github.io/performance-timeline/#the-performanceentry-interface)

let entryName;
let entryType;
let entryStartTime;

class PerformanceEntry {
  #name;
  #entryType;
  #startTime;
  #duration;

  constructor(token = undefined, name = '', type = '', startTime = 0, duration = 0) {
    if (token !== kInternal) illegalConstructor();
    this.#name = name;
    this.#entryType = type;
    this.#startTime = startTime;
    this.#duration = duration;
  }

  get name() { return this.#name; }
  get entryType() { return this.#entryType; }
  get startTime() { return this.#startTime; }
  get duration() { return this.#duration; }

  // [Default] toJSON.
  toJSON() {
    return {
      name: this.#name, entryType: this.#entryType, startTime: this.#startTime,
      duration: this.#duration,
    };
  }

  static {
    entryName = (entry) => entry.#name;
    entryType = (entry) => entry.#entryType;
    entryStartTime = (entry) => entry.#startTime;
  }
}

const entryToJSON = PerformanceEntry.prototype.toJSON;
function toJSONWithDetail(entry, detail) {
  const json = FunctionPrototypeCall(entryToJSON, entry);
  // Like workerd: the detail is included when there is one.
  if (detail !== null) {
    ObjectDefineProperty(json, 'detail', {
      __proto__: null, value: detail, writable: true, enumerable: true, configurable: true,
    });
  }
  return json;
}

// https://w3c.github.io/user-timing/#the-performancemark-interface
class PerformanceMark extends PerformanceEntry {
  #detail;

  // https://w3c.github.io/user-timing/#the-performancemark-constructor
  constructor(markName, markOptions = undefined) {
    if (arguments.length < 1) {
      throw new TypeError("Failed to construct 'PerformanceMark': 1 argument required, but only " +
                          '0 present.');
    }
    const name = toDOMString(markName);
    const options = toDictionary(markOptions, "Failed to construct 'PerformanceMark': options");
    // Dictionary members in order: detail, startTime.
    const detail = options?.detail;
    const startTimeOption = options?.startTime;
    let startTime;
    if (startTimeOption !== undefined) {
      startTime = toTimeStamp(startTimeOption, "Failed to construct 'PerformanceMark': startTime");
      if (startTime < 0) {
        throw new TypeError(`Failed to construct 'PerformanceMark': '${name}' cannot have a ` +
                            'negative start time.');
      }
    } else {
      startTime = now();
    }
    super(kInternal, name, 'mark', startTime, 0);
    this.#detail = cloneDetail(detail);
  }

  get detail() { return this.#detail; }
  toJSON() { return toJSONWithDetail(this, this.#detail); }
}

// https://w3c.github.io/user-timing/#the-performancemeasure-interface
class PerformanceMeasure extends PerformanceEntry {
  #detail;

  constructor(token = undefined, name = '', startTime = 0, duration = 0, detail = null) {
    if (token !== kInternal) illegalConstructor();
    super(kInternal, name, 'measure', startTime, duration);
    this.#detail = detail;
  }

  get detail() { return this.#detail; }
  toJSON() { return toJSONWithDetail(this, this.#detail); }
}

// ---------------------------------------------------------------------------------------------
// The performance entry buffer map
// (https://w3c.github.io/performance-timeline/#dfn-performance-timeline)

const kSupportedEntryTypes = ObjectFreeze(['mark', 'measure']);
const buffers = {
  __proto__: null,
  mark: { __proto__: null, entries: [], dropped: 0 },
  measure: { __proto__: null, entries: [], dropped: 0 },
};

// Chronological by startTime; the sort is stable, so ties keep insertion order.
function sortByStartTime(list) {
  return ArrayPrototypeSort(list, (a, b) => entryStartTime(a) - entryStartTime(b));
}

// https://w3c.github.io/performance-timeline/#filter-buffer-by-name-and-type
function filterBuffer(buffer, name, type) {
  const result = [];
  for (let i = 0; i < buffer.length; i++) {
    const entry = buffer[i];
    if (type !== null && entryType(entry) !== type) continue;
    if (name !== null && entryName(entry) !== name) continue;
    ArrayPrototypePush(result, entry);
  }
  return sortByStartTime(result);
}

// https://w3c.github.io/performance-timeline/#filter-buffer-map-by-name-and-type
function filterBufferMap(name, type) {
  if (type !== null) {
    const tuple = buffers[type];
    return tuple === undefined ? [] : filterBuffer(tuple.entries, name, null);
  }
  const all = [];
  for (let i = 0; i < kSupportedEntryTypes.length; i++) {
    const entries = buffers[kSupportedEntryTypes[i]].entries;
    for (let j = 0; j < entries.length; j++) ArrayPrototypePush(all, entries[j]);
  }
  return filterBuffer(all, name, null);
}

// ---------------------------------------------------------------------------------------------
// PerformanceObserver
// (https://w3c.github.io/performance-timeline/#the-performanceobserver-interface)

// Registered performance observers: { observer, options: [{ entryTypes, type }] }.
const registeredObservers = [];
let observerTaskQueued = false;
// Set by the static block of PerformanceObserver.
let observerBufferAppend;
let observerTakeBuffer;
let observerCallback;
let observerTakeRequiresDroppedEntries;

function findRegistration(observer) {
  for (let i = 0; i < registeredObservers.length; i++) {
    if (registeredObservers[i].observer === observer) return i;
  }
  return -1;
}

function optionsObserve(options, type) {
  return options.type === type ||
         (options.entryTypes !== undefined && ArrayPrototypeIncludes(options.entryTypes, type));
}

// https://w3c.github.io/performance-timeline/#queue-the-performanceobserver-task
function queueObserverTask() {
  if (observerTaskQueued || registeredObservers.length === 0) return;
  observerTaskQueued = true;
  internals.timers.setTimeout(runObserverTask, 0);
}

function runObserverTask() {
  observerTaskQueued = false;
  const notifyList = ArrayPrototypeSlice(registeredObservers);
  for (let i = 0; i < notifyList.length; i++) {
    const registration = notifyList[i];
    const po = registration.observer;
    const entries = observerTakeBuffer(po);
    if (entries.length === 0) continue;
    const entryList = new PerformanceObserverEntryList(kInternal, entries);
    const callbackOptions = {};
    if (observerTakeRequiresDroppedEntries(po)) {
      let droppedEntriesCount = 0;
      for (let j = 0; j < registration.options.length; j++) {
        const options = registration.options[j];
        const types = options.entryTypes ?? [options.type];
        for (let k = 0; k < types.length; k++) droppedEntriesCount += buffers[types[k]].dropped;
      }
      callbackOptions.droppedEntriesCount = droppedEntriesCount;
    }
    try {
      FunctionPrototypeCall(observerCallback(po), po, entryList, po, callbackOptions);
    } catch (e) {
      internals.reportError(e);
    }
  }
}

// https://w3c.github.io/performance-timeline/#queue-a-performanceentry, then the step that adds
// the entry to the performance entry buffer.
function queueEntry(entry) {
  const type = entryType(entry);
  for (let i = 0; i < registeredObservers.length; i++) {
    const registration = registeredObservers[i];
    for (let j = 0; j < registration.options.length; j++) {
      if (optionsObserve(registration.options[j], type)) {
        observerBufferAppend(registration.observer, entry);
        break;
      }
    }
  }
  const tuple = buffers[type];
  if (tuple.entries.length >= kMaxBufferSize) {
    ArrayPrototypeShift(tuple.entries);
    tuple.dropped++;
  }
  ArrayPrototypePush(tuple.entries, entry);
  queueObserverTask();
}

function toSequenceOfDOMString(value, what) {
  if (typeof value !== 'object' || value === null || typeof value[SymbolIterator] !== 'function') {
    throw new TypeError(`${what} is not iterable.`);
  }
  const result = [];
  for (const item of value) ArrayPrototypePush(result, toDOMString(item));
  return result;
}

class PerformanceObserver {
  #callback;
  #buffer = [];
  // "undefined", "single" or "multiple".
  #observerType = 'undefined';
  #requiresDroppedEntries = false;

  constructor(callback) {
    if (typeof callback !== 'function') {
      throw new TypeError("Failed to construct 'PerformanceObserver': The callback provided as " +
                          'parameter 1 is not a function.');
    }
    this.#callback = callback;
  }

  // https://w3c.github.io/performance-timeline/#observe-method
  observe(options = undefined) {
    void this.#callback;
    const prefix = "Failed to execute 'observe' on 'PerformanceObserver'";
    const dict = toDictionary(options, `${prefix}: options`);
    // Dictionary members in order: buffered, entryTypes, type.
    let buffered;
    let entryTypes;
    let type;
    if (dict !== undefined) {
      if (dict.buffered !== undefined) buffered = !!dict.buffered;
      if (dict.entryTypes !== undefined) {
        entryTypes = toSequenceOfDOMString(dict.entryTypes, `${prefix}: entryTypes`);
      }
      if (dict.type !== undefined) type = toDOMString(dict.type);
    }
    // 2-3.
    if (entryTypes === undefined && type === undefined) {
      throw new TypeError(`${prefix}: either 'entryTypes' or 'type' must be specified.`);
    }
    // The standard also rejects entryTypes with buffered; like Chromium (and WPT's tentative
    // buffered-flag-with-entryTypes-observer test), buffered is ignored there instead.
    if (entryTypes !== undefined && type !== undefined) {
      throw new TypeError(`${prefix}: 'entryTypes' and 'type' cannot be combined.`);
    }
    // 4.
    if (this.#observerType === 'undefined') {
      this.#observerType = entryTypes !== undefined ? 'multiple' : 'single';
    }
    if (this.#observerType === 'single' && entryTypes !== undefined) {
      throw new DOMException(`${prefix}: this observer has used 'type', not 'entryTypes'.`,
                             'InvalidModificationError');
    }
    if (this.#observerType === 'multiple' && type !== undefined) {
      throw new DOMException(`${prefix}: this observer has used 'entryTypes', not 'type'.`,
                             'InvalidModificationError');
    }
    // 5.
    this.#requiresDroppedEntries = true;
    const index = findRegistration(this);
    if (this.#observerType === 'multiple') {
      // 6. Unsupported types are ignored; nothing left means no registration.
      const supported = [];
      for (let i = 0; i < entryTypes.length; i++) {
        if (ArrayPrototypeIncludes(kSupportedEntryTypes, entryTypes[i])) {
          ArrayPrototypePush(supported, entryTypes[i]);
        }
      }
      if (supported.length === 0) return;
      const item = { __proto__: null, entryTypes: supported, type: undefined };
      if (index !== -1) registeredObservers[index].options = [item];
      else ArrayPrototypePush(registeredObservers, { observer: this, options: [item] });
      return;
    }
    // 7. A "single" observer: one options item per type.
    if (!ArrayPrototypeIncludes(kSupportedEntryTypes, type)) return;
    const item = { __proto__: null, entryTypes: undefined, type };
    if (index !== -1) {
      const list = registeredObservers[index].options;
      let replaced = false;
      for (let i = 0; i < list.length; i++) {
        if (list[i].type === type) {
          list[i] = item;
          replaced = true;
        }
      }
      if (!replaced) ArrayPrototypePush(list, item);
    } else {
      ArrayPrototypePush(registeredObservers, { observer: this, options: [item] });
    }
    if (buffered) {
      const entries = buffers[type].entries;
      for (let i = 0; i < entries.length; i++) ArrayPrototypePush(this.#buffer, entries[i]);
      queueObserverTask();
    }
  }

  // https://w3c.github.io/performance-timeline/#disconnect-method
  disconnect() {
    void this.#callback;
    const index = findRegistration(this);
    if (index !== -1) ArrayPrototypeSplice(registeredObservers, index, 1);
    this.#buffer = [];
  }

  // https://w3c.github.io/performance-timeline/#takerecords-method
  takeRecords() {
    const records = this.#buffer;
    this.#buffer = [];
    return records;
  }

  // https://w3c.github.io/performance-timeline/#supportedentrytypes-attribute
  static get supportedEntryTypes() { return kSupportedEntryTypes; }

  static {
    observerBufferAppend = (po, entry) => ArrayPrototypePush(po.#buffer, entry);
    observerTakeBuffer = (po) => {
      const buffer = po.#buffer;
      po.#buffer = [];
      return buffer;
    };
    observerCallback = (po) => po.#callback;
    observerTakeRequiresDroppedEntries = (po) => {
      const requires = po.#requiresDroppedEntries;
      po.#requiresDroppedEntries = false;
      return requires;
    };
  }
}

// https://w3c.github.io/performance-timeline/#performanceobserverentrylist-interface
class PerformanceObserverEntryList {
  #entries;

  constructor(token = undefined, entries = []) {
    if (token !== kInternal) illegalConstructor();
    this.#entries = entries;
  }

  getEntries() {
    return filterBuffer(this.#entries, null, null);
  }

  getEntriesByType(type) {
    const entries = this.#entries;
    requireArguments(arguments.length, 1, 'getEntriesByType', 'PerformanceObserverEntryList');
    return filterBuffer(entries, null, toDOMString(type));
  }

  getEntriesByName(name, type = undefined) {
    const entries = this.#entries;
    requireArguments(arguments.length, 1, 'getEntriesByName', 'PerformanceObserverEntryList');
    return filterBuffer(entries, toDOMString(name), type === undefined ? null : toDOMString(type));
  }
}

function requireArguments(length, required, method, iface) {
  if (length < required) {
    throw new TypeError(`Failed to execute '${method}' on '${iface}': ${required} argument` +
                        `${required === 1 ? '' : 's'} required, but only ${length} present.`);
  }
}

// ---------------------------------------------------------------------------------------------
// Performance methods (https://w3c.github.io/user-timing/#extensions-performance-interface,
// https://w3c.github.io/performance-timeline/#extensions-to-the-performance-interface)

function checkThis(self) {
  if (self !== performance) throw new TypeError('Illegal invocation');
}

// https://w3c.github.io/user-timing/#convert-a-mark-to-a-timestamp; `mark` is a string or a number.
function markToTimestamp(mark, what) {
  if (typeof mark === 'string') {
    if (ArrayPrototypeIncludes(kPerformanceTimingNames, mark)) {
      throw new TypeError(`Failed to execute 'measure' on 'Performance': '${mark}' is a ` +
                          'PerformanceTiming attribute, which only exists in a Window.');
    }
    const marks = buffers.mark.entries;
    for (let i = marks.length - 1; i >= 0; i--) {
      if (entryName(marks[i]) === mark) return entryStartTime(marks[i]);
    }
    throw new DOMException(`Failed to execute 'measure' on 'Performance': The mark '${mark}' ` +
                           'does not exist.', 'SyntaxError');
  }
  if (mark < 0) {
    throw new TypeError(`Failed to execute 'measure' on 'Performance': '${what}' cannot be ` +
                        'negative.');
  }
  return mark;
}

// (DOMString or DOMHighResTimeStamp)
function toStringOrTimeStamp(value, what) {
  return typeof value === 'number' ? toTimeStamp(value, what) : toDOMString(value);
}

const methods = {
  // https://w3c.github.io/user-timing/#mark-method
  mark(markName, markOptions = undefined) {
    checkThis(this);
    requireArguments(arguments.length, 1, 'mark', 'Performance');
    const entry = new PerformanceMark(markName, markOptions);
    queueEntry(entry);
    return entry;
  },

  // https://w3c.github.io/user-timing/#clearmarks-method
  clearMarks(markName = undefined) {
    checkThis(this);
    clearEntries('mark', markName === undefined ? null : toDOMString(markName));
  },

  // https://w3c.github.io/user-timing/#measure-method
  measure(measureName, startOrMeasureOptions = undefined, endMark = undefined) {
    checkThis(this);
    requireArguments(arguments.length, 1, 'measure', 'Performance');
    const prefix = "Failed to execute 'measure' on 'Performance'";
    const name = toDOMString(measureName);
    // (DOMString or PerformanceMeasureOptions): undefined, null and objects are dictionaries.
    let options = null;
    let startMark = null;
    const v = startOrMeasureOptions;
    if (v === undefined || v === null || typeof v === 'object' || typeof v === 'function') {
      options = { __proto__: null };
      if (v !== undefined && v !== null) {
        // Members in order: detail, duration, end, start.
        if (v.detail !== undefined) options.detail = v.detail;
        if (v.duration !== undefined) options.duration = toTimeStamp(v.duration, 'duration');
        if (v.end !== undefined) options.end = toStringOrTimeStamp(v.end, 'end');
        if (v.start !== undefined) options.start = toStringOrTimeStamp(v.start, 'start');
      }
    } else {
      startMark = toDOMString(v);
    }
    const end = endMark === undefined ? null : toDOMString(endMark);
    // 1.
    if (options !== null && ('start' in options || 'end' in options || 'duration' in options ||
                             'detail' in options)) {
      if (end !== null) {
        throw new TypeError(`${prefix}: an end mark cannot be given with measure options.`);
      }
      if (!('start' in options) && !('end' in options)) {
        throw new TypeError(`${prefix}: measure options need a 'start' or an 'end'.`);
      }
      if ('start' in options && 'duration' in options && 'end' in options) {
        throw new TypeError(`${prefix}: 'start', 'duration' and 'end' cannot all be given.`);
      }
    }
    // 2. The end time.
    let endTime;
    if (end !== null) {
      endTime = markToTimestamp(end, 'endMark');
    } else if (options !== null && 'end' in options) {
      endTime = markToTimestamp(options.end, 'end');
    } else if (options !== null && 'start' in options && 'duration' in options) {
      endTime = markToTimestamp(options.start, 'start') +
                markToTimestamp(options.duration, 'duration');
    } else {
      endTime = now();
    }
    // 3. The start time.
    let startTime;
    if (options !== null && 'start' in options) {
      startTime = markToTimestamp(options.start, 'start');
    } else if (options !== null && 'duration' in options && 'end' in options) {
      startTime = markToTimestamp(options.end, 'end') -
                  markToTimestamp(options.duration, 'duration');
    } else if (startMark !== null) {
      startTime = markToTimestamp(startMark, 'startMark');
    } else {
      startTime = 0;
    }
    // 4-10.
    const detail = options !== null ? cloneDetail(options.detail) : null;
    const entry = new PerformanceMeasure(kInternal, name, startTime, endTime - startTime, detail);
    queueEntry(entry);
    return entry;
  },

  // https://w3c.github.io/user-timing/#clearmeasures-method
  clearMeasures(measureName = undefined) {
    checkThis(this);
    clearEntries('measure', measureName === undefined ? null : toDOMString(measureName));
  },

  // https://w3c.github.io/performance-timeline/#getentries-method
  getEntries() {
    checkThis(this);
    return filterBufferMap(null, null);
  },

  // https://w3c.github.io/performance-timeline/#getentriesbytype-method
  getEntriesByType(type) {
    checkThis(this);
    requireArguments(arguments.length, 1, 'getEntriesByType', 'Performance');
    return filterBufferMap(null, toDOMString(type));
  },

  // https://w3c.github.io/performance-timeline/#getentriesbyname-method
  getEntriesByName(name, type = undefined) {
    checkThis(this);
    requireArguments(arguments.length, 1, 'getEntriesByName', 'Performance');
    return filterBufferMap(toDOMString(name), type === undefined ? null : toDOMString(type));
  },

  // Resource Timing: there are no resource entries; workerd has these as no-ops too.
  clearResourceTimings() {
    checkThis(this);
  },

  setResourceTimingBufferSize(maxSize) {
    checkThis(this);
    requireArguments(arguments.length, 1, 'setResourceTimingBufferSize', 'Performance');
  },
};

function clearEntries(type, name) {
  const tuple = buffers[type];
  if (name === null) {
    tuple.entries = [];
    return;
  }
  const kept = [];
  for (let i = 0; i < tuple.entries.length; i++) {
    if (entryName(tuple.entries[i]) !== name) ArrayPrototypePush(kept, tuple.entries[i]);
  }
  tuple.entries = kept;
}

{
  const names = ObjectGetOwnPropertyNames(methods);
  for (let i = 0; i < names.length; i++) {
    const desc = ObjectGetOwnPropertyDescriptor(methods, names[i]);
    desc.enumerable = true;
    ObjectDefineProperty(Performance.prototype, names[i], desc);
  }
}

// Performance : EventTarget (hr-time); the performance object gets its event target state.
if (internals.events !== undefined) {
  ObjectSetPrototypeOf(Performance, internals.events.EventTarget);
  ObjectSetPrototypeOf(Performance.prototype, internals.events.EventTarget.prototype);
  internals.events.initEventTarget(performance);
}

for (const klass of [PerformanceEntry, PerformanceMark, PerformanceMeasure, PerformanceObserver,
  PerformanceObserverEntryList]) {
  configureInterface(klass);
}
ObjectDefineProperty(PerformanceObserver, 'supportedEntryTypes', { enumerable: true });

// How console.log shows entries: their JSON form.
const kInspect = internals.console?.kInspect;
if (kInspect !== undefined) {
  for (const klass of [PerformanceEntry, PerformanceMark, PerformanceMeasure]) {
    ObjectDefineProperty(klass.prototype, kInspect,
                         { __proto__: null, value: klass.prototype.toJSON });
  }
}

internals.defineGlobals({
  PerformanceEntry, PerformanceMark, PerformanceMeasure, PerformanceObserver,
  PerformanceObserverEntryList,
});
