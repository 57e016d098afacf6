// hello: the smallest possible Worker. Measures the fixed per-request cost of the runtime's HTTP
// path (parse request, call fetch, build and write a tiny response).
export default {
  async fetch(request, env, ctx) {
    return new Response('Hello World!', {
      headers: { 'content-type': 'text/plain;charset=UTF-8' },
    });
  },
};
