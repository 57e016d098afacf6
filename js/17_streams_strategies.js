// ByteLengthQueuingStrategy and CountQueuingStrategy.
// https://streams.spec.whatwg.org/#blqs-class
// https://streams.spec.whatwg.org/#cqs-class
'use strict';

const { TypeError } = primordials;
const S = internals.streams.impl;
const { K, attachSlots, thisRecord } = S;

class StrategyRecord {
  kind = 0;
  obj = undefined;
  highWaterMark = 0;
  constructor(kind, highWaterMark) {
    this.kind = kind;
    this.highWaterMark = highWaterMark;
  }
}

// https://streams.spec.whatwg.org/#dictdef-queuingstrategyinit
function highWaterMarkFromInit(init, context) {
  const dict = S.dictionaryObject(init, context);
  const hwm = dict === undefined ? undefined : dict.highWaterMark;
  if (hwm === undefined) {
    throw new TypeError(`${context}: required member highWaterMark is undefined.`);
  }
  return +hwm;
}

// The per-realm size functions: plain functions (no prototype, not constructors) named "size".
const { size: byteLengthSize } = { size: (chunk) => chunk.byteLength };
const { size: countSize } = { size: () => 1 };

class ByteLengthQueuingStrategy {
  // https://streams.spec.whatwg.org/#blqs-constructor
  constructor(init) {
    const context = 'Failed to construct \'ByteLengthQueuingStrategy\'';
    if (arguments.length === 0) internals.webidl.requiredArguments(0, 1, context);
    const hwm = highWaterMarkFromInit(init, context);
    attachSlots(this, new StrategyRecord(K.ByteLengthStrategy, hwm));
  }

  // https://streams.spec.whatwg.org/#blqs-high-water-mark
  get highWaterMark() {
    return thisRecord(this, K.ByteLengthStrategy).highWaterMark;
  }

  // https://streams.spec.whatwg.org/#blqs-size
  get size() {
    thisRecord(this, K.ByteLengthStrategy);
    return byteLengthSize;
  }
}
S.configureInterface(ByteLengthQueuingStrategy, 'ByteLengthQueuingStrategy');

class CountQueuingStrategy {
  // https://streams.spec.whatwg.org/#cqs-constructor
  constructor(init) {
    const context = 'Failed to construct \'CountQueuingStrategy\'';
    if (arguments.length === 0) internals.webidl.requiredArguments(0, 1, context);
    const hwm = highWaterMarkFromInit(init, context);
    attachSlots(this, new StrategyRecord(K.CountStrategy, hwm));
  }

  // https://streams.spec.whatwg.org/#cqs-high-water-mark
  get highWaterMark() {
    return thisRecord(this, K.CountStrategy).highWaterMark;
  }

  // https://streams.spec.whatwg.org/#cqs-size
  get size() {
    thisRecord(this, K.CountStrategy);
    return countSize;
  }
}
S.configureInterface(CountQueuingStrategy, 'CountQueuingStrategy');

S.ByteLengthQueuingStrategy = ByteLengthQueuingStrategy;
S.CountQueuingStrategy = CountQueuingStrategy;

internals.defineGlobals({ ByteLengthQueuingStrategy, CountQueuingStrategy });
