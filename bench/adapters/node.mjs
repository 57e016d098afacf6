// Node.js adapter: serves an unmodified ES-module Worker (`export default { fetch }`) with
// node:http and Node's global Request/Response. Environment: BENCH_WORKER (absolute path to the
// worker file), BENCH_HOST, BENCH_PORT. env and ctx are the same minimal objects every adapter
// passes.
import http from 'node:http';
import { once } from 'node:events';
import { pathToFileURL } from 'node:url';

const host = process.env.BENCH_HOST || '127.0.0.1';
const port = Number(process.env.BENCH_PORT || 8787);
const worker = (await import(pathToFileURL(process.env.BENCH_WORKER).href)).default;
const env = { GREETING: 'hello' };
const ctx = {
  waitUntil(promise) {
    Promise.resolve(promise).catch(() => {});
  },
  passThroughOnException() {},
};

async function readBody(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return Buffer.concat(chunks);
}

async function handle(req, res) {
  const headers = new Headers();
  const raw = req.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) headers.append(raw[i], raw[i + 1]);
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
  const request = new Request(`http://${req.headers.host || `${host}:${port}`}${req.url}`, {
    method: req.method,
    headers,
    body: hasBody ? await readBody(req) : null,
  });
  const response = await worker.fetch(request, env, ctx);
  const out = [];
  for (const [name, value] of response.headers) {
    if (name !== 'set-cookie') out.push(name, value);
  }
  for (const cookie of response.headers.getSetCookie()) out.push('set-cookie', cookie);
  if (response.body === null || req.method === 'HEAD') {
    res.writeHead(response.status, response.statusText || undefined, out);
    res.end();
    return;
  }
  const reader = response.body.getReader();
  const first = await reader.read();
  const second = first.done ? first : await reader.read();
  if (second.done) {
    // Whole body in one chunk: send it with a Content-Length, as most Node adapters do.
    const bytes = first.done ? new Uint8Array(0) : first.value;
    if (!response.headers.has('content-length')) {
      out.push('content-length', String(bytes.byteLength));
    }
    res.writeHead(response.status, response.statusText || undefined, out);
    res.end(bytes);
    return;
  }
  res.writeHead(response.status, response.statusText || undefined, out);
  if (!res.write(first.value)) await once(res, 'drain');
  let next = second;
  while (!next.done) {
    if (!res.write(next.value)) await once(res, 'drain');
    next = await reader.read();
  }
  res.end();
}

const server = http.createServer((req, res) => {
  handle(req, res).catch((error) => {
    console.error(error);
    if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
    res.end('Internal Server Error');
  });
});
server.keepAliveTimeout = 60_000;
server.listen(port, host);
process.on('SIGTERM', () => process.exit(0));
