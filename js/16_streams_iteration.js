// ReadableStream async iteration and ReadableStream.from().
// https://streams.spec.whatwg.org/#rs-asynciterator
// https://webidl.spec.whatwg.org/#es-asynchronous-iterator-prototype-object
// https://streams.spec.whatwg.org/#readable-stream-from-iterable
// https://tc39.es/ecma262/#sec-createasyncfromsynciterator
'use strict';

const {
  AsyncIteratorPrototype, FunctionPrototypeCall, ObjectCreate, ObjectDefineProperty, ReflectApply,
  SymbolAsyncIterator, SymbolIterator, SymbolToStringTag, TypeError,
} = primordials;
const S = internals.streams.impl;
const {
  K, createObject, recordOf, promiseResolve, promiseResolvedWith, promiseReject, Deferred,
  resolveDeferred, rejectDeferred, transformPromise, dictionaryObject, isObject, ReadRequest,
  readableStreamReaderRelease, readableStreamReaderGenericCancel, readableStreamDefaultReaderRead,
  acquireReadableStreamDefaultReader, createReadableStream, readableStreamDefaultControllerClose,
  readableStreamDefaultControllerEnqueue,
} = S;

// ---- Async iterator -----------------------------------------------------------------------------
// https://webidl.spec.whatwg.org/#default-asynchronous-iterator-object
class AsyncIteratorRecord {
  kind = K.AsyncIterator;
  obj = undefined;
  reader = undefined;
  preventCancel = false;
  ongoingPromise = null;
  isFinished = false;
}

function iterResult(value, done) {
  return { value, done };
}

// https://streams.spec.whatwg.org/#rs-asynciterator-prototype-next
function getNextIterationResult(it) {
  const reader = it.reader;
  // Resolves with the chunk; state 'end' marks the end of iteration.
  const d = new Deferred();
  readableStreamDefaultReaderRead(reader, new ReadRequest(
      (chunk) => resolveDeferred(d, chunk),
      () => {
        readableStreamReaderRelease(reader);
        d.state = 'end';
        d.res(undefined);
      },
      (e) => {
        readableStreamReaderRelease(reader);
        rejectDeferred(d, e);
      }));
  return d;
}

// https://webidl.spec.whatwg.org/#es-asynchronous-iterator-prototype-object, next() steps 8.
function nextSteps(it) {
  if (it.isFinished) return promiseResolve(iterResult(undefined, true));
  const d = getNextIterationResult(it);
  return transformPromise(d.promise, (next) => {
    it.ongoingPromise = null;
    if (d.state === 'end') {
      it.isFinished = true;
      return iterResult(undefined, true);
    }
    return iterResult(next, false);
  }, (reason) => {
    it.ongoingPromise = null;
    it.isFinished = true;
    throw reason;
  });
}

// https://streams.spec.whatwg.org/#rs-asynciterator-prototype-return
function returnSteps(it, value) {
  if (it.isFinished) return promiseResolve(iterResult(value, true));
  it.isFinished = true;
  const reader = it.reader;
  if (!it.preventCancel) {
    const result = readableStreamReaderGenericCancel(reader, value);
    readableStreamReaderRelease(reader);
    return result;
  }
  readableStreamReaderRelease(reader);
  return promiseResolve(undefined);
}

const ReadableStreamAsyncIteratorPrototype = ObjectCreate(AsyncIteratorPrototype);
{
  const methods = {
    next() {
      const it = recordOf(this, K.AsyncIterator);
      if (it === undefined) {
        return promiseReject(new TypeError('next() called on an invalid iterator.'));
      }
      const ongoing = it.ongoingPromise;
      if (ongoing !== null) {
        const run = () => nextSteps(it);
        it.ongoingPromise = transformPromise(ongoing, run, run);
      } else {
        it.ongoingPromise = nextSteps(it);
      }
      return it.ongoingPromise;
    },
    return(value) {
      const it = recordOf(this, K.AsyncIterator);
      if (it === undefined) {
        return promiseReject(new TypeError('return() called on an invalid iterator.'));
      }
      const ongoing = it.ongoingPromise;
      if (ongoing !== null) {
        const run = () => returnSteps(it, value);
        it.ongoingPromise = transformPromise(ongoing, run, run);
      } else {
        it.ongoingPromise = returnSteps(it, value);
      }
      return transformPromise(it.ongoingPromise, () => iterResult(value, true));
    },
  };
  for (const name of ['next', 'return']) {
    ObjectDefineProperty(ReadableStreamAsyncIteratorPrototype, name, {
      __proto__: null, value: methods[name], writable: true, enumerable: true, configurable: true,
    });
  }
  ObjectDefineProperty(ReadableStreamAsyncIteratorPrototype, SymbolToStringTag, {
    __proto__: null, value: 'ReadableStream AsyncIterator', writable: false, enumerable: false,
    configurable: true,
  });
}

// ReadableStream.prototype.values / [Symbol.asyncIterator] after the brand check.
function readableStreamValues(stream, options) {
  const dict = dictionaryObject(options, 'Failed to execute \'values\' on \'ReadableStream\'');
  const preventCancel = dict === undefined ? false : !!dict.preventCancel;
  const reader = acquireReadableStreamDefaultReader(stream);
  const it = new AsyncIteratorRecord();
  it.reader = reader;
  it.preventCancel = preventCancel;
  return createObject(ReadableStreamAsyncIteratorPrototype, it);
}

// ---- ReadableStream.from ------------------------------------------------------------------------
class IteratorRecord {
  iterator = undefined;
  nextMethod = undefined;
  constructor(iterator, nextMethod) {
    this.iterator = iterator;
    this.nextMethod = nextMethod;
  }
}

function getMethod(v, key) {
  const fn = v[key];
  if (fn === undefined || fn === null) return undefined;
  if (typeof fn !== 'function') throw new TypeError('The iterator method is not callable.');
  return fn;
}

// https://tc39.es/ecma262/#sec-getiteratorfrommethod
function getIteratorFromMethod(obj, method) {
  const iterator = FunctionPrototypeCall(method, obj);
  if (!isObject(iterator)) throw new TypeError('The iterator is not an object.');
  return new IteratorRecord(iterator, iterator.next);
}

// https://tc39.es/ecma262/#sec-getiterator with kind async.
function getAsyncIterator(obj) {
  if (obj === undefined || obj === null) {
    throw new TypeError('ReadableStream.from() requires an iterable.');
  }
  const asyncMethod = getMethod(obj, SymbolAsyncIterator);
  if (asyncMethod !== undefined) return getIteratorFromMethod(obj, asyncMethod);
  const syncMethod = getMethod(obj, SymbolIterator);
  if (syncMethod === undefined) {
    throw new TypeError('ReadableStream.from() requires an iterable or async iterable.');
  }
  return createAsyncFromSyncIterator(getIteratorFromMethod(obj, syncMethod));
}

// https://tc39.es/ecma262/#sec-createasyncfromsynciterator
function createAsyncFromSyncIterator(syncRecord) {
  const syncIterator = syncRecord.iterator;
  // AsyncFromSyncIteratorContinuation: awaits the value; closes the sync iterator if the value
  // rejects and the result was not done.
  const continuation = (result, closeOnRejection) => {
    const done = !!result.done;
    const value = result.value;
    let valueWrapper;
    try {
      valueWrapper = promiseResolve(value);
    } catch (e) {
      if (!done && closeOnRejection) closeSyncIterator();
      return promiseReject(e);
    }
    return transformPromise(valueWrapper, (v) => iterResult(v, done), (e) => {
      if (!done && closeOnRejection) closeSyncIterator();
      throw e;
    });
  };
  const closeSyncIterator = () => {
    try {
      const ret = syncIterator.return;
      if (ret !== undefined && ret !== null) FunctionPrototypeCall(ret, syncIterator);
    } catch {
      // The original rejection wins.
    }
  };
  const asyncIterator = {
    __proto__: null,
    next(...args) {
      let result;
      try {
        result = ReflectApply(syncRecord.nextMethod, syncIterator, args);
        if (!isObject(result)) throw new TypeError('The iterator result is not an object.');
      } catch (e) {
        return promiseReject(e);
      }
      return continuation(result, true);
    },
    return(...args) {
      let result;
      try {
        const ret = getMethod(syncIterator, 'return');
        if (ret === undefined) return promiseResolve(iterResult(args[0], true));
        result = ReflectApply(ret, syncIterator, args);
        if (!isObject(result)) throw new TypeError('The iterator result is not an object.');
      } catch (e) {
        return promiseReject(e);
      }
      return continuation(result, false);
    },
  };
  return new IteratorRecord(asyncIterator, asyncIterator.next);
}

// https://streams.spec.whatwg.org/#readable-stream-from-iterable
function readableStreamFromIterable(asyncIterable) {
  let stream;
  const iteratorRecord = getAsyncIterator(asyncIterable);
  const startAlgorithm = () => undefined;
  const pullAlgorithm = () => {
    let nextResult;
    try {
      nextResult = FunctionPrototypeCall(iteratorRecord.nextMethod, iteratorRecord.iterator);
    } catch (e) {
      return promiseReject(e);
    }
    const nextPromise = promiseResolvedWith(nextResult);
    return transformPromise(nextPromise, (result) => {
      if (!isObject(result)) throw new TypeError('The iterator result is not an object.');
      const done = !!result.done;
      if (done) {
        readableStreamDefaultControllerClose(stream.controller);
      } else {
        const value = result.value;
        readableStreamDefaultControllerEnqueue(stream.controller, value);
      }
    });
  };
  const cancelAlgorithm = (reason) => {
    const iterator = iteratorRecord.iterator;
    let returnMethod;
    try {
      returnMethod = getMethod(iterator, 'return');
    } catch (e) {
      return promiseReject(e);
    }
    if (returnMethod === undefined) return promiseResolve(undefined);
    let returnResult;
    try {
      returnResult = FunctionPrototypeCall(returnMethod, iterator, reason);
    } catch (e) {
      return promiseReject(e);
    }
    return transformPromise(promiseResolvedWith(returnResult), (r) => {
      if (!isObject(r)) throw new TypeError('The iterator result is not an object.');
      return undefined;
    });
  };
  stream = createReadableStream(startAlgorithm, pullAlgorithm, cancelAlgorithm, 0);
  return stream;
}

S.readableStreamValues = readableStreamValues;
S.readableStreamFromIterable = readableStreamFromIterable;
S.ReadableStreamAsyncIteratorPrototype = ReadableStreamAsyncIteratorPrototype;
