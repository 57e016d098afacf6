// async: a request that hops through several awaits (resolved promises, an async helper, a
// queueMicrotask) and one setTimeout(0) macrotask before answering. Measures the cost of the
// runtime's event-loop round trips inside a request.
async function step(value) {
  await null;
  return value + 1;
}

export default {
  async fetch(request, env, ctx) {
    let n = 0;
    n = await step(n);
    n = await Promise.resolve(n + 1);
    n = await new Promise((resolve) => queueMicrotask(() => resolve(n + 1)));
    n = await new Promise((resolve) => setTimeout(() => resolve(n + 1), 0));
    n = await step(n);
    const [a, b] = await Promise.all([step(n), step(n + 1)]);
    return new Response(JSON.stringify({ steps: n, a, b }), {
      headers: { 'content-type': 'application/json' },
    });
  },
};
