// WebAssembly in pactown-run: compiling and instantiating from bytes (sync and async), errors,
// memory, and `.wasm` imports through the module loader (a WebAssembly.Module, as on Cloudflare).
// The module is fixtures/wasm/calc.wasm, whose bytes fixtures/wasm/calc_wasm.js builds by hand.
//
// Differences from Cloudflare, on purpose: Cloudflare forbids compiling Wasm from bytes at run
// time (workerd ties it to eval); pactown-run allows it. WebAssembly.compileStreaming and
// instantiateStreaming do not exist in workerd, and do not exist here either.
import assert from 'node:assert';
import calcModule from './fixtures/wasm/calc.wasm';
import { calcWasmBytes } from './fixtures/wasm/calc_wasm.js';

const imports = () => ({ env: { double: (x) => x * 2 } });


function checkCalcInstance(instance) {
  assert.ok(instance instanceof WebAssembly.Instance);
  const { add, addThenDouble, trap, mem } = instance.exports;
  assert.strictEqual(add(2, 3), 5);
  assert.strictEqual(add(0x7fffffff, 1), -0x80000000);  // i32 wraps
  assert.strictEqual(addThenDouble(2, 3), 10);
  assert.ok(mem instanceof WebAssembly.Memory);
  assert.strictEqual(mem.buffer.byteLength, 65536);
  assert.throws(() => trap(), WebAssembly.RuntimeError);
}

export const instantiateFromBytes = {
  async test() {
    const result = await WebAssembly.instantiate(calcWasmBytes(), imports());
    assert.ok(result.module instanceof WebAssembly.Module);
    checkCalcInstance(result.instance);
    // An ArrayBuffer works as well as a view.
    const fromBuffer = await 
        WebAssembly.instantiate(calcWasmBytes().buffer, imports());
    checkCalcInstance(fromBuffer.instance);
  },
};

export const compileThenInstantiate = {
  async test() {
    const module = await WebAssembly.compile(calcWasmBytes());
    assert.ok(module instanceof WebAssembly.Module);
    // instantiate(module) resolves to an Instance, not to { module, instance }.
    const instance = await WebAssembly.instantiate(module, imports());
    checkCalcInstance(instance);
  },
};

export const synchronousModuleAndInstance = {
  async test() {
    const module = new WebAssembly.Module(calcWasmBytes());
    assert.deepStrictEqual(WebAssembly.Module.exports(module), [
      { name: 'mem', kind: 'memory' },
      { name: 'add', kind: 'function' },
      { name: 'addThenDouble', kind: 'function' },
      { name: 'trap', kind: 'function' },
    ]);
    assert.deepStrictEqual(WebAssembly.Module.imports(module),
                           [{ module: 'env', name: 'double', kind: 'function' }]);
    const instance = new WebAssembly.Instance(module, imports());
    checkCalcInstance(instance);
    // Memory is shared with JavaScript.
    new Uint8Array(instance.exports.mem.buffer)[7] = 42;
    assert.strictEqual(new Uint8Array(instance.exports.mem.buffer)[7], 42);
    assert.strictEqual(instance.exports.mem.grow(1), 1);
    assert.strictEqual(instance.exports.mem.buffer.byteLength, 2 * 65536);
  },
};

export const validateAndErrors = {
  async test() {
    assert.strictEqual(WebAssembly.validate(calcWasmBytes()), true);
    assert.strictEqual(WebAssembly.validate(new Uint8Array([0, 0x61, 0x73, 0x6d])), false);
    const garbage = new Uint8Array([1, 2, 3, 4]);
    assert.throws(() => new WebAssembly.Module(garbage), WebAssembly.CompileError);
    await assert.rejects(WebAssembly.compile(garbage), WebAssembly.CompileError);
    await assert.rejects(WebAssembly.instantiate(garbage),
                         WebAssembly.CompileError);
    assert.throws(() => new WebAssembly.Module('not bytes'), TypeError);
    const module = new WebAssembly.Module(calcWasmBytes());
    // A missing import namespace is a TypeError; a missing or mistyped import a LinkError.
    assert.throws(() => new WebAssembly.Instance(module, {}), TypeError);
    assert.throws(() => new WebAssembly.Instance(module, { env: {} }), WebAssembly.LinkError);
    assert.throws(() => new WebAssembly.Instance(module, { env: { double: 1 } }),
                  WebAssembly.LinkError);
    await assert.rejects(WebAssembly.instantiate(module, { env: {} }),
                         WebAssembly.LinkError);
    // A trap in an imported JavaScript function propagates as that exception.
    const throwing = new WebAssembly.Instance(module, {
      env: { double() { throw new RangeError('from js'); } },
    });
    assert.throws(() => throwing.exports.addThenDouble(1, 1), RangeError);
  },
};

export const moduleLoaderImport = {
  async test() {
    // `import x from './x.wasm'` gives a compiled WebAssembly.Module, as on Cloudflare.
    assert.ok(calcModule instanceof WebAssembly.Module);
    assert.deepStrictEqual(WebAssembly.Module.exports(calcModule),
                           WebAssembly.Module.exports(new WebAssembly.Module(calcWasmBytes())));
    checkCalcInstance(new WebAssembly.Instance(calcModule, imports()));
    checkCalcInstance(await WebAssembly.instantiate(calcModule, imports()));
    // Dynamic import works the same way and yields the same module record.
    const again = await import('./fixtures/wasm/calc.wasm');
    assert.strictEqual(again.default, calcModule);
  },
};

export const noStreamingCompilation = {
  async test() {
    // As in workerd: no compileStreaming/instantiateStreaming.
    assert.strictEqual(typeof WebAssembly.compileStreaming, 'undefined');
    assert.strictEqual(typeof WebAssembly.instantiateStreaming, 'undefined');
  },
};

// Records how long an async compile takes when nothing else keeps the loop busy (only a long
// timer keeps it alive). It must finish; it is slow while the runtime does not wake the loop for
// V8 platform tasks (then it waits for the 500 ms idle pump), which is reported, not failed.
// Nothing but the compile keeps the loop busy: its completion (a V8 platform task posted from a
// background thread) must wake the loop.
export const asyncCompileWakesTheLoop = {
  async test() {
    const module = await WebAssembly.compile(calcWasmBytes());
    assert.ok(module instanceof WebAssembly.Module);
    const { instance } = await WebAssembly.instantiate(calcWasmBytes(), imports());
    assert.strictEqual(typeof instance.exports, 'object');
  },
};
