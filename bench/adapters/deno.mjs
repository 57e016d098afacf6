// Deno adapter for `deno serve`: re-exports an unmodified ES-module Worker as `export default
// { fetch }`, calling it with the same minimal env and ctx every adapter passes. Environment:
// BENCH_WORKER (absolute path). Host and port come from `deno serve --host/--port`.
const worker = (await import(`file://${Deno.env.get('BENCH_WORKER')}`)).default;
const env = { GREETING: 'hello' };
const ctx = {
  waitUntil(promise) {
    Promise.resolve(promise).catch(() => {});
  },
  passThroughOnException() {},
};

export default {
  fetch(request) {
    return worker.fetch(request, env, ctx);
  },
};
