// Bun adapter: serves an unmodified ES-module Worker with Bun.serve. Environment: BENCH_WORKER
// (absolute path), BENCH_HOST, BENCH_PORT. env and ctx are the same minimal objects every adapter
// passes.
const worker = (await import(process.env.BENCH_WORKER)).default;
const env = { GREETING: 'hello' };
const ctx = {
  waitUntil(promise) {
    Promise.resolve(promise).catch(() => {});
  },
  passThroughOnException() {},
};

Bun.serve({
  hostname: process.env.BENCH_HOST || '127.0.0.1',
  port: Number(process.env.BENCH_PORT || 8787),
  development: false,
  fetch(request) {
    return worker.fetch(request, env, ctx);
  },
});
