// A small JSON API: routing on the URL path, JSON in and out.
//   GET  /api/hello        -> {"hello":"world"}
//   POST /api/echo         -> the JSON body back, with a received-at timestamp
//   GET  /api/greet?name=x -> {"greeting":"Hello, x!"} (GREETING from [vars])
export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    if (request.method === 'GET' && url.pathname === '/api/hello') {
      return Response.json({ hello: 'world' });
    }
    if (request.method === 'GET' && url.pathname === '/api/greet') {
      const name = url.searchParams.get('name') ?? 'stranger';
      return Response.json({ greeting: `${env.GREETING}, ${name}!` });
    }
    if (request.method === 'POST' && url.pathname === '/api/echo') {
      let body;
      try {
        body = await request.json();
      } catch {
        return Response.json({ error: 'body must be JSON' }, { status: 400 });
      }
      return Response.json({ received: body, at: new Date().toISOString() });
    }
    return Response.json({ error: 'not found' }, { status: 404 });
  },
};
