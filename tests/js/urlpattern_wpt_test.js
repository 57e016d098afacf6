// Data-driven web-platform-tests for URLPattern, run inside pactown-run (`--test` mode): every
// entry of urlpattern/resources/urlpatterntestdata.json, checked the way WPT's
// urlpattern/resources/urlpatterntests.js checks it (component pattern strings, test(), exec()
// inputs and per-component results, TypeErrors).
// The data is read at run time from $PT_SHARED/wpt-data/urlpattern/resources/ (or
// third_party/wpt/urlpattern/resources/ in the source tree); WPT files are never committed here.
// An entry fails the test unless it is listed in KNOWN_FAILURES with the reason; a listed entry
// that passes is only reported.
import assert from 'node:assert';

// Keyed by the WPT subtest name. Empty: every entry passes.
const KNOWN_FAILURES = new Map([]);

function readData(name) {
  const candidates = [];
  const shared = globalThis.__pt_env('PT_SHARED');
  if (shared) candidates.push(`${shared}/wpt-data/urlpattern/resources/${name}`);
  const source = globalThis.__pt_env('PT_SOURCE_DIR');
  if (source) candidates.push(`${source}/third_party/wpt/urlpattern/resources/${name}`);
  candidates.push(`third_party/wpt/urlpattern/resources/${name}`,
                  `../third_party/wpt/urlpattern/resources/${name}`);
  for (const path of candidates) {
    let text;
    try {
      text = globalThis.__pt_readFile(path);
    } catch {
      continue;
    }
    return JSON.parse(text);
  }
  throw new Error(`WPT data ${name} not found (tried ${candidates.join(', ')}); set PT_SHARED`);
}

const kComponents = [
  'protocol', 'username', 'password', 'hostname', 'port', 'password', 'pathname', 'search', 'hash',
];

const EARLIER_COMPONENTS = {
  protocol: [],
  hostname: ['protocol'],
  port: ['protocol', 'hostname'],
  username: [],
  password: [],
  pathname: ['protocol', 'hostname', 'port'],
  search: ['protocol', 'hostname', 'port', 'pathname'],
  hash: ['protocol', 'hostname', 'port', 'pathname', 'search'],
};

function fail(message) {
  throw new Error(message);
}

function eq(actual, expected, what) {
  if (!Object.is(actual, expected)) {
    fail(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  }
}

function throwsTypeError(fn, what) {
  try {
    fn();
  } catch (e) {
    if (e instanceof TypeError) return;
    fail(`${what}: threw ${e}, expected a TypeError`);
  }
  fail(`${what}: did not throw`);
}

// testharness.js assert_object_equals: same own enumerable keys, values equal, recursively.
function objectEquals(actual, expected, what) {
  if (typeof actual !== 'object' || actual === null) fail(`${what}: not an object`);
  for (const p in actual) {
    if (!Object.prototype.hasOwnProperty.call(expected, p)) fail(`${what}: unexpected key "${p}"`);
    if (typeof actual[p] === 'object' && actual[p] !== null) {
      objectEquals(actual[p], expected[p], `${what}.${p}`);
    } else {
      eq(actual[p], expected[p], `${what}.${p}`);
    }
  }
  for (const p in expected) {
    if (!Object.prototype.hasOwnProperty.call(actual, p)) fail(`${what}: missing key "${p}"`);
  }
}

function expectedComponent(entry, component) {
  if (entry.exactly_empty_components && entry.exactly_empty_components.includes(component)) {
    return '';
  }
  let baseURL = null;
  if (entry.pattern.length > 0 && entry.pattern[0].baseURL) {
    baseURL = new URL(entry.pattern[0].baseURL);
  } else if (entry.pattern.length > 1 && typeof entry.pattern[1] === 'string') {
    baseURL = new URL(entry.pattern[1]);
  }
  if (typeof entry.pattern[0] === 'object' && entry.pattern[0][component]) {
    return entry.pattern[0][component];
  }
  if (typeof entry.pattern[0] === 'object' &&
      EARLIER_COMPONENTS[component].some((c) => c in entry.pattern[0])) {
    return '*';
  }
  if (baseURL && component !== 'username' && component !== 'password') {
    let value = baseURL[component];
    if (component === 'protocol') value = value.substring(0, value.length - 1);
    else if (component === 'search' || component === 'hash') value = value.substring(1);
    return value;
  }
  return '*';
}

function runEntry(entry) {
  if (entry.expected_obj === 'error') {
    throwsTypeError(() => new URLPattern(...entry.pattern), 'URLPattern() constructor');
    return;
  }
  const pattern = new URLPattern(...entry.pattern);
  const expectedObj = entry.expected_obj || {};
  for (const component of kComponents) {
    let expected = expectedObj[component];
    if (expected === undefined) expected = expectedComponent(entry, component);
    eq(pattern[component], expected, `compiled pattern property '${component}'`);
  }
  if (entry.expected_match === 'error') {
    throwsTypeError(() => pattern.test(...entry.inputs), 'test() result');
    throwsTypeError(() => pattern.exec(...entry.inputs), 'exec() result');
    return;
  }
  eq(pattern.test(...entry.inputs), !!entry.expected_match, 'test() result');
  const execResult = pattern.exec(...entry.inputs);
  if (!entry.expected_match || typeof entry.expected_match !== 'object') {
    eq(execResult, entry.expected_match, 'exec() failed match result');
    return;
  }
  const expectedMatch = entry.expected_match;
  const expectedInputs = expectedMatch.inputs || entry.inputs;
  eq(execResult.inputs.length, expectedInputs.length, 'exec() result.inputs.length');
  for (let i = 0; i < execResult.inputs.length; i++) {
    const input = execResult.inputs[i];
    if (typeof input === 'string') {
      eq(input, expectedInputs[i], `exec() result.inputs[${i}]`);
      continue;
    }
    for (const component of kComponents) {
      eq(input[component], expectedInputs[i][component],
         `exec() result.inputs[${i}][${component}]`);
    }
  }
  for (const component of kComponents) {
    let expected = expectedMatch[component];
    if (!expected) {
      expected = { input: '', groups: {} };
      if (!entry.exactly_empty_components ||
          !entry.exactly_empty_components.includes(component)) {
        expected.groups['0'] = '';
      }
    }
    const groups = {};
    for (const key in expected.groups) {
      groups[key] = expected.groups[key] === null ? undefined : expected.groups[key];
    }
    objectEquals(execResult[component], { input: expected.input, groups },
                 `exec() result for ${component}`);
  }
}

export const urlpatterntestdata = {
  async test() {
    const data = readData('urlpatterntestdata.json');
    const unexpected = [];
    const nowPassing = [];
    let passed = 0;
    for (const entry of data) {
      const name = `Pattern: ${JSON.stringify(entry.pattern)} ` +
                   `Inputs: ${JSON.stringify(entry.inputs)}`;
      let error = null;
      try {
        runEntry(entry);
      } catch (e) {
        error = e;
      }
      if (error === null) {
        passed++;
        if (KNOWN_FAILURES.has(name)) nowPassing.push(name);
      } else if (!KNOWN_FAILURES.has(name)) {
        unexpected.push(`${name}\n    ${error && error.message}`);
      }
    }
    console.log(`urlpatterntestdata.json: ${passed}/${data.length} entries pass` +
                (KNOWN_FAILURES.size ? `, ${KNOWN_FAILURES.size} known failures` : ''));
    assert.ok(data.length > 300, 'the data file looks truncated');
    if (nowPassing.length > 0) {
      console.log(`known failures that now pass:\n  ${nowPassing.join('\n  ')}`);
    }
    if (unexpected.length > 0) {
      assert.fail(`${unexpected.length} unexpected failures:\n  ${unexpected.join('\n  ')}`);
    }
  },
};
