// Service-worker syntax: bindings are globals, responses come through event.respondWith().
addEventListener('fetch', (event) => {
  event.respondWith(handle(event.request));
});

async function handle(request) {
  const url = new URL(request.url);
  return new Response(`Hello from a service worker at ${url.pathname} (${typeof MESSAGE === 'string' ? MESSAGE : 'no MESSAGE var'})`, {
    headers: { 'content-type': 'text/plain;charset=UTF-8' },
  });
}
