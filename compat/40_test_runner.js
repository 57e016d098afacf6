// `pactown-run --test file.js`: runs every export of a test module that has a test() method, the
// way workerd runs .wd-test files, and prints one line per test plus "N passed, N failed".
'use strict';

const { ObjectKeys, SafeArrayIterator } = primordials;

async function run(namespace) {
  const env = internals.dispatch.env();
  let passed = 0;
  let failed = 0;
  const write = (s) => ops.writeText(`${s}\n`, false);
  for (const name of new SafeArrayIterator(ObjectKeys(namespace))) {
    const entry = namespace[name];
    if (entry == null || typeof entry.test !== 'function') continue;
    const ctx = internals.workers.newContext();
    const start = ops.hrtimeMs();
    try {
      await entry.test({ scheduledTime: Date.now(), cron: '' }, env, ctx);
      passed++;
      write(`[ PASS ] ${name} (${(ops.hrtimeMs() - start).toFixed(1)} ms)`);
    } catch (e) {
      failed++;
      const text = internals.console ? internals.console.inspect(e) : `${e?.stack ?? e}`;
      write(`[ FAIL ] ${name}\n${text}`);
    }
  }
  write(`${passed} passed, ${failed} failed`);
  return failed === 0 && passed > 0 ? 0 : 1;
}

internals.testRunner = { run };

// Test-only globals (installed by `--test`, never when serving): read fixture files and env vars.
internals.testRunner.installTestGlobals = () => {
  internals.defineGlobals({
    __pt_readFile: (path) => ops.readFileUtf8(`${path}`),
    __pt_env: (name) => ops.getEnv(`${name}`),
  });
};
