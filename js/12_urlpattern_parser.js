// URLPattern parsing: the tokenizer, the pattern string parser (to a part list) and the
// constructor string parser (to a URLPatternInit).
// https://urlpattern.spec.whatwg.org/#tokenizing
// https://urlpattern.spec.whatwg.org/#parsing-pattern-strings
// https://urlpattern.spec.whatwg.org/#constructor-string-parsing
//
// Indices are UTF-16 code unit offsets; code points are read whole (inputs are scalar value
// strings), so a token index is where its first code point starts and slicing by token indices
// is the spec's code point substring. Nothing here depends on URL parsing: the encoding callbacks
// and the protocol check are passed in by 12_urlpattern.js. Loads after 12_urlpattern.js (name
// order) and adds its functions to `internals.urlpattern.syntax`.
'use strict';

const {
  ArrayPrototypePush, RegExpPrototypeExec, StringFromCodePoint, StringPrototypeCodePointAt,
  StringPrototypeSlice, TypeError,
} = primordials;

const kPrefix = 'Failed to construct URLPattern: ';

// Token types (https://urlpattern.spec.whatwg.org/#token-type).
const OPEN = 'open';
const CLOSE = 'close';
const REGEXP = 'regexp';
const NAME = 'name';
const CHAR = 'char';
const ESCAPED_CHAR = 'escaped-char';
const OTHER_MODIFIER = 'other-modifier';
const ASTERISK = 'asterisk';
const END = 'end';
const INVALID_CHAR = 'invalid-char';

// Part types and modifiers (https://urlpattern.spec.whatwg.org/#part).
const FIXED_TEXT = 'fixed-text';
const PART_REGEXP = 'regexp';
const SEGMENT_WILDCARD = 'segment-wildcard';
const FULL_WILDCARD = 'full-wildcard';
const NONE = 'none';
const OPTIONAL = 'optional';
const ZERO_OR_MORE = 'zero-or-more';
const ONE_OR_MORE = 'one-or-more';

const FULL_WILDCARD_REGEXP_VALUE = '.*';

// https://urlpattern.spec.whatwg.org/#is-a-valid-name-code-point (IdentifierStart/IdentifierPart).
const identifierStartPattern = /^[$_\p{ID_Start}]$/u;
const identifierPartPattern = /^[$\u200c\u200d\p{ID_Continue}]$/u;
function isValidNameCodePoint(codePoint, first) {
  if (codePoint < 0x80) {
    if (codePoint === 0x24 || codePoint === 0x5f) return true;
    if ((codePoint | 0x20) >= 0x61 && (codePoint | 0x20) <= 0x7a) return true;
    return !first && codePoint >= 0x30 && codePoint <= 0x39;
  }
  const pattern = first ? identifierStartPattern : identifierPartPattern;
  return RegExpPrototypeExec(pattern, StringFromCodePoint(codePoint)) !== null;
}

// ---------------------------------------------------------------------------------------------
// Tokenizing (https://urlpattern.spec.whatwg.org/#tokenize)

class Tokenizer {
  constructor(input, lenient) {
    this.input = input;
    this.lenient = lenient;
    this.tokens = [];
    this.index = 0;
    this.nextIndex = 0;
    this.codePoint = 0;
  }

  // https://urlpattern.spec.whatwg.org/#get-the-next-code-point
  getNextCodePoint() {
    this.codePoint = StringPrototypeCodePointAt(this.input, this.nextIndex);
    this.nextIndex += this.codePoint > 0xffff ? 2 : 1;
  }

  seekAndGetNextCodePoint(index) {
    this.nextIndex = index;
    this.getNextCodePoint();
  }

  // https://urlpattern.spec.whatwg.org/#add-a-token
  addToken(type, nextPosition, valuePosition, valueLength = nextPosition - valuePosition) {
    const value = StringPrototypeSlice(this.input, valuePosition, valuePosition + valueLength);
    ArrayPrototypePush(this.tokens, { type, index: this.index, value });
    this.index = nextPosition;
  }

  addDefaultToken(type) {
    this.addToken(type, this.nextIndex, this.index);
  }

  // https://urlpattern.spec.whatwg.org/#process-a-tokenizing-error
  error(nextPosition, valuePosition, what) {
    if (!this.lenient) {
      throw new TypeError(`${kPrefix}${what} at index ${this.index} in "${this.input}".`);
    }
    this.addToken(INVALID_CHAR, nextPosition, valuePosition);
  }

  // The regexp group starting at this.index ("(" already read).
  tokenizeRegexp() {
    const input = this.input;
    const length = input.length;
    let depth = 1;
    let position = this.nextIndex;
    const start = position;
    while (position < length) {
      this.seekAndGetNextCodePoint(position);
      const c = this.codePoint;
      if (c > 0x7f) {
        this.error(start, this.index, 'non-ASCII code point in a regular expression group');
        return;
      }
      if (position === start && c === 0x3f) {
        this.error(start, this.index, 'a regular expression group may not start with "?"');
        return;
      }
      if (c === 0x5c) {
        if (position === length - 1) {
          this.error(start, this.index, 'unterminated escape in a regular expression group');
          return;
        }
        this.getNextCodePoint();
        if (this.codePoint > 0x7f) {
          this.error(start, this.index, 'non-ASCII code point in a regular expression group');
          return;
        }
        position = this.nextIndex;
        continue;
      }
      if (c === 0x29) {
        depth--;
        if (depth === 0) {
          position = this.nextIndex;
          break;
        }
      } else if (c === 0x28) {
        depth++;
        if (position === length - 1) {
          this.error(start, this.index, 'unbalanced regular expression group');
          return;
        }
        const temporaryPosition = this.nextIndex;
        this.getNextCodePoint();
        // Nested groups must be non-capturing or assertions: "(?".
        if (this.codePoint !== 0x3f) {
          this.error(start, this.index, 'a nested regular expression group must start with "?"');
          return;
        }
        this.nextIndex = temporaryPosition;
      }
      position = this.nextIndex;
    }
    if (depth !== 0) {
      this.error(start, this.index, 'unbalanced regular expression group');
      return;
    }
    const regexpLength = position - start - 1;
    if (regexpLength === 0) {
      this.error(start, this.index, 'empty regular expression group');
      return;
    }
    this.addToken(REGEXP, position, start, regexpLength);
  }

  run() {
    const input = this.input;
    const length = input.length;
    while (this.index < length) {
      this.seekAndGetNextCodePoint(this.index);
      const c = this.codePoint;
      if (c === 0x2a) {  // *
        this.addDefaultToken(ASTERISK);
      } else if (c === 0x2b || c === 0x3f) {  // + ?
        this.addDefaultToken(OTHER_MODIFIER);
      } else if (c === 0x5c) {  // \
        if (this.index === length - 1) {
          this.error(this.nextIndex, this.index, 'trailing "\\"');
          continue;
        }
        const escapedIndex = this.nextIndex;
        this.getNextCodePoint();
        this.addToken(ESCAPED_CHAR, this.nextIndex, escapedIndex);
      } else if (c === 0x7b) {  // {
        this.addDefaultToken(OPEN);
      } else if (c === 0x7d) {  // }
        this.addDefaultToken(CLOSE);
      } else if (c === 0x3a) {  // :
        let namePosition = this.nextIndex;
        const nameStart = namePosition;
        while (namePosition < length) {
          this.seekAndGetNextCodePoint(namePosition);
          if (!isValidNameCodePoint(this.codePoint, namePosition === nameStart)) break;
          namePosition = this.nextIndex;
        }
        if (namePosition <= nameStart) {
          this.error(nameStart, this.index, 'missing group name after ":"');
          continue;
        }
        this.addToken(NAME, namePosition, nameStart);
      } else if (c === 0x28) {  // (
        this.tokenizeRegexp();
      } else {
        this.addDefaultToken(CHAR);
      }
    }
    this.addToken(END, this.index, this.index);
    return this.tokens;
  }
}

// https://urlpattern.spec.whatwg.org/#tokenize; `lenient` selects the "lenient" policy.
function tokenize(input, lenient) {
  return new Tokenizer(input, lenient).run();
}

// ---------------------------------------------------------------------------------------------
// Parsing pattern strings (https://urlpattern.spec.whatwg.org/#parse-a-pattern-string)

// https://urlpattern.spec.whatwg.org/#escape-a-regexp-string
const regexpSpecialPattern = /[.+*?^${}()[\]|/\\]/;
function escapeRegexpString(input) {
  if (RegExpPrototypeExec(regexpSpecialPattern, input) === null) return input;
  let result = '';
  for (let i = 0; i < input.length; i++) {
    const c = input[i];
    if (RegExpPrototypeExec(regexpSpecialPattern, c) !== null) result += '\\';
    result += c;
  }
  return result;
}

// https://urlpattern.spec.whatwg.org/#generate-a-segment-wildcard-regexp
function generateSegmentWildcardRegexp(options) {
  return `[^${escapeRegexpString(options.delimiter)}]+?`;
}

class PatternParser {
  constructor(input, tokens, encodingCallback, segmentWildcardRegexp) {
    this.input = input;
    this.tokens = tokens;
    this.encodingCallback = encodingCallback;
    this.segmentWildcardRegexp = segmentWildcardRegexp;
    this.parts = [];
    this.pendingFixedValue = '';
    this.index = 0;
    this.nextNumericName = 0;
  }

  // https://urlpattern.spec.whatwg.org/#try-to-consume-a-token
  tryConsume(type) {
    const token = this.tokens[this.index];
    if (token.type !== type) return null;
    this.index++;
    return token;
  }

  // https://urlpattern.spec.whatwg.org/#try-to-consume-a-modifier-token
  tryConsumeModifier() {
    return this.tryConsume(OTHER_MODIFIER) ?? this.tryConsume(ASTERISK);
  }

  // https://urlpattern.spec.whatwg.org/#try-to-consume-a-regexp-or-wildcard-token
  tryConsumeRegexpOrWildcard(nameToken) {
    const token = this.tryConsume(REGEXP);
    if (nameToken === null && token === null) return this.tryConsume(ASTERISK);
    return token;
  }

  // https://urlpattern.spec.whatwg.org/#consume-a-required-token
  consumeRequired(type) {
    const result = this.tryConsume(type);
    if (result === null) {
      const token = this.tokens[this.index];
      const what = type === END ? `unexpected "${token.value}"` : `expected "}"`;
      throw new TypeError(`${kPrefix}${what} at index ${token.index} in "${this.input}".`);
    }
    return result;
  }

  // https://urlpattern.spec.whatwg.org/#consume-text
  consumeText() {
    let result = '';
    for (;;) {
      const token = this.tryConsume(CHAR) ?? this.tryConsume(ESCAPED_CHAR);
      if (token === null) return result;
      result += token.value;
    }
  }

  // https://urlpattern.spec.whatwg.org/#maybe-add-a-part-from-the-pending-fixed-value
  maybeAddPartFromPendingFixedValue() {
    if (this.pendingFixedValue === '') return;
    const value = this.encodingCallback(this.pendingFixedValue);
    this.pendingFixedValue = '';
    ArrayPrototypePush(
        this.parts, { type: FIXED_TEXT, value, modifier: NONE, name: '', prefix: '', suffix: '' });
  }

  // https://urlpattern.spec.whatwg.org/#add-a-part
  addPart(prefix, nameToken, regexpOrWildcardToken, suffix, modifierToken) {
    // 1-2.
    let modifier = NONE;
    if (modifierToken !== null) {
      const v = modifierToken.value;
      modifier = v === '?' ? OPTIONAL : v === '*' ? ZERO_OR_MORE : ONE_OR_MORE;
    }
    // 3. A "{foo}" grouping joins the pending fixed value.
    if (nameToken === null && regexpOrWildcardToken === null && modifier === NONE) {
      this.pendingFixedValue += prefix;
      return;
    }
    // 4.
    this.maybeAddPartFromPendingFixedValue();
    // 5. A "{foo}?" grouping is a fixed-text part of its own.
    if (nameToken === null && regexpOrWildcardToken === null) {
      if (prefix === '') return;
      const value = this.encodingCallback(prefix);
      ArrayPrototypePush(this.parts,
                         { type: FIXED_TEXT, value, modifier, name: '', prefix: '', suffix: '' });
      return;
    }
    // 6-9. The regexp value and part type.
    let regexpValue;
    if (regexpOrWildcardToken === null) regexpValue = this.segmentWildcardRegexp;
    else if (regexpOrWildcardToken.type === ASTERISK) regexpValue = FULL_WILDCARD_REGEXP_VALUE;
    else regexpValue = regexpOrWildcardToken.value;
    let type = PART_REGEXP;
    if (regexpValue === this.segmentWildcardRegexp) {
      type = SEGMENT_WILDCARD;
      regexpValue = '';
    } else if (regexpValue === FULL_WILDCARD_REGEXP_VALUE) {
      type = FULL_WILDCARD;
      regexpValue = '';
    }
    // 10-12. The name: explicit, or the next number.
    let name = '';
    if (nameToken !== null) {
      name = nameToken.value;
    } else if (regexpOrWildcardToken !== null) {
      name = `${this.nextNumericName}`;
      this.nextNumericName++;
    }
    // 13.
    for (let i = 0; i < this.parts.length; i++) {
      if (this.parts[i].name === name) {
        throw new TypeError(`${kPrefix}duplicate group name "${name}" in "${this.input}".`);
      }
    }
    // 14-17.
    const encodedPrefix = this.encodingCallback(prefix);
    const encodedSuffix = this.encodingCallback(suffix);
    ArrayPrototypePush(this.parts, {
      type, value: regexpValue, modifier, name, prefix: encodedPrefix, suffix: encodedSuffix,
    });
  }

  run(options) {
    while (this.index < this.tokens.length) {
      // <prefix char><name><regexp><modifier>
      const charToken = this.tryConsume(CHAR);
      let nameToken = this.tryConsume(NAME);
      let regexpOrWildcardToken = this.tryConsumeRegexpOrWildcard(nameToken);
      if (nameToken !== null || regexpOrWildcardToken !== null) {
        let prefix = charToken !== null ? charToken.value : '';
        if (prefix !== '' && prefix !== options.prefix) {
          this.pendingFixedValue += prefix;
          prefix = '';
        }
        this.maybeAddPartFromPendingFixedValue();
        const modifierToken = this.tryConsumeModifier();
        this.addPart(prefix, nameToken, regexpOrWildcardToken, '', modifierToken);
        continue;
      }
      // Fixed text is buffered.
      const fixedToken = charToken ?? this.tryConsume(ESCAPED_CHAR);
      if (fixedToken !== null) {
        this.pendingFixedValue += fixedToken.value;
        continue;
      }
      // <open><char prefix><name><regexp><char suffix><close><modifier>
      const openToken = this.tryConsume(OPEN);
      if (openToken !== null) {
        const prefix = this.consumeText();
        nameToken = this.tryConsume(NAME);
        regexpOrWildcardToken = this.tryConsumeRegexpOrWildcard(nameToken);
        const suffix = this.consumeText();
        this.consumeRequired(CLOSE);
        const modifierToken = this.tryConsumeModifier();
        this.addPart(prefix, nameToken, regexpOrWildcardToken, suffix, modifierToken);
        continue;
      }
      this.maybeAddPartFromPendingFixedValue();
      this.consumeRequired(END);
    }
    return this.parts;
  }
}

// https://urlpattern.spec.whatwg.org/#parse-a-pattern-string. `options` is { delimiter, prefix,
// ignoreCase }; the part list is an array of { type, value, modifier, name, prefix, suffix }.
function parsePatternString(input, options, encodingCallback) {
  const segmentWildcardRegexp = generateSegmentWildcardRegexp(options);
  const parser =
      new PatternParser(input, tokenize(input, false), encodingCallback, segmentWildcardRegexp);
  return parser.run(options);
}

// ---------------------------------------------------------------------------------------------
// Constructor string parsing (https://urlpattern.spec.whatwg.org/#parse-a-constructor-string)

const INIT = 'init';
const PROTOCOL = 'protocol';
const AUTHORITY = 'authority';
const USERNAME = 'username';
const PASSWORD = 'password';
const HOSTNAME = 'hostname';
const PORT = 'port';
const PATHNAME = 'pathname';
const SEARCH = 'search';
const HASH = 'hash';
const DONE = 'done';

class ConstructorStringParser {
  constructor(input, protocolMatchesSpecialScheme) {
    this.input = input;
    this.tokens = tokenize(input, true);
    this.protocolMatchesSpecialScheme = protocolMatchesSpecialScheme;
    // A URLPatternInit: a member exists when it is an own property.
    this.result = { __proto__: null };
    this.componentStart = 0;
    this.tokenIndex = 0;
    this.tokenIncrement = 1;
    this.groupDepth = 0;
    this.hostnameIPv6BracketDepth = 0;
    this.protocolMatchesSpecialSchemeFlag = false;
    this.state = INIT;
  }

  // https://urlpattern.spec.whatwg.org/#change-state
  changeState(newState, skip) {
    const state = this.state;
    const result = this.result;
    if (state !== INIT && state !== AUTHORITY && state !== DONE) {
      result[state] = this.makeComponentString();
    }
    if (state !== INIT && newState !== DONE) {
      const beforeHostname = state === PROTOCOL || state === AUTHORITY || state === USERNAME ||
                             state === PASSWORD;
      const beforePathname = beforeHostname || state === HOSTNAME || state === PORT;
      if (beforeHostname && (newState === PORT || newState === PATHNAME || newState === SEARCH ||
                             newState === HASH) && !(HOSTNAME in result)) {
        result.hostname = '';
      }
      if (beforePathname && (newState === SEARCH || newState === HASH) && !(PATHNAME in result)) {
        result.pathname = this.protocolMatchesSpecialSchemeFlag ? '/' : '';
      }
      if ((beforePathname || state === PATHNAME) && newState === HASH && !(SEARCH in result)) {
        result.search = '';
      }
    }
    this.state = newState;
    this.tokenIndex += skip;
    this.componentStart = this.tokenIndex;
    this.tokenIncrement = 0;
  }

  // https://urlpattern.spec.whatwg.org/#rewind
  rewind() {
    this.tokenIndex = this.componentStart;
    this.tokenIncrement = 0;
  }

  rewindAndSetState(state) {
    this.rewind();
    this.state = state;
  }

  // https://urlpattern.spec.whatwg.org/#get-a-safe-token
  safeToken(index) {
    const tokens = this.tokens;
    return index < tokens.length ? tokens[index] : tokens[tokens.length - 1];
  }

  // https://urlpattern.spec.whatwg.org/#is-a-non-special-pattern-char
  isNonSpecialPatternChar(index, value) {
    const token = this.safeToken(index);
    if (token.value !== value) return false;
    return token.type === CHAR || token.type === ESCAPED_CHAR || token.type === INVALID_CHAR;
  }

  isCurrent(value) { return this.isNonSpecialPatternChar(this.tokenIndex, value); }

  // https://urlpattern.spec.whatwg.org/#next-is-authority-slashes
  nextIsAuthoritySlashes() {
    return this.isNonSpecialPatternChar(this.tokenIndex + 1, '/') &&
           this.isNonSpecialPatternChar(this.tokenIndex + 2, '/');
  }

  // https://urlpattern.spec.whatwg.org/#is-a-search-prefix
  isSearchPrefix() {
    if (this.isCurrent('?')) return true;
    if (this.tokens[this.tokenIndex].value !== '?') return false;
    const previousIndex = this.tokenIndex - 1;
    if (previousIndex < 0) return true;
    const previousType = this.safeToken(previousIndex).type;
    return previousType !== NAME && previousType !== REGEXP && previousType !== CLOSE &&
           previousType !== ASTERISK;
  }

  // https://urlpattern.spec.whatwg.org/#make-a-component-string
  makeComponentString() {
    const token = this.tokens[this.tokenIndex];
    const componentStartIndex = this.safeToken(this.componentStart).index;
    return StringPrototypeSlice(this.input, componentStartIndex, token.index);
  }

  run() {
    const tokens = this.tokens;
    while (this.tokenIndex < tokens.length) {
      this.tokenIncrement = 1;
      const token = tokens[this.tokenIndex];
      if (token.type === END) {
        if (this.state === INIT) {
          // No protocol terminator: a relative pattern, starting at the pathname, search or hash.
          this.rewind();
          if (this.isCurrent('#')) this.changeState(HASH, 1);
          else if (this.isSearchPrefix()) this.changeState(SEARCH, 1);
          else this.changeState(PATHNAME, 0);
          this.tokenIndex += this.tokenIncrement;
          continue;
        }
        if (this.state === AUTHORITY) {
          // No "@": there is no username or password.
          this.rewindAndSetState(HOSTNAME);
          this.tokenIndex += this.tokenIncrement;
          continue;
        }
        this.changeState(DONE, 0);
        break;
      }
      // Code points inside "{ ... }" groupings are never component boundaries.
      if (token.type === OPEN) {
        this.groupDepth++;
        this.tokenIndex += this.tokenIncrement;
        continue;
      }
      if (this.groupDepth > 0) {
        if (token.type === CLOSE) {
          this.groupDepth--;
        } else {
          this.tokenIndex += this.tokenIncrement;
          continue;
        }
      }
      this.step();
      this.tokenIndex += this.tokenIncrement;
    }
    // A hostname without a port means the default port.
    if (HOSTNAME in this.result && !(PORT in this.result)) this.result.port = '';
    return this.result;
  }

  step() {
    switch (this.state) {
      case INIT:
        if (this.isCurrent(':')) this.rewindAndSetState(PROTOCOL);
        break;
      case PROTOCOL:
        if (this.isCurrent(':')) {
          // https://urlpattern.spec.whatwg.org/#compute-protocol-matches-a-special-scheme-flag
          if (this.protocolMatchesSpecialScheme(this.makeComponentString())) {
            this.protocolMatchesSpecialSchemeFlag = true;
          }
          let nextState = PATHNAME;
          let skip = 1;
          if (this.nextIsAuthoritySlashes()) {
            nextState = AUTHORITY;
            skip = 3;
          } else if (this.protocolMatchesSpecialSchemeFlag) {
            nextState = AUTHORITY;
          }
          this.changeState(nextState, skip);
        }
        break;
      case AUTHORITY:
        if (this.isCurrent('@')) {
          this.rewindAndSetState(USERNAME);
        } else if (this.isCurrent('/') || this.isSearchPrefix() || this.isCurrent('#')) {
          this.rewindAndSetState(HOSTNAME);
        }
        break;
      case USERNAME:
        if (this.isCurrent(':')) this.changeState(PASSWORD, 1);
        else if (this.isCurrent('@')) this.changeState(HOSTNAME, 1);
        break;
      case PASSWORD:
        if (this.isCurrent('@')) this.changeState(HOSTNAME, 1);
        break;
      case HOSTNAME:
        if (this.isCurrent('[')) this.hostnameIPv6BracketDepth++;
        else if (this.isCurrent(']')) this.hostnameIPv6BracketDepth--;
        else if (this.isCurrent(':') && this.hostnameIPv6BracketDepth === 0) {
          this.changeState(PORT, 1);
        } else if (this.isCurrent('/')) this.changeState(PATHNAME, 0);
        else if (this.isSearchPrefix()) this.changeState(SEARCH, 1);
        else if (this.isCurrent('#')) this.changeState(HASH, 1);
        break;
      case PORT:
        if (this.isCurrent('/')) this.changeState(PATHNAME, 0);
        else if (this.isSearchPrefix()) this.changeState(SEARCH, 1);
        else if (this.isCurrent('#')) this.changeState(HASH, 1);
        break;
      case PATHNAME:
        if (this.isSearchPrefix()) this.changeState(SEARCH, 1);
        else if (this.isCurrent('#')) this.changeState(HASH, 1);
        break;
      case SEARCH:
        if (this.isCurrent('#')) this.changeState(HASH, 1);
        break;
      default:  // HASH: nothing.
        break;
    }
  }
}

// https://urlpattern.spec.whatwg.org/#parse-a-constructor-string: a URLPatternInit (prototype-less
// object) from a constructor string. `protocolMatchesSpecialScheme(protocolPattern)` compiles the
// protocol pattern (throwing on a bad one) and says whether it matches a special scheme.
function parseConstructorString(input, protocolMatchesSpecialScheme) {
  return new ConstructorStringParser(input, protocolMatchesSpecialScheme).run();
}

internals.urlpattern.addSyntax({
  __proto__: null,
  tokenize,
  parsePatternString,
  parseConstructorString,
  isValidNameCodePoint,
  escapeRegexpString,
  generateSegmentWildcardRegexp,
  FULL_WILDCARD_REGEXP_VALUE,
  partTypes: { __proto__: null, FIXED_TEXT, REGEXP: PART_REGEXP, SEGMENT_WILDCARD, FULL_WILDCARD },
  modifiers: { __proto__: null, NONE, OPTIONAL, ZERO_OR_MORE, ONE_OR_MORE },
});
