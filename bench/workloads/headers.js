// headers: reads request headers and the query string, echoes them as JSON and sets several
// response headers. Exercises Headers, URL/URLSearchParams and env.
export default {
  async fetch(request, env, ctx) {
    const url = new URL(request.url);
    const query = {};
    for (const [key, value] of url.searchParams) query[key] = value;
    const seen = {};
    for (const [name, value] of request.headers) {
      if (name.startsWith('x-')) seen[name] = value;
    }
    const body = {
      method: request.method,
      path: url.pathname,
      query,
      userAgent: request.headers.get('user-agent'),
      accept: request.headers.get('accept'),
      headers: seen,
      greeting: env.GREETING || null,
    };
    const headers = new Headers({
      'content-type': 'application/json;charset=UTF-8',
      'cache-control': 'private, max-age=0, no-store',
      'x-request-id': request.headers.get('x-request-id') || 'none',
      'x-query-count': String(Object.keys(query).length),
      vary: 'Accept, X-Client',
    });
    headers.append('set-cookie', 'session=abc123; Path=/; HttpOnly');
    headers.append('set-cookie', 'theme=dark; Path=/');
    return new Response(JSON.stringify(body), { headers });
  },
};
