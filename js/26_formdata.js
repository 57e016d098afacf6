// FormData.
// https://xhr.spec.whatwg.org/#interface-formdata
// https://xhr.spec.whatwg.org/#create-an-entry
// https://webidl.spec.whatwg.org/#es-iterable (pair iterator, forEach)
//
// A Blob value becomes a File named "blob" as the spec says (workerd names it after the entry).
// The multipart/form-data serializer and parser are in 26_multipart.js.
// Exposes `internals.formData` (the hooks js/21_body.js uses).
'use strict';

const {
  ArrayPrototypePush, ArrayPrototypeSplice, DateNow, FunctionPrototypeCall, IteratorPrototype,
  ObjectDefineProperty, ObjectSetPrototypeOf, ReflectDeleteProperty, SymbolIterator, TypeError,
} = primordials;
const { configureInterface, requiredArguments, toUSVString } = internals.webidl;
const { isBlob, isFile, state: blobState, fileState, createFile } = internals.blob;

const kEntries = 'entries';
const kKeys = 'keys';
const kValues = 'values';

function prefixFor(method) {
  return `Failed to execute '${method}' on 'FormData'`;
}

// https://xhr.spec.whatwg.org/#create-an-entry, after WebIDL overload resolution of
// append/set(name, value) and append/set(name, blobValue, filename): with three arguments the
// value must be a Blob.
function createEntry(method, argCount, name, value, filename) {
  const prefix = prefixFor(method);
  requiredArguments(argCount, 2, prefix);
  name = toUSVString(name);
  if (argCount > 2 || isBlob(value)) {
    if (!isBlob(value)) throw new TypeError(`${prefix}: parameter 2 is not of type 'Blob'.`);
    const hasFilename = argCount > 2 && filename !== undefined;
    if (hasFilename) filename = toUSVString(filename);
    // A Blob that is not a File becomes a File named "blob"; a filename, if given, replaces the
    // name. Either way the new File shares the bytes, the type and (for a File) lastModified.
    if (!isFile(value) || hasFilename) {
      const data = blobState(value);
      const lastModified = isFile(value) ? fileState(value).lastModified : DateNow();
      value = createFile(data.chunks, data.size, hasFilename ? filename : 'blob', data.type,
                         lastModified);
    }
    return [name, value];
  }
  return [name, toUSVString(value)];
}

let entriesOf;  // (formData) -> the live entry list; TypeError if not a FormData
let isFormData;

class FormData {
  #entries = [];  // [name, value] pairs; value is a string or a File

  // https://xhr.spec.whatwg.org/#dom-formdata: no form element exists here.
  constructor(form = undefined, submitter = undefined) {
    if (form !== undefined) {
      throw new TypeError("Failed to construct 'FormData': parameter 1 is not of type " +
                          "'HTMLFormElement'.");
    }
    void submitter;
  }

  // https://xhr.spec.whatwg.org/#dom-formdata-append
  append(name, value, filename = undefined) {
    const entries = entriesOf(this);
    ArrayPrototypePush(entries, createEntry('append', arguments.length, name, value, filename));
  }

  // https://xhr.spec.whatwg.org/#dom-formdata-delete
  delete(name) {
    const entries = entriesOf(this);
    requiredArguments(arguments.length, 1, prefixFor('delete'));
    name = toUSVString(name);
    for (let i = entries.length - 1; i >= 0; i--) {
      if (entries[i][0] === name) ArrayPrototypeSplice(entries, i, 1);
    }
  }

  // https://xhr.spec.whatwg.org/#dom-formdata-get
  get(name) {
    const entries = entriesOf(this);
    requiredArguments(arguments.length, 1, prefixFor('get'));
    name = toUSVString(name);
    for (let i = 0; i < entries.length; i++) {
      if (entries[i][0] === name) return entries[i][1];
    }
    return null;
  }

  // https://xhr.spec.whatwg.org/#dom-formdata-getall
  getAll(name) {
    const entries = entriesOf(this);
    requiredArguments(arguments.length, 1, prefixFor('getAll'));
    name = toUSVString(name);
    const out = [];
    for (let i = 0; i < entries.length; i++) {
      if (entries[i][0] === name) ArrayPrototypePush(out, entries[i][1]);
    }
    return out;
  }

  // https://xhr.spec.whatwg.org/#dom-formdata-has
  has(name) {
    const entries = entriesOf(this);
    requiredArguments(arguments.length, 1, prefixFor('has'));
    name = toUSVString(name);
    for (let i = 0; i < entries.length; i++) {
      if (entries[i][0] === name) return true;
    }
    return false;
  }

  // https://xhr.spec.whatwg.org/#dom-formdata-set: the first entry named `name` takes the new
  // value and the others are removed; without one, the entry is appended.
  set(name, value, filename = undefined) {
    const entries = entriesOf(this);
    const entry = createEntry('set', arguments.length, name, value, filename);
    name = entry[0];
    let found = false;
    for (let i = 0; i < entries.length; i++) {
      if (entries[i][0] !== name) continue;
      if (!found) {
        entries[i] = entry;
        found = true;
      } else {
        ArrayPrototypeSplice(entries, i, 1);
        i--;
      }
    }
    if (!found) ArrayPrototypePush(entries, entry);
  }

  // https://webidl.spec.whatwg.org/#es-forEach: the list is read afresh at each step, so entries
  // appended by the callback are visited.
  forEach(callback, thisArg = undefined) {
    const entries = entriesOf(this);
    const prefix = prefixFor('forEach');
    requiredArguments(arguments.length, 1, prefix);
    if (typeof callback !== 'function') {
      throw new TypeError(`${prefix}: parameter 1 is not of type 'Function'.`);
    }
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i];
      FunctionPrototypeCall(callback, thisArg, entry[1], entry[0], this);
    }
  }

  entries() {
    entriesOf(this);
    return newIterator(this, kEntries);
  }

  keys() {
    entriesOf(this);
    return newIterator(this, kKeys);
  }

  values() {
    entriesOf(this);
    return newIterator(this, kValues);
  }

  static {
    isFormData = (v) => typeof v === 'object' && v !== null && #entries in v;
    entriesOf = (v) => {
      if (!isFormData(v)) throw new TypeError('Illegal invocation');
      return v.#entries;
    };
  }
}

const newIterator = internals.webidl.createPairIterator('FormData', (v) => isFormData(v), entriesOf);

configureInterface(FormData);
// The default iterator is `entries` itself.
ObjectDefineProperty(FormData.prototype, SymbolIterator, {
  value: FormData.prototype.entries, writable: true, enumerable: false, configurable: true,
});

// A FormData holding `pairs`: [name, value] with names and string values already scalar value
// strings, or File values.
function fromEntries(pairs) {
  const formData = new FormData();
  const entries = entriesOf(formData);
  for (let i = 0; i < pairs.length; i++) ArrayPrototypePush(entries, [pairs[i][0], pairs[i][1]]);
  return formData;
}

internals.formData = {
  __proto__: null,
  FormData,
  isFormData,
  entriesOf,
  fromEntries,
  // serialize and parseMultipart: js/26_multipart.js
};

internals.defineGlobal('FormData', FormData);
