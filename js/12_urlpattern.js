// URLPattern: canonicalization, component compilation, URLPatternInit processing, matching and
// the URLPattern class.
// https://urlpattern.spec.whatwg.org/#urlpattern-class
// https://urlpattern.spec.whatwg.org/#canon
// https://urlpattern.spec.whatwg.org/#canon-processing-for-init
//
// The pattern syntax is in the two files that load after this one (name order) and add their
// functions to `internals.urlpattern.syntax`: 12_urlpattern_parser.js (tokenizer, pattern string
// parser, constructor string parser) and 12_urlpattern_regexp.js (part lists to regular
// expressions and pattern strings, `v` flag syntax for engines without it, part list ordering).
'use strict';

const {
  ArrayPrototypeIncludes, ArrayPrototypePush, ObjectAssign, ObjectDefineProperty, RegExp,
  RegExpPrototypeExec, StringPrototypeCharCodeAt, StringPrototypeSlice, StringPrototypeToLowerCase,
  TypeError,
} = primordials;
const { configureInterface, toUSVString } = internals.webidl;
const url = internals.url;
const { encodeSets } = url;

const kPrefix = 'Failed to construct URLPattern: ';

// Filled by 12_urlpattern_parser.js and 12_urlpattern_regexp.js; read at call time.
const syntax = { __proto__: null };
internals.urlpattern = {
  __proto__: null,
  syntax,
  addSyntax(functions) { ObjectAssign(syntax, functions); },
};

// ---------------------------------------------------------------------------------------------
// Encoding callbacks (https://urlpattern.spec.whatwg.org/#canon-encoding-callbacks). Each throws a
// TypeError on input the URL parser rejects.

let dummyURL = null;
// https://urlpattern.spec.whatwg.org/#url-pattern-create-a-dummy-url
function createDummyURL() {
  if (dummyURL === null) dummyURL = url.parse('https://dummy.invalid/');
  return url.clone(dummyURL);
}

function invalid(what, value) {
  return new TypeError(`${kPrefix}invalid ${what} "${value}".`);
}

// https://urlpattern.spec.whatwg.org/#canonicalize-a-protocol
function canonicalizeProtocol(value) {
  if (value === '') return value;
  const parseResult = url.parse(`${value}://dummy.invalid/`);
  if (parseResult === null) throw invalid('protocol', value);
  return parseResult.scheme;
}

// https://urlpattern.spec.whatwg.org/#canonicalize-a-username (the username setter's encoding).
function canonicalizeUsername(value) {
  return url.utf8PercentEncode(value, encodeSets.USERINFO_SET);
}

// https://urlpattern.spec.whatwg.org/#canonicalize-a-password
function canonicalizePassword(value) {
  return url.utf8PercentEncode(value, encodeSets.USERINFO_SET);
}

// https://urlpattern.spec.whatwg.org/#canonicalize-a-hostname
function canonicalizeHostname(value) {
  if (value === '') return value;
  const dummy = createDummyURL();
  if (url.basicParse(value, null, dummy, url.states.HOSTNAME) === null) {
    throw invalid('hostname', value);
  }
  return dummy.host === null ? '' : dummy.host;
}

// https://urlpattern.spec.whatwg.org/#canonicalize-an-ipv6-hostname
function canonicalizeIPv6Hostname(value) {
  for (let i = 0; i < value.length; i++) {
    const c = StringPrototypeCharCodeAt(value, i);
    const hex = (c >= 0x30 && c <= 0x39) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x66);
    if (!hex && c !== 0x5b && c !== 0x5d && c !== 0x3a) throw invalid('IPv6 hostname', value);
  }
  return StringPrototypeToLowerCase(value);
}

// https://urlpattern.spec.whatwg.org/#canonicalize-a-port
function canonicalizePort(portValue, protocolValue = undefined) {
  if (portValue === '') return portValue;
  const dummy = createDummyURL();
  if (protocolValue !== undefined) dummy.scheme = protocolValue;
  if (url.basicParse(portValue, null, dummy, url.states.PORT) === null) {
    throw invalid('port', portValue);
  }
  return dummy.port === null ? '' : `${dummy.port}`;
}

// https://urlpattern.spec.whatwg.org/#canonicalize-a-pathname
function canonicalizePathname(value) {
  if (value === '') return value;
  // A leading "/-" keeps the parser from adding a slash or collapsing a leading dot segment.
  const leadingSlash = value[0] === '/';
  const dummy = createDummyURL();
  dummy.path = [];
  url.basicParse(leadingSlash ? value : `/-${value}`, null, dummy, url.states.PATH_START);
  const result = url.serializePath(dummy);
  return leadingSlash ? result : StringPrototypeSlice(result, 2);
}

// https://urlpattern.spec.whatwg.org/#canonicalize-an-opaque-pathname: the basic URL parser's
// opaque path state with a state override, on a URL whose path is the empty string. Tabs and
// newlines are removed first; the path ends at "?" or "#".
function canonicalizeOpaquePathname(value) {
  if (value === '') return value;
  let input = '';
  for (let i = 0; i < value.length; i++) {
    const c = StringPrototypeCharCodeAt(value, i);
    if (c !== 0x09 && c !== 0x0a && c !== 0x0d) input += value[i];
  }
  let path = '';
  let runStart = 0;
  let i = 0;
  for (; i < input.length; i++) {
    const c = StringPrototypeCharCodeAt(input, i);
    if (c === 0x3f || c === 0x23) break;
    if (c !== 0x20) continue;
    const run = StringPrototypeSlice(input, runStart, i);
    path += url.utf8PercentEncode(run, encodeSets.C0_CONTROL_SET);
    const next = i + 1 < input.length ? StringPrototypeCharCodeAt(input, i + 1) : -1;
    path += next === 0x3f || next === 0x23 ? '%20' : ' ';
    runStart = i + 1;
  }
  return path + url.utf8PercentEncode(StringPrototypeSlice(input, runStart, i),
                                      encodeSets.C0_CONTROL_SET);
}

// https://urlpattern.spec.whatwg.org/#canonicalize-a-search
function canonicalizeSearch(value) {
  if (value === '') return value;
  const dummy = createDummyURL();
  dummy.query = '';
  url.basicParse(value, null, dummy, url.states.QUERY);
  return dummy.query;
}

// https://urlpattern.spec.whatwg.org/#canonicalize-a-hash
function canonicalizeHash(value) {
  if (value === '') return value;
  const dummy = createDummyURL();
  dummy.fragment = '';
  url.basicParse(value, null, dummy, url.states.FRAGMENT);
  return dummy.fragment;
}

// ---------------------------------------------------------------------------------------------
// Components (https://urlpattern.spec.whatwg.org/#component)

// https://urlpattern.spec.whatwg.org/#options
const DEFAULT_OPTIONS = { __proto__: null, delimiter: '', prefix: '', ignoreCase: false };
const HOSTNAME_OPTIONS = { __proto__: null, delimiter: '.', prefix: '', ignoreCase: false };
const PATHNAME_OPTIONS = { __proto__: null, delimiter: '/', prefix: '/', ignoreCase: false };

// https://urlpattern.spec.whatwg.org/#compile-a-component
function compileComponent(input, encodingCallback, options, componentName) {
  const parts = syntax.parsePatternString(input, options, encodingCallback);
  let regexp;
  let names;
  try {
    const generated = syntax.generateRegularExpressionAndNameList(parts, options);
    names = generated.names;
    const flags = syntax.regexpFlags;
    regexp = new RegExp(generated.regexpString, options.ignoreCase ? `${flags}i` : flags);
  } catch {
    throw new TypeError(`${kPrefix}invalid regular expression in the ${componentName} ` +
                        `pattern "${input}".`);
  }
  let hasRegExpGroups = false;
  for (let i = 0; i < parts.length; i++) {
    if (parts[i].type === syntax.partTypes.REGEXP) hasRegExpGroups = true;
  }
  return {
    __proto__: null,
    parts,
    patternString: syntax.generatePatternString(parts, options),
    regexp,
    names,
    hasRegExpGroups,
  };
}

const kSpecialSchemes = ['ftp', 'file', 'http', 'https', 'ws', 'wss'];
// https://urlpattern.spec.whatwg.org/#protocol-component-matches-a-special-scheme
function protocolComponentMatchesSpecialScheme(component) {
  for (let i = 0; i < kSpecialSchemes.length; i++) {
    if (RegExpPrototypeExec(component.regexp, kSpecialSchemes[i]) !== null) return true;
  }
  return false;
}

function protocolPatternMatchesSpecialScheme(protocolString) {
  return protocolComponentMatchesSpecialScheme(
      compileComponent(protocolString, canonicalizeProtocol, DEFAULT_OPTIONS, 'protocol'));
}

// https://urlpattern.spec.whatwg.org/#hostname-pattern-is-an-ipv6-address
function hostnamePatternIsIPv6Address(input) {
  if (input.length < 2) return false;
  return input[0] === '[' || ((input[0] === '{' || input[0] === '\\') && input[1] === '[');
}

// ---------------------------------------------------------------------------------------------
// URLPatternInit processing (https://urlpattern.spec.whatwg.org/#process-a-urlpatterninit)

const kComponents = [
  'protocol', 'username', 'password', 'hostname', 'port', 'pathname', 'search', 'hash',
];
// URLPatternInit members in WebIDL (lexicographic) order.
const kInitMembers = [
  'baseURL', 'hash', 'hostname', 'password', 'pathname', 'port', 'protocol', 'search', 'username',
];

// https://urlpattern.spec.whatwg.org/#process-a-base-url-string
function processBaseURLString(input, type) {
  return type !== 'pattern' ? input : syntax.escapePatternString(input);
}

// https://urlpattern.spec.whatwg.org/#is-an-absolute-pathname
function isAbsolutePathname(input, type) {
  if (input === '') return false;
  if (input[0] === '/') return true;
  if (type === 'url' || input.length < 2) return false;
  return (input[0] === '\\' || input[0] === '{') && input[1] === '/';
}

// `init` is a prototype-less URLPatternInit (a member exists when it is an own property);
// `defaults` is null (type "pattern") or the empty string (type "url") for every component.
function processURLPatternInit(init, type, defaults) {
  const result = { __proto__: null };
  if (defaults !== null) {
    for (let i = 0; i < kComponents.length; i++) result[kComponents[i]] = defaults;
  }
  const pattern = type === 'pattern';
  // Each component of the base URL is inherited unless init has one at least as specific.
  let baseURL = null;
  if ('baseURL' in init) {
    baseURL = url.parse(init.baseURL);
    if (baseURL === null) throw new TypeError(`${kPrefix}invalid base URL "${init.baseURL}".`);
    const has = (...names) => {
      for (let i = 0; i < names.length; i++) if (names[i] in init) return true;
      return false;
    };
    if (!('protocol' in init)) result.protocol = processBaseURLString(baseURL.scheme, type);
    if (!pattern && !has('protocol', 'hostname', 'port', 'username')) {
      result.username = processBaseURLString(baseURL.username, type);
    }
    if (!pattern && !has('protocol', 'hostname', 'port', 'username', 'password')) {
      result.password = processBaseURLString(baseURL.password, type);
    }
    if (!has('protocol', 'hostname')) {
      result.hostname = processBaseURLString(baseURL.host === null ? '' : baseURL.host, type);
    }
    if (!has('protocol', 'hostname', 'port')) {
      result.port = baseURL.port === null ? '' : `${baseURL.port}`;
    }
    if (!has('protocol', 'hostname', 'port', 'pathname')) {
      result.pathname = processBaseURLString(url.serializePath(baseURL), type);
    }
    if (!has('protocol', 'hostname', 'port', 'pathname', 'search')) {
      result.search = processBaseURLString(baseURL.query === null ? '' : baseURL.query, type);
    }
    if (!has('protocol', 'hostname', 'port', 'pathname', 'search', 'hash')) {
      result.hash = processBaseURLString(baseURL.fragment === null ? '' : baseURL.fragment, type);
    }
  }
  // https://urlpattern.spec.whatwg.org/#process-protocol-for-init and the other "for init" steps.
  if ('protocol' in init) {
    const value = init.protocol;
    const stripped = value[value.length - 1] === ':' ? StringPrototypeSlice(value, 0, -1) : value;
    result.protocol = pattern ? stripped : canonicalizeProtocol(stripped);
  }
  if ('username' in init) {
    result.username = pattern ? init.username : canonicalizeUsername(init.username);
  }
  if ('password' in init) {
    result.password = pattern ? init.password : canonicalizePassword(init.password);
  }
  if ('hostname' in init) {
    result.hostname = pattern ? init.hostname : canonicalizeHostname(init.hostname);
  }
  const resultProtocol = 'protocol' in result ? result.protocol : '';
  if ('port' in init) {
    result.port = pattern ? init.port : canonicalizePort(init.port, resultProtocol);
  }
  if ('pathname' in init) {
    let pathname = init.pathname;
    if (baseURL !== null && !url.hasOpaquePath(baseURL) && !isAbsolutePathname(pathname, type)) {
      // A relative pathname is resolved against the base URL's directory.
      const baseURLPath = processBaseURLString(url.serializePath(baseURL), type);
      let slashIndex = -1;
      for (let i = baseURLPath.length - 1; i >= 0; i--) {
        if (baseURLPath[i] === '/') {
          slashIndex = i;
          break;
        }
      }
      if (slashIndex !== -1) {
        pathname = StringPrototypeSlice(baseURLPath, 0, slashIndex + 1) + pathname;
      }
    }
    if (!pattern) {
      pathname = resultProtocol === '' || url.isSpecialScheme(resultProtocol) ?
          canonicalizePathname(pathname) : canonicalizeOpaquePathname(pathname);
    }
    result.pathname = pathname;
  }
  if ('search' in init) {
    const value = init.search;
    const stripped = value[0] === '?' ? StringPrototypeSlice(value, 1) : value;
    result.search = pattern ? stripped : canonicalizeSearch(stripped);
  }
  if ('hash' in init) {
    const value = init.hash;
    const stripped = value[0] === '#' ? StringPrototypeSlice(value, 1) : value;
    result.hash = pattern ? stripped : canonicalizeHash(stripped);
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// Create and match (https://urlpattern.spec.whatwg.org/#high-level-operations)

// https://urlpattern.spec.whatwg.org/#url-pattern-create. `input` is a string or a prototype-less
// URLPatternInit; `baseURL` a string or null. Returns the eight components by name.
function createURLPattern(input, baseURL, ignoreCase) {
  let init;
  if (typeof input === 'string') {
    init = syntax.parseConstructorString(input, protocolPatternMatchesSpecialScheme);
    if (baseURL === null && !('protocol' in init)) {
      throw new TypeError(`${kPrefix}relative pattern "${input}" without a base URL.`);
    }
    if (baseURL !== null) init.baseURL = baseURL;
  } else {
    if (baseURL !== null) {
      throw new TypeError(`${kPrefix}a base URL is not allowed when the input is an object.`);
    }
    init = input;
  }
  const processedInit = processURLPatternInit(init, 'pattern', null);
  for (let i = 0; i < kComponents.length; i++) {
    if (!(kComponents[i] in processedInit)) processedInit[kComponents[i]] = '*';
  }
  const protocol = processedInit.protocol;
  if (url.isSpecialScheme(protocol) && processedInit.port === `${url.defaultPort(protocol)}`) {
    processedInit.port = '';
  }
  const components = { __proto__: null };
  components.protocol =
      compileComponent(protocol, canonicalizeProtocol, DEFAULT_OPTIONS, 'protocol');
  components.username =
      compileComponent(processedInit.username, canonicalizeUsername, DEFAULT_OPTIONS, 'username');
  components.password =
      compileComponent(processedInit.password, canonicalizePassword, DEFAULT_OPTIONS, 'password');
  const hostname = processedInit.hostname;
  components.hostname = compileComponent(
      hostname,
      hostnamePatternIsIPv6Address(hostname) ? canonicalizeIPv6Hostname : canonicalizeHostname,
      HOSTNAME_OPTIONS, 'hostname');
  components.port = compileComponent(processedInit.port, (value) => canonicalizePort(value),
                                     DEFAULT_OPTIONS, 'port');
  const compileOptions = { __proto__: DEFAULT_OPTIONS, ignoreCase };
  if (protocolComponentMatchesSpecialScheme(components.protocol)) {
    components.pathname =
        compileComponent(processedInit.pathname, canonicalizePathname,
                         { __proto__: PATHNAME_OPTIONS, ignoreCase }, 'pathname');
  } else {
    components.pathname = compileComponent(processedInit.pathname, canonicalizeOpaquePathname,
                                           compileOptions, 'pathname');
  }
  components.search =
      compileComponent(processedInit.search, canonicalizeSearch, compileOptions, 'search');
  components.hash = compileComponent(processedInit.hash, canonicalizeHash, compileOptions, 'hash');
  return components;
}

// CreateDataProperty: an own data property, whatever setters Object.prototype has.
function createDataProperty(object, key, value) {
  ObjectDefineProperty(object, key, {
    __proto__: null, value, writable: true, enumerable: true, configurable: true,
  });
}

// The JavaScript value of a URLPatternInit dictionary (members in WebIDL order).
function initToObject(init) {
  const object = {};
  for (let i = 0; i < kInitMembers.length; i++) {
    const key = kInitMembers[i];
    if (key in init) createDataProperty(object, key, init[key]);
  }
  return object;
}

// https://urlpattern.spec.whatwg.org/#create-a-component-match-result
function createComponentMatchResult(component, input, execResult) {
  const groups = {};
  const names = component.names;
  for (let i = 0; i < names.length; i++) createDataProperty(groups, names[i], execResult[i + 1]);
  return { input, groups };
}

// https://urlpattern.spec.whatwg.org/#url-pattern-match. `input` is a string or a prototype-less
// URLPatternInit; `baseURLString` a string or undefined. Returns null for no match, true for a
// match when `wantResult` is false, or a URLPatternResult.
function matchURLPattern(components, input, baseURLString, wantResult, method) {
  let values;
  const inputs = [typeof input === 'string' ? input : initToObject(input)];
  if (typeof input !== 'string') {
    if (baseURLString !== undefined) {
      throw new TypeError(`Failed to ${method} URLPattern: a base URL is not allowed when the ` +
                          'input is an object.');
    }
    try {
      values = processURLPatternInit(input, 'url', '');
    } catch {
      return null;
    }
  } else {
    let baseURL = null;
    if (baseURLString !== undefined) {
      baseURL = url.parse(baseURLString);
      if (baseURL === null) return null;
      ArrayPrototypePush(inputs, baseURLString);
    }
    const parsed = url.parse(input, baseURL);
    if (parsed === null) return null;
    values = {
      __proto__: null,
      protocol: parsed.scheme,
      username: parsed.username,
      password: parsed.password,
      hostname: parsed.host === null ? '' : parsed.host,
      port: parsed.port === null ? '' : `${parsed.port}`,
      pathname: url.serializePath(parsed),
      search: parsed.query === null ? '' : parsed.query,
      hash: parsed.fragment === null ? '' : parsed.fragment,
    };
  }
  const execResults = [];
  for (let i = 0; i < kComponents.length; i++) {
    const name = kComponents[i];
    const execResult = RegExpPrototypeExec(components[name].regexp, values[name]);
    if (execResult === null) return null;
    ArrayPrototypePush(execResults, execResult);
  }
  if (!wantResult) return true;
  const result = { inputs };
  for (let i = 0; i < kComponents.length; i++) {
    const name = kComponents[i];
    createDataProperty(result, name,
                       createComponentMatchResult(components[name], values[name], execResults[i]));
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// WebIDL conversions

function isDictionaryLike(v) {
  return v === undefined || v === null || typeof v === 'object' || typeof v === 'function';
}

// https://webidl.spec.whatwg.org/#es-dictionary for URLPatternInit (a prototype-less copy).
function toURLPatternInit(v) {
  const init = { __proto__: null };
  if (v === undefined || v === null) return init;
  for (let i = 0; i < kInitMembers.length; i++) {
    const key = kInitMembers[i];
    const value = v[key];
    if (value !== undefined) init[key] = toUSVString(value);
  }
  return init;
}

// (USVString or URLPatternInit): objects, undefined and null are dictionaries.
function toURLPatternInput(v) {
  return isDictionaryLike(v) ? toURLPatternInit(v) : toUSVString(v);
}

// URLPatternOptions: { ignoreCase } as a boolean.
function toIgnoreCase(v) {
  if (v === undefined || v === null) return false;
  if (!isDictionaryLike(v)) {
    throw new TypeError(`${kPrefix}options can not be converted to a dictionary.`);
  }
  return !!v.ignoreCase;
}

// ---------------------------------------------------------------------------------------------
// The URLPattern class (https://urlpattern.spec.whatwg.org/#urlpattern-class)

class URLPattern {
  // The associated URL pattern: the eight compiled components by name.
  #components;

  // constructor(URLPatternInput input, USVString baseURL, optional URLPatternOptions options)
  // constructor(optional URLPatternInput input = {}, optional URLPatternOptions options = {})
  constructor(input = undefined, baseURL = undefined, options = undefined) {
    // Overload resolution: the string overload takes 2 or 3 arguments, and with 2 it is chosen
    // only when the second is not undefined, null or an object.
    let base = null;
    let ignoreCase;
    const withBaseURL = arguments.length >= 3 ||
                        (arguments.length === 2 && !isDictionaryLike(baseURL));
    const converted = toURLPatternInput(input);
    if (withBaseURL) {
      base = toUSVString(baseURL);
      ignoreCase = toIgnoreCase(options);
    } else {
      ignoreCase = toIgnoreCase(baseURL);
    }
    this.#components = createURLPattern(converted, base, ignoreCase);
  }

  test(input = undefined, baseURL = undefined) {
    const components = this.#components;
    const converted = toURLPatternInput(input);
    const base = baseURL === undefined ? undefined : toUSVString(baseURL);
    return matchURLPattern(components, converted, base, false, 'test') !== null;
  }

  exec(input = undefined, baseURL = undefined) {
    const components = this.#components;
    const converted = toURLPatternInput(input);
    const base = baseURL === undefined ? undefined : toUSVString(baseURL);
    return matchURLPattern(components, converted, base, true, 'exec');
  }

  get protocol() { return this.#components.protocol.patternString; }
  get username() { return this.#components.username.patternString; }
  get password() { return this.#components.password.patternString; }
  get hostname() { return this.#components.hostname.patternString; }
  get port() { return this.#components.port.patternString; }
  get pathname() { return this.#components.pathname.patternString; }
  get search() { return this.#components.search.patternString; }
  get hash() { return this.#components.hash.patternString; }

  // static long compareComponent(URLPatternComponent component, URLPattern left,
  //                               URLPattern right)
  static compareComponent(component, left, right) {
    if (arguments.length < 3) {
      throw new TypeError("Failed to execute 'compareComponent' on 'URLPattern': 3 arguments " +
                          `required, but only ${arguments.length} present.`);
    }
    component = toUSVString(component);
    if (!ArrayPrototypeIncludes(kComponents, component)) {
      throw new TypeError(`Failed to execute 'compareComponent' on 'URLPattern': "${component}" ` +
                          'is not a valid URLPatternComponent.');
    }
    const isURLPattern = (v) => typeof v === 'object' && v !== null && #components in v;
    if (!isURLPattern(left) || !isURLPattern(right)) {
      throw new TypeError("Failed to execute 'compareComponent' on 'URLPattern': the patterns " +
                          "must be of type 'URLPattern'.");
    }
    return syntax.comparePartLists(left.#components[component].parts,
                            right.#components[component].parts);
  }

  get hasRegExpGroups() {
    const components = this.#components;
    for (let i = 0; i < kComponents.length; i++) {
      if (components[kComponents[i]].hasRegExpGroups) return true;
    }
    return false;
  }
}

configureInterface(URLPattern);

// How console.log shows a pattern: its component pattern strings.
const kInspect = internals.console?.kInspect;
if (kInspect !== undefined) {
  ObjectDefineProperty(URLPattern.prototype, kInspect, {
    __proto__: null,
    value: function inspectURLPattern() {
      const out = {};
      for (let i = 0; i < kComponents.length; i++) out[kComponents[i]] = this[kComponents[i]];
      out.hasRegExpGroups = this.hasRegExpGroups;
      return out;
    },
  });
}
ObjectDefineProperty(URLPattern, 'compareComponent', { enumerable: true });
internals.defineGlobal('URLPattern', URLPattern);
