// Readable byte stream algorithms.
// https://streams.spec.whatwg.org/#rbs-controller-abstract-ops
// https://streams.spec.whatwg.org/#rbs-controller-internal-slots
// The interfaces (controller, BYOB request, BYOB reader) are in 14_streams_readable_byte_api.js.
'use strict';

const { ArrayBuffer, MathMin, RangeError, TypeError, Uint8Array } = primordials;
const S = internals.streams.impl;
const {
  K, createObject, promiseResolvedWith, uponPromise, Queue, resetQueue, viewInfo,
  arrayBufferByteLength, isDetachedBuffer, transferArrayBuffer, cloneArrayBuffer,
  copyDataBlockBytes, readableStreamClose, readableStreamError, readableStreamFulfillReadRequest,
  readableStreamGetNumReadRequests, readableStreamHasDefaultReader, readableStreamHasBYOBReader,
  readableStreamAddReadRequest, newReadableStreamRecord,
} = S;

// https://streams.spec.whatwg.org/#readable-byte-stream-queue-entry
class ByteQueueEntry {
  buffer = undefined;
  byteOffset = 0;
  byteLength = 0;
  constructor(buffer, byteOffset, byteLength) {
    this.buffer = buffer;
    this.byteOffset = byteOffset;
    this.byteLength = byteLength;
  }
}

// https://streams.spec.whatwg.org/#pull-into-descriptor
class PullIntoDescriptor {
  buffer = undefined;
  bufferByteLength = 0;
  byteOffset = 0;
  byteLength = 0;
  bytesFilled = 0;
  minimumFill = 0;
  elementSize = 1;
  viewConstructor = undefined;
  readerType = 'default';
}

// https://streams.spec.whatwg.org/#rbs-controller-internal-slots
class ByteControllerRecord {
  kind = K.RSByteController;
  obj = undefined;
  autoAllocateChunkSize = undefined;
  byobRequest = null;
  cancelAlgorithm = undefined;
  closeRequested = false;
  pullAgain = false;
  pullAlgorithm = undefined;
  pulling = false;
  pendingPullIntos = new Queue();
  queue = new Queue();
  queueTotalSize = 0;
  started = false;
  strategyHWM = 0;
  stream = undefined;

  // https://streams.spec.whatwg.org/#rbs-controller-private-cancel
  cancelSteps(reason) {
    readableByteStreamControllerClearPendingPullIntos(this);
    resetQueue(this);
    const result = this.cancelAlgorithm(reason);
    readableByteStreamControllerClearAlgorithms(this);
    return result;
  }
  // https://streams.spec.whatwg.org/#rbs-controller-private-pull
  pullSteps(readRequest) {
    const stream = this.stream;
    if (this.queueTotalSize > 0) {
      readableByteStreamControllerFillReadRequestFromQueue(this, readRequest);
      return;
    }
    const autoAllocateChunkSize = this.autoAllocateChunkSize;
    if (autoAllocateChunkSize !== undefined) {
      let buffer;
      try {
        buffer = new ArrayBuffer(autoAllocateChunkSize);
      } catch (e) {
        readRequest.errorSteps(e);
        return;
      }
      const d = new PullIntoDescriptor();
      d.buffer = buffer;
      d.bufferByteLength = autoAllocateChunkSize;
      d.byteOffset = 0;
      d.byteLength = autoAllocateChunkSize;
      d.bytesFilled = 0;
      d.minimumFill = 1;
      d.elementSize = 1;
      d.viewConstructor = Uint8Array;
      d.readerType = 'default';
      this.pendingPullIntos.push(d);
    }
    readableStreamAddReadRequest(stream, readRequest);
    readableByteStreamControllerCallPullIfNeeded(this);
  }
  // https://streams.spec.whatwg.org/#abstract-opdef-readablebytestreamcontroller-releasesteps
  releaseSteps() {
    if (this.pendingPullIntos.size > 0) {
      const first = this.pendingPullIntos.peek();
      first.readerType = 'none';
      this.pendingPullIntos = new Queue();
      this.pendingPullIntos.push(first);
    }
  }
}

// https://streams.spec.whatwg.org/#rs-byob-request-internal-slots
class BYOBRequestRecord {
  kind = K.BYOBRequest;
  obj = undefined;
  controller = undefined;
  view = null;
}

// https://streams.spec.whatwg.org/#readable-stream-byob-reader-read
function readableStreamBYOBReaderRead(reader, view, info, min, readIntoRequest) {
  const stream = reader.stream;
  stream.disturbed = true;
  if (stream.state === 'errored') readIntoRequest.errorSteps(stream.storedError);
  else readableByteStreamControllerPullInto(stream.controller, view, info, min, readIntoRequest);
}

// ---- Abstract operations ------------------------------------------------------------------------
// https://streams.spec.whatwg.org/#readable-byte-stream-controller-call-pull-if-needed
function readableByteStreamControllerCallPullIfNeeded(controller) {
  if (!readableByteStreamControllerShouldCallPull(controller)) return;
  if (controller.pulling) {
    controller.pullAgain = true;
    return;
  }
  controller.pulling = true;
  const pullPromise = controller.pullAlgorithm();
  uponPromise(pullPromise, () => {
    controller.pulling = false;
    if (controller.pullAgain) {
      controller.pullAgain = false;
      readableByteStreamControllerCallPullIfNeeded(controller);
    }
  }, (e) => {
    readableByteStreamControllerError(controller, e);
  });
}

// https://streams.spec.whatwg.org/#readable-byte-stream-controller-clear-algorithms
function readableByteStreamControllerClearAlgorithms(controller) {
  controller.pullAlgorithm = undefined;
  controller.cancelAlgorithm = undefined;
}

// https://streams.spec.whatwg.org/#readable-byte-stream-controller-clear-pending-pull-intos
function readableByteStreamControllerClearPendingPullIntos(controller) {
  readableByteStreamControllerInvalidateBYOBRequest(controller);
  controller.pendingPullIntos = new Queue();
}

// https://streams.spec.whatwg.org/#readable-byte-stream-controller-close
function readableByteStreamControllerClose(controller) {
  const stream = controller.stream;
  if (controller.closeRequested || stream.state !== 'readable') return;
  if (controller.queueTotalSize > 0) {
    controller.closeRequested = true;
    return;
  }
  if (controller.pendingPullIntos.size > 0) {
    const first = controller.pendingPullIntos.peek();
    if (first.bytesFilled % first.elementSize !== 0) {
      const e = new TypeError('Insufficient bytes to fill elements in the given buffer.');
      readableByteStreamControllerError(controller, e);
      throw e;
    }
  }
  readableByteStreamControllerClearAlgorithms(controller);
  readableStreamClose(stream);
}

// https://streams.spec.whatwg.org/#readable-byte-stream-controller-commit-pull-into-descriptor
function readableByteStreamControllerCommitPullIntoDescriptor(stream, pullIntoDescriptor) {
  let done = false;
  if (stream.state === 'closed') done = true;
  const filledView = readableByteStreamControllerConvertPullIntoDescriptor(pullIntoDescriptor);
  // Both reader kinds keep their requests in `readRequests`.
  readableStreamFulfillReadRequest(stream, filledView, done);
}

// https://streams.spec.whatwg.org/#readable-byte-stream-controller-convert-pull-into-descriptor
function readableByteStreamControllerConvertPullIntoDescriptor(d) {
  const buffer = transferArrayBuffer(d.buffer);
  return new d.viewConstructor(buffer, d.byteOffset, d.bytesFilled / d.elementSize);
}

// https://streams.spec.whatwg.org/#readable-byte-stream-controller-enqueue
function readableByteStreamControllerEnqueue(controller, chunk, info = viewInfo(chunk)) {
  const stream = controller.stream;
  if (controller.closeRequested || stream.state !== 'readable') return;
  const buffer = info.buffer;
  const byteOffset = info.byteOffset;
  const byteLength = info.byteLength;
  if (isDetachedBuffer(buffer)) throw new TypeError('The chunk\'s buffer is detached.');
  const transferredBuffer = transferArrayBuffer(buffer);
  if (controller.pendingPullIntos.size > 0) {
    const first = controller.pendingPullIntos.peek();
    if (isDetachedBuffer(first.buffer)) {
      throw new TypeError('The BYOB request\'s buffer has been detached.');
    }
    readableByteStreamControllerInvalidateBYOBRequest(controller);
    first.buffer = transferArrayBuffer(first.buffer);
    if (first.readerType === 'none') {
      readableByteStreamControllerEnqueueDetachedPullIntoToQueue(controller, first);
    }
  }
  if (readableStreamHasDefaultReader(stream)) {
    readableByteStreamControllerProcessReadRequestsUsingQueue(controller);
    if (readableStreamGetNumReadRequests(stream) === 0) {
      readableByteStreamControllerEnqueueChunkToQueue(controller, transferredBuffer, byteOffset,
          byteLength);
    } else {
      if (controller.pendingPullIntos.size > 0) {
        readableByteStreamControllerShiftPendingPullInto(controller);
      }
      const transferredView = new Uint8Array(transferredBuffer, byteOffset, byteLength);
      readableStreamFulfillReadRequest(stream, transferredView, false);
    }
  } else if (readableStreamHasBYOBReader(stream)) {
    readableByteStreamControllerEnqueueChunkToQueue(controller, transferredBuffer, byteOffset,
        byteLength);
    const filledPullIntos = readableByteStreamControllerProcessPullIntoDescriptorsUsingQueue(
        controller);
    while (filledPullIntos.size > 0) {
      readableByteStreamControllerCommitPullIntoDescriptor(stream, filledPullIntos.shift());
    }
  } else {
    readableByteStreamControllerEnqueueChunkToQueue(controller, transferredBuffer, byteOffset,
        byteLength);
  }
  readableByteStreamControllerCallPullIfNeeded(controller);
}

// https://streams.spec.whatwg.org/#readable-byte-stream-controller-enqueue-chunk-to-queue
function readableByteStreamControllerEnqueueChunkToQueue(controller, buffer, byteOffset,
                                                         byteLength) {
  controller.queue.push(new ByteQueueEntry(buffer, byteOffset, byteLength));
  controller.queueTotalSize += byteLength;
}

// https://streams.spec.whatwg.org/#abstract-opdef-readablebytestreamcontrollerenqueueclonedchunktoqueue
function readableByteStreamControllerEnqueueClonedChunkToQueue(controller, buffer, byteOffset,
                                                               byteLength) {
  let cloneResult;
  try {
    cloneResult = cloneArrayBuffer(buffer, byteOffset, byteLength);
  } catch (e) {
    readableByteStreamControllerError(controller, e);
    throw e;
  }
  readableByteStreamControllerEnqueueChunkToQueue(controller, cloneResult, 0, byteLength);
}

// https://streams.spec.whatwg.org/#abstract-opdef-readablebytestreamcontrollerenqueuedetachedpullintotoqueue
function readableByteStreamControllerEnqueueDetachedPullIntoToQueue(controller, d) {
  if (d.bytesFilled > 0) {
    readableByteStreamControllerEnqueueClonedChunkToQueue(controller, d.buffer, d.byteOffset,
        d.bytesFilled);
  }
  readableByteStreamControllerShiftPendingPullInto(controller);
}

// https://streams.spec.whatwg.org/#readable-byte-stream-controller-error
function readableByteStreamControllerError(controller, e) {
  const stream = controller.stream;
  if (stream.state !== 'readable') return;
  readableByteStreamControllerClearPendingPullIntos(controller);
  resetQueue(controller);
  readableByteStreamControllerClearAlgorithms(controller);
  readableStreamError(stream, e);
}

// https://streams.spec.whatwg.org/#readable-byte-stream-controller-fill-head-pull-into-descriptor
function readableByteStreamControllerFillHeadPullIntoDescriptor(controller, size, d) {
  d.bytesFilled += size;
}

// https://streams.spec.whatwg.org/#readable-byte-stream-controller-fill-pull-into-descriptor-from-queue
function readableByteStreamControllerFillPullIntoDescriptorFromQueue(controller, d) {
  const maxBytesToCopy = MathMin(controller.queueTotalSize, d.byteLength - d.bytesFilled);
  const maxBytesFilled = d.bytesFilled + maxBytesToCopy;
  let totalBytesToCopyRemaining = maxBytesToCopy;
  let ready = false;
  const remainderBytes = maxBytesFilled % d.elementSize;
  const maxAlignedBytes = maxBytesFilled - remainderBytes;
  if (maxAlignedBytes >= d.minimumFill) {
    totalBytesToCopyRemaining = maxAlignedBytes - d.bytesFilled;
    ready = true;
  }
  const queue = controller.queue;
  while (totalBytesToCopyRemaining > 0) {
    const headOfQueue = queue.peek();
    const bytesToCopy = MathMin(totalBytesToCopyRemaining, headOfQueue.byteLength);
    const destStart = d.byteOffset + d.bytesFilled;
    copyDataBlockBytes(d.buffer, destStart, headOfQueue.buffer, headOfQueue.byteOffset,
        bytesToCopy);
    if (headOfQueue.byteLength === bytesToCopy) {
      queue.shift();
    } else {
      headOfQueue.byteOffset += bytesToCopy;
      headOfQueue.byteLength -= bytesToCopy;
    }
    controller.queueTotalSize -= bytesToCopy;
    readableByteStreamControllerFillHeadPullIntoDescriptor(controller, bytesToCopy, d);
    totalBytesToCopyRemaining -= bytesToCopy;
  }
  return ready;
}

// https://streams.spec.whatwg.org/#abstract-opdef-readablebytestreamcontrollerfillreadrequestfromqueue
function readableByteStreamControllerFillReadRequestFromQueue(controller, readRequest) {
  const entry = controller.queue.shift();
  controller.queueTotalSize -= entry.byteLength;
  readableByteStreamControllerHandleQueueDrain(controller);
  const view = new Uint8Array(entry.buffer, entry.byteOffset, entry.byteLength);
  readRequest.chunkSteps(view);
}

// https://streams.spec.whatwg.org/#abstract-opdef-readablebytestreamcontrollergetbyobrequest
function readableByteStreamControllerGetBYOBRequest(controller) {
  if (controller.byobRequest === null && controller.pendingPullIntos.size > 0) {
    const first = controller.pendingPullIntos.peek();
    const view = new Uint8Array(first.buffer, first.byteOffset + first.bytesFilled,
        first.byteLength - first.bytesFilled);
    const byobRequest = new BYOBRequestRecord();
    createObject(S.ReadableStreamBYOBRequestPrototype, byobRequest);
    byobRequest.controller = controller;
    byobRequest.view = view;
    controller.byobRequest = byobRequest;
  }
  return controller.byobRequest;
}

// https://streams.spec.whatwg.org/#readable-byte-stream-controller-get-desired-size
function readableByteStreamControllerGetDesiredSize(controller) {
  const state = controller.stream.state;
  if (state === 'errored') return null;
  if (state === 'closed') return 0;
  return controller.strategyHWM - controller.queueTotalSize;
}

// https://streams.spec.whatwg.org/#readable-byte-stream-controller-handle-queue-drain
function readableByteStreamControllerHandleQueueDrain(controller) {
  if (controller.queueTotalSize === 0 && controller.closeRequested) {
    readableByteStreamControllerClearAlgorithms(controller);
    readableStreamClose(controller.stream);
  } else {
    readableByteStreamControllerCallPullIfNeeded(controller);
  }
}

// https://streams.spec.whatwg.org/#readable-byte-stream-controller-invalidate-byob-request
function readableByteStreamControllerInvalidateBYOBRequest(controller) {
  const request = controller.byobRequest;
  if (request === null) return;
  request.controller = undefined;
  request.view = null;
  controller.byobRequest = null;
}

// https://streams.spec.whatwg.org/#readable-byte-stream-controller-process-pull-into-descriptors-using-queue
function readableByteStreamControllerProcessPullIntoDescriptorsUsingQueue(controller) {
  const filledPullIntos = new Queue();
  while (controller.pendingPullIntos.size > 0) {
    if (controller.queueTotalSize === 0) break;
    const d = controller.pendingPullIntos.peek();
    if (readableByteStreamControllerFillPullIntoDescriptorFromQueue(controller, d)) {
      readableByteStreamControllerShiftPendingPullInto(controller);
      filledPullIntos.push(d);
    }
  }
  return filledPullIntos;
}

// https://streams.spec.whatwg.org/#abstract-opdef-readablebytestreamcontrollerprocessreadrequestsusingqueue
function readableByteStreamControllerProcessReadRequestsUsingQueue(controller) {
  const reader = controller.stream.reader;
  while (reader.readRequests.size > 0) {
    if (controller.queueTotalSize === 0) return;
    const readRequest = reader.readRequests.shift();
    readableByteStreamControllerFillReadRequestFromQueue(controller, readRequest);
  }
}

// https://streams.spec.whatwg.org/#readable-byte-stream-controller-pull-into
function readableByteStreamControllerPullInto(controller, view, info, min, readIntoRequest) {
  const stream = controller.stream;
  const elementSize = info.elementSize;
  const ctor = info.ctor;
  const minimumFill = min * elementSize;
  const byteOffset = info.byteOffset;
  const byteLength = info.byteLength;
  let buffer;
  try {
    buffer = transferArrayBuffer(info.buffer);
  } catch (e) {
    readIntoRequest.errorSteps(e);
    return;
  }
  const d = new PullIntoDescriptor();
  d.buffer = buffer;
  d.bufferByteLength = arrayBufferByteLength(buffer);
  d.byteOffset = byteOffset;
  d.byteLength = byteLength;
  d.bytesFilled = 0;
  d.minimumFill = minimumFill;
  d.elementSize = elementSize;
  d.viewConstructor = ctor;
  d.readerType = 'byob';
  if (controller.pendingPullIntos.size > 0) {
    controller.pendingPullIntos.push(d);
    readableStreamAddReadRequestAny(stream, readIntoRequest);
    return;
  }
  if (stream.state === 'closed') {
    const emptyView = new ctor(d.buffer, d.byteOffset, 0);
    readIntoRequest.closeSteps(emptyView);
    return;
  }
  if (controller.queueTotalSize > 0) {
    if (readableByteStreamControllerFillPullIntoDescriptorFromQueue(controller, d)) {
      const filledView = readableByteStreamControllerConvertPullIntoDescriptor(d);
      readableByteStreamControllerHandleQueueDrain(controller);
      readIntoRequest.chunkSteps(filledView);
      return;
    }
    if (controller.closeRequested) {
      const e = new TypeError('Insufficient bytes to fill elements in the given buffer.');
      readableByteStreamControllerError(controller, e);
      readIntoRequest.errorSteps(e);
      return;
    }
  }
  controller.pendingPullIntos.push(d);
  readableStreamAddReadRequestAny(stream, readIntoRequest);
  readableByteStreamControllerCallPullIfNeeded(controller);
}

// https://streams.spec.whatwg.org/#readable-stream-add-read-into-request
function readableStreamAddReadRequestAny(stream, request) {
  stream.reader.readRequests.push(request);
}

// https://streams.spec.whatwg.org/#readable-byte-stream-controller-respond
function readableByteStreamControllerRespond(controller, bytesWritten) {
  const first = controller.pendingPullIntos.peek();
  const state = controller.stream.state;
  if (state === 'closed') {
    if (bytesWritten !== 0) {
      throw new TypeError('bytesWritten must be 0 when calling respond() on a closed stream.');
    }
  } else {
    if (bytesWritten === 0) {
      throw new TypeError('bytesWritten must be greater than 0 for a readable stream.');
    }
    if (first.bytesFilled + bytesWritten > first.byteLength) {
      throw new RangeError('bytesWritten out of range.');
    }
  }
  first.buffer = transferArrayBuffer(first.buffer);
  readableByteStreamControllerRespondInternal(controller, bytesWritten);
}

// https://streams.spec.whatwg.org/#readable-byte-stream-controller-respond-in-closed-state
function readableByteStreamControllerRespondInClosedState(controller, first) {
  if (first.readerType === 'none') readableByteStreamControllerShiftPendingPullInto(controller);
  const stream = controller.stream;
  if (readableStreamHasBYOBReader(stream)) {
    const filledPullIntos = new Queue();
    while (filledPullIntos.size < readableStreamGetNumReadRequests(stream)) {
      filledPullIntos.push(readableByteStreamControllerShiftPendingPullInto(controller));
    }
    while (filledPullIntos.size > 0) {
      readableByteStreamControllerCommitPullIntoDescriptor(stream, filledPullIntos.shift());
    }
  }
}

// https://streams.spec.whatwg.org/#readable-byte-stream-controller-respond-in-readable-state
function readableByteStreamControllerRespondInReadableState(controller, bytesWritten, d) {
  readableByteStreamControllerFillHeadPullIntoDescriptor(controller, bytesWritten, d);
  if (d.readerType === 'none') {
    readableByteStreamControllerEnqueueDetachedPullIntoToQueue(controller, d);
    const filledPullIntos = readableByteStreamControllerProcessPullIntoDescriptorsUsingQueue(
        controller);
    while (filledPullIntos.size > 0) {
      readableByteStreamControllerCommitPullIntoDescriptor(controller.stream,
          filledPullIntos.shift());
    }
    return;
  }
  if (d.bytesFilled < d.minimumFill) return;
  readableByteStreamControllerShiftPendingPullInto(controller);
  const remainderSize = d.bytesFilled % d.elementSize;
  if (remainderSize > 0) {
    const end = d.byteOffset + d.bytesFilled;
    readableByteStreamControllerEnqueueClonedChunkToQueue(controller, d.buffer,
        end - remainderSize, remainderSize);
  }
  d.bytesFilled -= remainderSize;
  const filledPullIntos = readableByteStreamControllerProcessPullIntoDescriptorsUsingQueue(
      controller);
  readableByteStreamControllerCommitPullIntoDescriptor(controller.stream, d);
  while (filledPullIntos.size > 0) {
    readableByteStreamControllerCommitPullIntoDescriptor(controller.stream,
        filledPullIntos.shift());
  }
}

// https://streams.spec.whatwg.org/#readable-byte-stream-controller-respond-internal
function readableByteStreamControllerRespondInternal(controller, bytesWritten) {
  const first = controller.pendingPullIntos.peek();
  readableByteStreamControllerInvalidateBYOBRequest(controller);
  if (controller.stream.state === 'closed') {
    readableByteStreamControllerRespondInClosedState(controller, first);
  } else {
    readableByteStreamControllerRespondInReadableState(controller, bytesWritten, first);
  }
  readableByteStreamControllerCallPullIfNeeded(controller);
}

// https://streams.spec.whatwg.org/#readable-byte-stream-controller-respond-with-new-view
function readableByteStreamControllerRespondWithNewView(controller, info) {
  const first = controller.pendingPullIntos.peek();
  const state = controller.stream.state;
  if (state === 'closed') {
    if (info.byteLength !== 0) {
      throw new TypeError('The view\'s length must be 0 when calling respondWithNewView() on a ' +
                          'closed stream.');
    }
  } else if (info.byteLength === 0) {
    throw new TypeError('The view\'s length must be greater than 0 for a readable stream.');
  }
  if (first.byteOffset + first.bytesFilled !== info.byteOffset) {
    throw new RangeError('The region specified by view does not match byobRequest.');
  }
  if (first.bufferByteLength !== arrayBufferByteLength(info.buffer)) {
    throw new RangeError('The buffer of view has different capacity than byobRequest.');
  }
  if (first.bytesFilled + info.byteLength > first.byteLength) {
    throw new RangeError('The region specified by view is larger than byobRequest.');
  }
  const viewByteLength = info.byteLength;
  first.buffer = transferArrayBuffer(info.buffer);
  readableByteStreamControllerRespondInternal(controller, viewByteLength);
}

// https://streams.spec.whatwg.org/#readable-byte-stream-controller-shift-pending-pull-into
function readableByteStreamControllerShiftPendingPullInto(controller) {
  return controller.pendingPullIntos.shift();
}

// https://streams.spec.whatwg.org/#readable-byte-stream-controller-should-call-pull
function readableByteStreamControllerShouldCallPull(controller) {
  const stream = controller.stream;
  if (stream.state !== 'readable') return false;
  if (controller.closeRequested) return false;
  if (!controller.started) return false;
  if (readableStreamHasDefaultReader(stream) && readableStreamGetNumReadRequests(stream) > 0) {
    return true;
  }
  if (readableStreamHasBYOBReader(stream) && readableStreamGetNumReadRequests(stream) > 0) {
    return true;
  }
  return readableByteStreamControllerGetDesiredSize(controller) > 0;
}

// https://streams.spec.whatwg.org/#set-up-readable-byte-stream-controller
function setUpReadableByteStreamController(stream, controller, startAlgorithm, pullAlgorithm,
                                           cancelAlgorithm, highWaterMark, autoAllocateChunkSize) {
  controller.stream = stream;
  controller.pullAgain = false;
  controller.pulling = false;
  controller.byobRequest = null;
  resetQueue(controller);
  controller.closeRequested = false;
  controller.started = false;
  controller.strategyHWM = highWaterMark;
  controller.pullAlgorithm = pullAlgorithm;
  controller.cancelAlgorithm = cancelAlgorithm;
  controller.autoAllocateChunkSize = autoAllocateChunkSize;
  controller.pendingPullIntos = new Queue();
  stream.controller = controller;
  const startResult = startAlgorithm();
  uponPromise(promiseResolvedWith(startResult), () => {
    controller.started = true;
    readableByteStreamControllerCallPullIfNeeded(controller);
  }, (r) => {
    readableByteStreamControllerError(controller, r);
  });
}

function newByteControllerRecord() {
  const controller = new ByteControllerRecord();
  createObject(S.ReadableByteStreamControllerPrototype, controller);
  return controller;
}

// https://streams.spec.whatwg.org/#abstract-opdef-createreadablebytestream
function createReadableByteStream(startAlgorithm, pullAlgorithm, cancelAlgorithm,
                                  highWaterMark = 0, autoAllocateChunkSize = undefined) {
  const stream = newReadableStreamRecord();
  const controller = newByteControllerRecord();
  setUpReadableByteStreamController(stream, controller, startAlgorithm, pullAlgorithm,
      cancelAlgorithm, highWaterMark, autoAllocateChunkSize);
  return stream;
}

for (const [name, fn] of [
  ['readableStreamBYOBReaderRead', readableStreamBYOBReaderRead],
  ['readableByteStreamControllerClose', readableByteStreamControllerClose],
  ['readableByteStreamControllerEnqueue', readableByteStreamControllerEnqueue],
  ['readableByteStreamControllerError', readableByteStreamControllerError],
  ['readableByteStreamControllerGetBYOBRequest', readableByteStreamControllerGetBYOBRequest],
  ['readableByteStreamControllerGetDesiredSize', readableByteStreamControllerGetDesiredSize],
  ['readableByteStreamControllerRespond', readableByteStreamControllerRespond],
  ['readableByteStreamControllerRespondWithNewView',
    readableByteStreamControllerRespondWithNewView],
  ['createReadableByteStream', createReadableByteStream],
  ['newByteControllerRecord', newByteControllerRecord],
  ['setUpReadableByteStreamController', setUpReadableByteStreamController],
]) {
  S[name] = fn;
}
