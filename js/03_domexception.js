// DOMException.
// https://webidl.spec.whatwg.org/#idl-DOMException
// https://webidl.spec.whatwg.org/#dfn-error-names-table
// Exposes `internals.DOMException` and the `DOMException` global.
'use strict';

const { Error, ObjectDefineProperty, TypeError } = primordials;
const { toDOMString, configureInterface } = internals.webidl;

// The error names table: name → legacy code (0 when the name has none).
const kNameToCode = {
  __proto__: null,
  IndexSizeError: 1,
  HierarchyRequestError: 3,
  WrongDocumentError: 4,
  InvalidCharacterError: 5,
  NoModificationAllowedError: 7,
  NotFoundError: 8,
  NotSupportedError: 9,
  InUseAttributeError: 10,
  InvalidStateError: 11,
  SyntaxError: 12,
  InvalidModificationError: 13,
  NamespaceError: 14,
  InvalidAccessError: 15,
  TypeMismatchError: 17,
  SecurityError: 18,
  NetworkError: 19,
  AbortError: 20,
  URLMismatchError: 21,
  QuotaExceededError: 22,
  TimeoutError: 23,
  InvalidNodeTypeError: 24,
  DataCloneError: 25,
};

// The legacy code constants, exposed on both the interface object and its prototype.
const kConstants = [
  ['INDEX_SIZE_ERR', 1], ['DOMSTRING_SIZE_ERR', 2], ['HIERARCHY_REQUEST_ERR', 3],
  ['WRONG_DOCUMENT_ERR', 4], ['INVALID_CHARACTER_ERR', 5], ['NO_DATA_ALLOWED_ERR', 6],
  ['NO_MODIFICATION_ALLOWED_ERR', 7], ['NOT_FOUND_ERR', 8], ['NOT_SUPPORTED_ERR', 9],
  ['INUSE_ATTRIBUTE_ERR', 10], ['INVALID_STATE_ERR', 11], ['SYNTAX_ERR', 12],
  ['INVALID_MODIFICATION_ERR', 13], ['NAMESPACE_ERR', 14], ['INVALID_ACCESS_ERR', 15],
  ['VALIDATION_ERR', 16], ['TYPE_MISMATCH_ERR', 17], ['SECURITY_ERR', 18], ['NETWORK_ERR', 19],
  ['ABORT_ERR', 20], ['URL_MISMATCH_ERR', 21], ['QUOTA_EXCEEDED_ERR', 22], ['TIMEOUT_ERR', 23],
  ['INVALID_NODE_TYPE_ERR', 24], ['DATA_CLONE_ERR', 25],
];

// DOMException.prototype inherits from Error.prototype (WebIDL "exception objects"), so extending
// Error gives instances a V8-captured `stack` own property and makes `instanceof Error` hold. The
// super call passes no message so that `message` stays a prototype getter, as WebIDL requires.
class DOMException extends Error {
  #name;
  #message;
  #code;

  // https://webidl.spec.whatwg.org/#dom-domexception-domexception
  // `options` is the name string; an object `{ name, cause }` is accepted as well (the
  // DOMException-with-cause extension Node and browsers ship).
  constructor(message = '', options = 'Error') {
    let name = options;
    let hasCause = false;
    let cause;
    if (options !== null && typeof options === 'object') {
      name = options.name === undefined ? 'Error' : options.name;
      if ('cause' in options) {
        hasCause = true;
        cause = options.cause;
      }
    }
    // 1. Set this's name to name. 2. Set this's message to message.
    const msg = toDOMString(message);
    const nm = toDOMString(name);
    if (hasCause) {
      super(undefined, { cause });
    } else {
      super();
    }
    this.#message = msg;
    this.#name = nm;
    this.#code = kNameToCode[nm] ?? 0;
  }

  // https://webidl.spec.whatwg.org/#dom-domexception-name
  get name() {
    if (!isDOMException(this)) throw new TypeError('Illegal invocation');
    return this.#name;
  }

  // https://webidl.spec.whatwg.org/#dom-domexception-message
  get message() {
    if (!isDOMException(this)) throw new TypeError('Illegal invocation');
    return this.#message;
  }

  // https://webidl.spec.whatwg.org/#dom-domexception-code
  get code() {
    if (!isDOMException(this)) throw new TypeError('Illegal invocation');
    return this.#code;
  }

  static isDOMException(value) {
    return value !== null && typeof value === 'object' && #name in value;
  }
}

const isDOMException = DOMException.isDOMException;
// Keep the helper internal: the interface object only has the WebIDL members.
delete DOMException.isDOMException;

configureInterface(DOMException);
for (let i = 0; i < kConstants.length; i++) {
  const desc = { value: kConstants[i][1], writable: false, enumerable: true, configurable: false };
  ObjectDefineProperty(DOMException, kConstants[i][0], desc);
  ObjectDefineProperty(DOMException.prototype, kConstants[i][0], desc);
}

// Creates a DOMException without going through a possibly patched global.
function createDOMException(message, name) {
  return new DOMException(message, name);
}

internals.DOMException = DOMException;
internals.domexception = { DOMException, isDOMException, createDOMException };
internals.defineGlobal('DOMException', DOMException);
