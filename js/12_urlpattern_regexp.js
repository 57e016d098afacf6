// URLPattern part lists to regular expressions and pattern strings, and part list ordering.
// https://urlpattern.spec.whatwg.org/#converting-part-lists-to-regular-expressions
// https://urlpattern.spec.whatwg.org/#converting-part-lists-to-pattern-strings
//
// Regular expressions: the standard compiles components with the `v` flag (Unicode sets). V8
// 10.2 has no `v` flag, so when the engine lacks it, custom regexp groups are rewritten from `v`
// syntax into equivalent `u` syntax (UnicodeSetsTranslator): class-set operators (`--`, `&&`),
// nested classes and `\q{...}` become lookaheads, non-capturing groups and alternations, and
// characters `v` requires to be escaped inside a class are rejected as `v` rejects them. Not
// translated (the pattern is rejected with a TypeError): strings (`\q{}`) inside an intersection
// or a subtraction. With `ignoreCase`, a complemented class may fold case slightly differently
// than `vi` would. On an engine with `v`, patterns are used as the standard says.
//
// Loads after 12_urlpattern_parser.js; adds its functions to `internals.urlpattern.syntax`.
'use strict';

const {
  ArrayPrototypePush, ArrayPrototypeSort, RegExp, RegExpPrototypeExec, StringPrototypeCharCodeAt,
  StringPrototypeCodePointAt, StringPrototypeIndexOf, StringPrototypeSlice, SyntaxError,
} = primordials;
const {
  escapeRegexpString, generateSegmentWildcardRegexp, isValidNameCodePoint,
  FULL_WILDCARD_REGEXP_VALUE, partTypes, modifiers,
} = internals.urlpattern.syntax;
const { FIXED_TEXT, REGEXP: PART_REGEXP, SEGMENT_WILDCARD, FULL_WILDCARD } = partTypes;
const { NONE, OPTIONAL, ZERO_OR_MORE, ONE_OR_MORE } = modifiers;

// https://urlpattern.spec.whatwg.org/#escape-a-pattern-string
const patternSpecialPattern = /[+*?:{}()\\]/;
function escapePatternString(input) {
  if (RegExpPrototypeExec(patternSpecialPattern, input) === null) return input;
  let result = '';
  for (let i = 0; i < input.length; i++) {
    const c = input[i];
    if (RegExpPrototypeExec(patternSpecialPattern, c) !== null) result += '\\';
    result += c;
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// `v` flag syntax in `u` mode (see the top of the file)

const kHasUnicodeSets = (() => {
  try {
    new RegExp('', 'v');
    return true;
  } catch {
    return false;
  }
})();
const kClassSetSyntaxCharacters = '()[]{}/-\\|';
const kReservedDoublePunctuators = '&!#$%*+,.:;<=>?@^`~';
const kReservedPunctuators = '&-!#%,:;<=>@`~';

// Parses `v`-mode character classes. A class translates to { body, atom, strings }: `body` is
// the inside of an equivalent `u`-mode class when one exists (null otherwise), `atom` a `u`-mode
// expression matching one element of the set, `strings` whether it may match a string.
class UnicodeSetsTranslator {
  constructor(source) {
    this.s = source;
    this.i = 0;
  }

  fail() { throw new SyntaxError(`invalid character class in /${this.s}/v`); }
  peek(k = 0) { return this.s[this.i + k]; }

  translate() {
    const s = this.s;
    let out = '';
    while (this.i < s.length) {
      const c = s[this.i];
      if (c === '\\') {
        out += StringPrototypeSlice(s, this.i, this.i + 2);
        this.i += 2;
      } else if (c === '[') {
        this.i++;
        out += this.parseClass().atom;
      } else {
        out += c;
        this.i++;
      }
    }
    return out;
  }

  // After "[": the class up to and including its "]".
  parseClass() {
    const negated = this.peek() === '^';
    if (negated) this.i++;
    const r = this.parseClassContents();
    if (this.peek() !== ']') this.fail();
    this.i++;
    if (!negated) return r;
    if (r.strings) this.fail();
    if (r.body !== null) return { body: null, atom: `[^${r.body}]`, strings: false };
    return { body: null, atom: `(?:(?!${r.atom})[^])`, strings: false };
  }

  parseClassContents() {
    if (this.peek() === ']') return { body: '', atom: '[]', strings: false };
    const first = this.parseOperand(true);
    const op = this.peek();
    if ((op === '&' || op === '-') && this.peek(1) === op) {
      // ClassIntersection / ClassSubtraction: one element of the first operand, (not) in the rest.
      if (first.range || first.strings) this.fail();
      let assertions = '';
      while (this.peek() === op && this.peek(1) === op) {
        this.i += 2;
        if (op === '&' && this.peek() === '&') this.fail();
        const operand = this.parseOperand(false);
        if (operand.strings) this.fail();
        assertions += `${op === '&' ? '(?=' : '(?!'}${operand.atom})`;
      }
      return { body: null, atom: `(?:${assertions}${first.atom})`, strings: false };
    }
    // ClassUnion.
    let body = '';
    const alternatives = [];
    const strings = [];
    let item = first;
    for (;;) {
      if (item.strings && item.list !== undefined) {
        for (let k = 0; k < item.list.length; k++) ArrayPrototypePush(strings, item.list[k]);
      } else if (item.body !== null) {
        body += item.body;
      } else {
        ArrayPrototypePush(alternatives, item.atom);
      }
      if (this.peek() === ']' || this.peek() === undefined) break;
      item = this.parseOperand(true);
    }
    if (alternatives.length === 0 && strings.length === 0) {
      return { body, atom: `[${body}]`, strings: false };
    }
    // Longest strings first, as `v` matches them.
    ArrayPrototypeSort(strings, (a, b) => b.length - a.length);
    let atom = '';
    for (let k = 0; k < strings.length; k++) atom += `${strings[k]}|`;
    for (let k = 0; k < alternatives.length; k++) atom += `${alternatives[k]}|`;
    atom = body === '' ? StringPrototypeSlice(atom, 0, -1) : `${atom}[${body}]`;
    return { body: null, atom: `(?:${atom})`, strings: strings.length > 0 };
  }

  // A ClassSetOperand, or (with allowRange) a ClassSetRange.
  parseOperand(allowRange) {
    const c = this.peek();
    if (c === undefined) this.fail();
    if (c === '[') {
      this.i++;
      return this.parseClass();
    }
    if (c === '\\') {
      const d = this.peek(1);
      if (d !== undefined && StringPrototypeIndexOf('dDsSwW', d) !== -1) {
        this.i += 2;
        return { body: `\\${d}`, atom: `[\\${d}]`, strings: false };
      }
      if (d === 'p' || d === 'P') {
        const end = StringPrototypeIndexOf(this.s, '}', this.i);
        if (this.peek(2) !== '{' || end === -1) this.fail();
        const text = StringPrototypeSlice(this.s, this.i, end + 1);
        this.i = end + 1;
        return { body: text, atom: `[${text}]`, strings: false };
      }
      if (d === 'q') return this.parseStringDisjunction();
    }
    const ch = this.parseClassSetCharacter();
    if (allowRange && this.peek() === '-' && this.peek(1) !== '-') {
      this.i++;
      const to = this.parseClassSetCharacter();
      return { body: `${ch}-${to}`, atom: `[${ch}-${to}]`, strings: false, range: true };
    }
    return { body: ch, atom: `[${ch}]`, strings: false };
  }

  // "\q{a|bc}": alternatives of strings, each character as a one-element class.
  parseStringDisjunction() {
    this.i += 2;
    if (this.peek() !== '{') this.fail();
    this.i++;
    const list = [];
    let current = '';
    for (;;) {
      const c = this.peek();
      if (c === undefined) this.fail();
      if (c === '}' || c === '|') {
        this.i++;
        ArrayPrototypePush(list, current);
        current = '';
        if (c === '}') break;
        continue;
      }
      current += `[${this.parseClassSetCharacter()}]`;
    }
    let atom = list[0];
    for (let k = 1; k < list.length; k++) atom += `|${list[k]}`;
    return { body: null, atom: `(?:${atom})`, strings: true, list };
  }

  // A ClassSetCharacter, as the text of one `u`-mode class element.
  parseClassSetCharacter() {
    const c = this.peek();
    if (c === undefined) this.fail();
    if (c === '\\') {
      const d = this.peek(1);
      if (d === undefined || StringPrototypeIndexOf('dDsSwWpPq', d) !== -1) this.fail();
      let length = 2;
      if (StringPrototypeIndexOf(kReservedPunctuators, d) !== -1) {
        this.i += 2;
        return d === '-' ? '\\-' : d;
      }
      if (d === 'x') length = 4;
      else if (d === 'c') length = 3;
      else if (d === 'u') {
        const close = StringPrototypeIndexOf(this.s, '}', this.i);
        length = this.peek(2) === '{' ? close + 1 - this.i : 6;
        if (length <= 0) this.fail();
      }
      const text = StringPrototypeSlice(this.s, this.i, this.i + length);
      this.i += length;
      return text;
    }
    if (StringPrototypeIndexOf(kClassSetSyntaxCharacters, c) !== -1) this.fail();
    if (this.peek(1) === c && StringPrototypeIndexOf(kReservedDoublePunctuators, c) !== -1) {
      this.fail();
    }
    this.i++;
    return c === '^' ? '\\^' : c;
  }
}

function regexpSourceFor(value) {
  if (kHasUnicodeSets || StringPrototypeIndexOf(value, '[') === -1) return value;
  return new UnicodeSetsTranslator(value).translate();
}

// https://urlpattern.spec.whatwg.org/#convert-a-modifier-to-a-string
function modifierToString(modifier) {
  switch (modifier) {
    case ZERO_OR_MORE: return '*';
    case OPTIONAL: return '?';
    case ONE_OR_MORE: return '+';
    default: return '';
  }
}

// https://urlpattern.spec.whatwg.org/#generate-a-regular-expression-and-name-list, for the
// flags in `regexpFlags` (custom regexp groups are translated when that is "u").
function generateRegularExpressionAndNameList(parts, options) {
  let result = '^';
  const names = [];
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    const modifier = modifierToString(part.modifier);
    if (part.type === FIXED_TEXT) {
      if (part.modifier === NONE) result += escapeRegexpString(part.value);
      else result += `(?:${escapeRegexpString(part.value)})${modifier}`;
      continue;
    }
    ArrayPrototypePush(names, part.name);
    let regexpValue;
    if (part.type === SEGMENT_WILDCARD) regexpValue = generateSegmentWildcardRegexp(options);
    else if (part.type === FULL_WILDCARD) regexpValue = FULL_WILDCARD_REGEXP_VALUE;
    else regexpValue = regexpSourceFor(part.value);
    const prefix = escapeRegexpString(part.prefix);
    const suffix = escapeRegexpString(part.suffix);
    if (prefix === '' && suffix === '') {
      if (part.modifier === NONE || part.modifier === OPTIONAL) {
        result += `(${regexpValue})${modifier}`;
      } else {
        result += `((?:${regexpValue})${modifier})`;
      }
      continue;
    }
    if (part.modifier === NONE || part.modifier === OPTIONAL) {
      result += `(?:${prefix}(${regexpValue})${suffix})${modifier}`;
      continue;
    }
    // Repeating with a prefix or suffix: the prefix is excluded before the first repetition and
    // the suffix after the last one.
    result += `(?:${prefix}((?:${regexpValue})(?:${suffix}${prefix}(?:${regexpValue}))*)` +
              `${suffix})`;
    if (part.modifier === ZERO_OR_MORE) result += '?';
  }
  result += '$';
  return { regexpString: result, names };
}

function isASCIIDigitAt(s, i) {
  const c = StringPrototypeCharCodeAt(s, i);
  return c >= 0x30 && c <= 0x39;
}

// https://urlpattern.spec.whatwg.org/#generate-a-pattern-string
function generatePatternString(parts, options) {
  let result = '';
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    const previousPart = i > 0 ? parts[i - 1] : null;
    const nextPart = i < parts.length - 1 ? parts[i + 1] : null;
    if (part.type === FIXED_TEXT) {
      if (part.modifier === NONE) {
        result += escapePatternString(part.value);
      } else {
        result += `{${escapePatternString(part.value)}}${modifierToString(part.modifier)}`;
      }
      continue;
    }
    const customName = !isASCIIDigitAt(part.name, 0);
    let needsGrouping =
        part.suffix !== '' || (part.prefix !== '' && part.prefix !== options.prefix);
    if (!needsGrouping && customName && part.type === SEGMENT_WILDCARD && part.modifier === NONE &&
        nextPart !== null && nextPart.prefix === '' && nextPart.suffix === '') {
      if (nextPart.type === FIXED_TEXT) {
        needsGrouping = nextPart.value !== '' &&
                        isValidNameCodePoint(StringPrototypeCodePointAt(nextPart.value, 0), false);
      } else {
        needsGrouping = isASCIIDigitAt(nextPart.name, 0);
      }
    }
    if (!needsGrouping && part.prefix === '' && previousPart !== null &&
        previousPart.type === FIXED_TEXT && previousPart.value !== '' &&
        previousPart.value[previousPart.value.length - 1] === options.prefix) {
      needsGrouping = true;
    }
    if (needsGrouping) result += '{';
    result += escapePatternString(part.prefix);
    if (customName) result += `:${part.name}`;
    if (part.type === PART_REGEXP) {
      result += `(${part.value})`;
    } else if (part.type === SEGMENT_WILDCARD && !customName) {
      result += `(${generateSegmentWildcardRegexp(options)})`;
    } else if (part.type === FULL_WILDCARD) {
      if (!customName && (previousPart === null || previousPart.type === FIXED_TEXT ||
                          previousPart.modifier !== NONE || needsGrouping || part.prefix !== '')) {
        result += '*';
      } else {
        result += `(${FULL_WILDCARD_REGEXP_VALUE})`;
      }
    }
    if (part.type === SEGMENT_WILDCARD && customName && part.suffix !== '' &&
        isValidNameCodePoint(StringPrototypeCodePointAt(part.suffix, 0), false)) {
      result += '\\';
    }
    result += escapePatternString(part.suffix);
    if (needsGrouping) result += '}';
    result += modifierToString(part.modifier);
  }
  return result;
}


// URLPattern.compareComponent (WPT urlpattern-compare.tentative.any.js; Chromium's ordering, not
// yet in the standard): part lists compare part by part, a missing part as empty fixed text.
// Fixed text > regexp > segment wildcard > full wildcard; then modifier none > one-or-more >
// optional > zero-or-more; then prefix, value and suffix as strings. Names do not matter.
const kPartTypeRank = {
  __proto__: null, [FULL_WILDCARD]: 0, [SEGMENT_WILDCARD]: 1, [PART_REGEXP]: 2, [FIXED_TEXT]: 3,
};
const kModifierRank = {
  __proto__: null, [ZERO_OR_MORE]: 0, [OPTIONAL]: 1, [ONE_OR_MORE]: 2, [NONE]: 3,
};
const kEmptyFixedPart = {
  __proto__: null, type: FIXED_TEXT, value: '', modifier: NONE, prefix: '', suffix: '',
};

function compareStrings(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareParts(left, right) {
  const typeOrder = kPartTypeRank[left.type] - kPartTypeRank[right.type];
  if (typeOrder !== 0) return typeOrder < 0 ? -1 : 1;
  const modifierOrder = kModifierRank[left.modifier] - kModifierRank[right.modifier];
  if (modifierOrder !== 0) return modifierOrder < 0 ? -1 : 1;
  return compareStrings(left.prefix, right.prefix) || compareStrings(left.value, right.value) ||
         compareStrings(left.suffix, right.suffix);
}

function comparePartLists(left, right) {
  const length = left.length > right.length ? left.length : right.length;
  for (let i = 0; i < length; i++) {
    const order = compareParts(i < left.length ? left[i] : kEmptyFixedPart,
                               i < right.length ? right[i] : kEmptyFixedPart);
    if (order !== 0) return order;
  }
  return 0;
}


internals.urlpattern.addSyntax({
  __proto__: null,
  generateRegularExpressionAndNameList,
  generatePatternString,
  escapePatternString,
  comparePartLists,
  regexpFlags: kHasUnicodeSets ? 'v' : 'u',
});
