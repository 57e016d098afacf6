// TextEncoderStream and TextDecoderStream.
// https://encoding.spec.whatwg.org/#interface-textencoderstream
// https://encoding.spec.whatwg.org/#interface-textdecoderstream
// Built on the TransformStream of 16_streams_transform.js; TextDecoder and the UTF-8 op come from
// 08_encoding.js. Defines nothing when streams are absent.
'use strict';

const {
  FunctionPrototypeCall, ObjectGetOwnPropertyDescriptor, StringPrototypeCharCodeAt,
  StringPrototypeSlice, TypeError, Uint8Array,
} = primordials;
const { configureInterface, toDOMString } = internals.webidl;
const { TextDecoder, isAllowSharedBufferSource } = internals.encoding;

const TransformStream = internals.streams?.TransformStream;
const TransformStreamDefaultController = internals.streams?.TransformStreamDefaultController ??
  internals.streams?.impl?.TransformStreamDefaultController;

if (TransformStream !== undefined && TransformStreamDefaultController !== undefined) {
  // Captured so a patched prototype never reaches these streams.
  const getter = (proto, name) => ObjectGetOwnPropertyDescriptor(proto, name).get;
  const getReadable = getter(TransformStream.prototype, 'readable');
  const getWritable = getter(TransformStream.prototype, 'writable');
  const enqueue = TransformStreamDefaultController.prototype.enqueue;
  const decode = TextDecoder.prototype.decode;
  const getEncoding = getter(TextDecoder.prototype, 'encoding');
  const getFatal = getter(TextDecoder.prototype, 'fatal');
  const getIgnoreBOM = getter(TextDecoder.prototype, 'ignoreBOM');
  const kStream = { __proto__: null, stream: true };

  class TextEncoderStream {
    #transform;
    // A high surrogate that ended the previous chunk, waiting for its pair.
    #pendingHighSurrogate = '';

    constructor() {
      this.#transform = new TransformStream({
        transform: (chunk, controller) => this.#encodeAndEnqueue(chunk, controller),
        flush: (controller) => {
          // https://encoding.spec.whatwg.org/#encode-and-flush: a dangling surrogate is U+FFFD.
          if (this.#pendingHighSurrogate !== '') {
            FunctionPrototypeCall(enqueue, controller, new Uint8Array([0xef, 0xbf, 0xbd]));
          }
        },
      });
    }

    // https://encoding.spec.whatwg.org/#encode-and-enqueue-a-chunk
    #encodeAndEnqueue(chunk, controller) {
      let input = this.#pendingHighSurrogate + toDOMString(chunk);
      this.#pendingHighSurrogate = '';
      const last = StringPrototypeCharCodeAt(input, input.length - 1);
      if (last >= 0xd800 && last <= 0xdbff) {
        this.#pendingHighSurrogate = StringPrototypeSlice(input, -1);
        input = StringPrototypeSlice(input, 0, -1);
      }
      if (input !== '') FunctionPrototypeCall(enqueue, controller, ops.utf8Encode(input));
    }

    get encoding() {
      if (!isTextEncoderStream(this)) throw new TypeError('Illegal invocation');
      return 'utf-8';
    }

    get readable() {
      if (!isTextEncoderStream(this)) throw new TypeError('Illegal invocation');
      return FunctionPrototypeCall(getReadable, this.#transform);
    }

    get writable() {
      if (!isTextEncoderStream(this)) throw new TypeError('Illegal invocation');
      return FunctionPrototypeCall(getWritable, this.#transform);
    }

    static isTextEncoderStream(value) {
      return value !== null && typeof value === 'object' && #transform in value;
    }
  }
  const isTextEncoderStream = TextEncoderStream.isTextEncoderStream;
  delete TextEncoderStream.isTextEncoderStream;
  configureInterface(TextEncoderStream);

  class TextDecoderStream {
    #decoder;
    #transform;

    // https://encoding.spec.whatwg.org/#dom-textdecoderstream
    constructor(label = 'utf-8', options = undefined) {
      const decoder = new TextDecoder(label, options);
      this.#decoder = decoder;
      this.#transform = new TransformStream({
        // https://encoding.spec.whatwg.org/#decode-and-enqueue-a-chunk
        transform: (chunk, controller) => {
          if (!isAllowSharedBufferSource(chunk)) {
            throw new TypeError("Failed to execute 'transform' on 'TextDecoderStream': the chunk " +
                                'is not an ArrayBuffer or ArrayBufferView.');
          }
          const output = FunctionPrototypeCall(decode, decoder, chunk, kStream);
          if (output !== '') FunctionPrototypeCall(enqueue, controller, output);
        },
        // https://encoding.spec.whatwg.org/#flush-and-enqueue
        flush: (controller) => {
          const output = FunctionPrototypeCall(decode, decoder);
          if (output !== '') FunctionPrototypeCall(enqueue, controller, output);
        },
      });
    }

    get encoding() {
      return FunctionPrototypeCall(getEncoding, decoderOf(this));
    }

    get fatal() {
      return FunctionPrototypeCall(getFatal, decoderOf(this));
    }

    get ignoreBOM() {
      return FunctionPrototypeCall(getIgnoreBOM, decoderOf(this));
    }

    get readable() {
      decoderOf(this);
      return FunctionPrototypeCall(getReadable, this.#transform);
    }

    get writable() {
      decoderOf(this);
      return FunctionPrototypeCall(getWritable, this.#transform);
    }

    static decoderOf(value) {
      if (value === null || typeof value !== 'object' || !(#decoder in value)) {
        throw new TypeError('Illegal invocation');
      }
      return value.#decoder;
    }
  }
  const decoderOf = TextDecoderStream.decoderOf;
  delete TextDecoderStream.decoderOf;
  configureInterface(TextDecoderStream);

  internals.encoding.TextEncoderStream = TextEncoderStream;
  internals.encoding.TextDecoderStream = TextDecoderStream;
  internals.defineGlobals({ TextEncoderStream, TextDecoderStream });
}
