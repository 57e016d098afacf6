"""Workers KV end to end: tests/js/kv_test.js on the embedded store and on a real redis-server,
persistence across restarts, a Redis outage, concurrent requests, and expiry through the binding.

Needs redis-server on PATH for the Redis cases (skipped without it). Takes about a minute: the
real-time expiry check at the end waits for a 60-second TTL (Cloudflare's minimum) to run out.
"""
import concurrent.futures
import json
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import tempfile
import time
import unittest
import urllib.parse

from harness import BIN, SOURCE, Server, main, worker_file

KV_TEST = os.path.join(SOURCE, "tests", "js", "kv_test.js")
REDIS_SERVER = shutil.which("redis-server")
needs_redis = unittest.skipIf(REDIS_SERVER is None, "redis-server is not installed")

WORKER = r"""
const json = (v, status = 200) => new Response(JSON.stringify(v), { status });
export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const q = url.searchParams;
    const key = q.get('key');
    try {
      switch (url.pathname) {
        case '/put': {
          const options = {};
          if (q.has('ttl')) options.expirationTtl = Number(q.get('ttl'));
          if (q.has('meta')) options.metadata = JSON.parse(q.get('meta'));
          await env.MY_KV.put(key, q.get('value'), options);
          return new Response('ok');
        }
        case '/get': return json(await env.MY_KV.get(key));
        case '/meta': return json(await env.MY_KV.getWithMetadata(key));
        case '/bulk': return json(Object.fromEntries(await env.MY_KV.get(q.getAll('key'))));
        case '/delete': await env.MY_KV.delete(key); return new Response('ok');
        case '/rw': {
          await env.MY_KV.put(key, q.get('value'));
          return json(await env.MY_KV.get(key));
        }
        case '/list': {
          const names = [];
          let cursor;
          let pages = 0;
          do {
            const page = await env.MY_KV.list({ prefix: q.get('prefix') ?? '',
              limit: Number(q.get('limit') ?? 1000), cursor });
            names.push(...page.keys.map((k) => k.name));
            cursor = page.cursor;
            pages++;
          } while (cursor !== undefined);
          return json({ names, pages });
        }
      }
      return new Response('no such route', { status: 404 });
    } catch (e) {
      return new Response(`${e.constructor.name}: ${e.message}`, { status: 500 });
    }
  },
};
"""
CONFIG = '{"name": "kv-e2e", "kv_namespaces": [{"binding": "MY_KV", "id": "e2e-main"}]}'

# --test workers for the real-time expiry check: one writes keys with a 60 s TTL, one checks them.
TTL_PUT = r"""
export const put = { async test(ctrl, env) {
  await env.MY_KV.put('ttl/short', 'gone soon', { expirationTtl: 60, metadata: { m: 1 } });
  await env.MY_KV.put('ttl/long', 'stays', { expirationTtl: 3600 });
  if (await env.MY_KV.get('ttl/short') !== 'gone soon') throw new Error('not written');
} };
"""
TTL_CHECK = r"""
import assert from 'node:assert';
export const check = { async test(ctrl, env) {
  assert.strictEqual(await env.MY_KV.get('ttl/short'), null);
  assert.deepStrictEqual(await env.MY_KV.getWithMetadata('ttl/short'),
      { value: null, metadata: null, cacheStatus: null });
  assert.deepStrictEqual(await env.MY_KV.get(['ttl/short', 'ttl/long']),
      new Map([['ttl/short', null], ['ttl/long', 'stays']]));
  const { keys } = await env.MY_KV.list({ prefix: 'ttl/' });
  assert.deepStrictEqual(keys.map((k) => k.name), ['ttl/long']);
} };
"""
TTL_CONFIG = '{"kv_namespaces": [{"binding": "MY_KV", "id": "e2e-ttl"}]}'


TEMP_DIRS = []


def temp_dir(prefix):
    """A fresh directory, removed by tearDownModule (KV state and AOF files get large)."""
    d = tempfile.mkdtemp(prefix=prefix)
    TEMP_DIRS.append(d)
    return d


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Redis:
    """A redis-server of our own on a free loopback port, with an append-only file in a temp dir."""

    def __init__(self):
        self.dir = temp_dir("pt-kv-redis-")
        self.port = free_port()
        self.proc = None
        self.start()

    @property
    def url(self):
        return "redis://127.0.0.1:%d" % self.port

    def start(self):
        self.proc = subprocess.Popen(
            [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "yes", "--dir", self.dir, "--daemonize", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                if self.command("PING") == "PONG":
                    return
            except OSError:
                pass
            time.sleep(0.05)
        raise RuntimeError("redis-server did not start on port %d" % self.port)

    def kill(self):
        self.proc.kill()
        self.proc.wait()

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(10)

    def command(self, *args):
        """Sends one command; returns its reply if simple (status, error, integer, bulk string)."""
        out = b"*%d\r\n" % len(args)
        for a in args:
            a = a if isinstance(a, bytes) else str(a).encode()
            out += b"$%d\r\n%s\r\n" % (len(a), a)
        with socket.create_connection(("127.0.0.1", self.port), timeout=5) as s:
            s.sendall(out)
            buf = b""
            while b"\r\n" not in buf:
                chunk = s.recv(65536)
                if not chunk:
                    raise OSError("connection closed")
                buf += chunk
            line, rest = buf.split(b"\r\n", 1)
            kind, value = line[:1], line[1:].decode()
            if kind == b"-":
                raise RuntimeError(value)
            if kind == b":":
                return int(value)
            if kind == b"$":
                n = int(value)
                if n < 0:
                    return None
                while len(rest) < n + 2:
                    rest += s.recv(65536)
                return rest[:n].decode()
            return value


REDIS = None
MODULE_START = time.monotonic()
TTL_WRITTEN_AT = None
EMBEDDED_TTL_STATE = None


def ttl_worker(source):
    return kv_worker(source, "ttl_test.js", {"ttl_test.jsonc": TTL_CONFIG})


def kv_worker(source, name, extra):
    path = worker_file(source, name=name, extra=extra)
    TEMP_DIRS.append(os.path.dirname(path))
    return path


def run_test_worker(path, *args):
    r = subprocess.run([BIN, "--test", path, *args], capture_output=True, text=True, timeout=240)
    return r.returncode, r.stdout + r.stderr


def setUpModule():
    global REDIS, TTL_WRITTEN_AT, EMBEDDED_TTL_STATE
    EMBEDDED_TTL_STATE = temp_dir("pt-kv-ttl-state-")
    if REDIS_SERVER:
        REDIS = Redis()
    # Start the real-time TTL clock first: ZzRealTimeExpiry checks at the end of the module.
    TTL_WRITTEN_AT = time.monotonic()
    put = ttl_worker(TTL_PUT)
    code, out = run_test_worker(put, "--state-dir", EMBEDDED_TTL_STATE)
    assert code == 0, out
    if REDIS:
        code, out = run_test_worker(put, "--redis", REDIS.url)
        assert code == 0, out


def tearDownModule():
    if REDIS:
        REDIS.stop()
    for d in TEMP_DIRS:
        shutil.rmtree(d, ignore_errors=True)


def get(server, path, **query):
    q = urllib.parse.urlencode(query, doseq=True)
    status, _, body, _ = server.request("GET", path + ("?" + q if q else ""))
    return status, body.decode()


def serve(*args):
    w = kv_worker(WORKER, "worker.js", {"wrangler.jsonc": CONFIG})
    return Server(w, "-c", os.path.join(os.path.dirname(w), "wrangler.jsonc"), *args)


class KvTestJs(unittest.TestCase):
    """tests/js/kv_test.js on both stores (each run starts from a fresh state)."""

    def check(self, *args):
        code, out = run_test_worker(KV_TEST, *args)
        m = re.search(r"(\d+) passed, (\d+) failed", out)
        self.assertTrue(m, out)
        self.assertEqual(m.group(2), "0", out)
        self.assertGreaterEqual(int(m.group(1)), 17, out)
        self.assertEqual(code, 0, out)

    def test_embedded_store(self):
        state = temp_dir("pt-kv-state-")
        self.check("--state-dir", state)
        # A second run over the state the first one left behind.
        self.check("--state-dir", state)

    @needs_redis
    def test_redis_store(self):
        self.check("--redis", REDIS.url)

    @needs_redis
    def test_redis_url_from_environment(self):
        env = dict(os.environ, REDIS_URL=REDIS.url)
        r = subprocess.run([BIN, "--test", KV_TEST], capture_output=True, text=True, timeout=240,
                           env=env, cwd=temp_dir("pt-kv-cwd-"))
        self.assertIn(", 0 failed", r.stdout, r.stdout + r.stderr)
        self.assertEqual(r.returncode, 0)


class Persistence(unittest.TestCase):
    def roundtrip(self, args, between=None, stop_signal=signal.SIGTERM):
        with serve(*args) as s:
            self.assertEqual(get(s, "/put", key="p/a", value="alpha", meta='{"n": 1}'),
                             (200, "ok"))
            self.assertEqual(get(s, "/put", key="p/b", value="beta", ttl="3600"), (200, "ok"))
            s.stop(stop_signal)
        if between:
            between()
        with serve(*args) as s:
            self.assertEqual(get(s, "/get", key="p/a"), (200, '"alpha"'))
            self.assertEqual(json.loads(get(s, "/meta", key="p/a")[1]),
                             {"value": "alpha", "metadata": {"n": 1}, "cacheStatus": None})
            self.assertEqual(json.loads(get(s, "/list", prefix="p/")[1])["names"], ["p/a", "p/b"])

    def test_embedded_survives_restart(self):
        state = temp_dir("pt-kv-state-")
        self.roundtrip(["--state-dir", state])

    def test_embedded_survives_kill_9(self):
        state = temp_dir("pt-kv-state-")
        self.roundtrip(["--state-dir", state], stop_signal=signal.SIGKILL)

    @needs_redis
    def test_redis_survives_restarts_of_both(self):
        redis = Redis()
        try:
            def restart_redis():
                redis.stop()
                redis.start()
            self.roundtrip(["--redis", redis.url], between=restart_redis)
        finally:
            redis.stop()


@needs_redis
class RedisOutage(unittest.TestCase):
    def test_operations_fail_fast_then_recover(self):
        redis = Redis()
        try:
            with serve("--redis", redis.url) as s:
                self.assertEqual(get(s, "/put", key="o/a", value="before"), (200, "ok"))
                redis.kill()
                for path, query, op in (("/get", {"key": "o/a"}, "GET"),
                                        ("/put", {"key": "o/b", "value": "x"}, "PUT"),
                                        ("/delete", {"key": "o/a"}, "DELETE"),
                                        ("/list", {"prefix": "o/"}, "GET"),
                                        ("/bulk", {"key": ["o/a", "o/b"]}, "GET_BULK")):
                    start = time.monotonic()
                    status, body = get(s, path, **query)
                    elapsed = time.monotonic() - start
                    self.assertEqual(status, 500, body)
                    self.assertTrue(body.startswith("Error: KV %s failed: " % op), body)
                    self.assertIn("Redis", body)
                    # The store's operation timeout is 3 s: no request hangs longer.
                    self.assertLess(elapsed, 6, body)
                # Several requests at once during the outage: all fail, none hangs.
                with concurrent.futures.ThreadPoolExecutor(8) as pool:
                    results = list(pool.map(lambda i: get(s, "/get", key="o/a"), range(16)))
                self.assertTrue(all(st == 500 and b.startswith("Error: KV GET failed: ")
                                    for st, b in results), results)
                redis.start()
                deadline = time.monotonic() + 15
                while True:
                    status, body = get(s, "/get", key="o/a")
                    if status == 200 or time.monotonic() > deadline:
                        break
                    time.sleep(0.2)
                # The acknowledged write survived the kill (appendonly, written before the reply).
                self.assertEqual((status, body), (200, '"before"'))
                self.assertEqual(get(s, "/put", key="o/b", value="after"), (200, "ok"))
                self.assertEqual(get(s, "/get", key="o/b"), (200, '"after"'))
                self.assertIsNone(s.proc.poll())
        finally:
            redis.stop()


class ConcurrentRequests(unittest.TestCase):
    def hammer(self, args):
        n = 300
        with serve("--threads", "2", "--no-access-log", *args) as s:
            with concurrent.futures.ThreadPoolExecutor(32) as pool:
                written = list(pool.map(
                    lambda i: get(s, "/rw", key="c/%03d" % i, value="v%d" % i), range(n)))
                self.assertEqual(written, [(200, '"v%d"' % i) for i in range(n)])
                # Read back through other requests (possibly on the other thread's isolate).
                read = list(pool.map(lambda i: get(s, "/get", key="c/%03d" % i), range(n)))
                self.assertEqual(read, written)
                bulk = json.loads(get(s, "/bulk", key=["c/%03d" % i for i in range(100)])[1])
                self.assertEqual(bulk, {"c/%03d" % i: "v%d" % i for i in range(100)})
            listed = json.loads(get(s, "/list", prefix="c/", limit="70")[1])
            self.assertEqual(listed["names"], ["c/%03d" % i for i in range(n)])
            self.assertEqual(listed["pages"], 5)

    def test_embedded(self):
        self.hammer(["--state-dir", temp_dir("pt-kv-state-")])

    @needs_redis
    def test_redis(self):
        self.hammer(["--redis", REDIS.url])


class Expiry(unittest.TestCase):
    """Entries whose expiration passed are never returned. The binding refuses TTLs under 60 s, so
    these tests shorten an entry's life in the backend itself, then read through the binding."""

    def check_gone(self, s):
        self.assertEqual(get(s, "/get", key="e/short"), (200, "null"))
        self.assertEqual(json.loads(get(s, "/meta", key="e/short")[1]),
                         {"value": None, "metadata": None, "cacheStatus": None})
        self.assertEqual(json.loads(get(s, "/bulk", key=["e/short", "e/kept"])[1]),
                         {"e/short": None, "e/kept": "v"})
        self.assertEqual(json.loads(get(s, "/list", prefix="e/")[1])["names"], ["e/kept"])

    def put_both(self, s):
        self.assertEqual(get(s, "/put", key="e/short", value="v", ttl="60", meta='{"m":1}'),
                         (200, "ok"))
        self.assertEqual(get(s, "/put", key="e/kept", value="v"), (200, "ok"))
        self.assertEqual(get(s, "/get", key="e/short"), (200, '"v"'))

    def test_embedded(self):
        state = temp_dir("pt-kv-state-")
        with serve("--state-dir", state) as s:
            self.put_both(s)
            db = sqlite3.connect(os.path.join(state, "kv", "kv.sqlite"), timeout=10)
            with db:
                n = db.execute("UPDATE kv SET expiration = ? WHERE ns = 'e2e-main' AND key = ?",
                               (int(time.time()) + 1, b"e/short")).rowcount
            db.close()
            self.assertEqual(n, 1)
            time.sleep(2.2)
            self.check_gone(s)

    @needs_redis
    def test_redis(self):
        with serve("--redis", REDIS.url) as s:
            self.put_both(s)
            self.assertEqual(REDIS.command("PEXPIRE", "pt:kv:{e2e-main}:k:e/short", 1000), 1)
            time.sleep(1.5)
            self.check_gone(s)


IN_FLIGHT = r"""
export const leaveOperationsRunning = { async test(ctrl, env) {
  // Not awaited: the test ends (and the isolate is destroyed) while these are still in flight.
  for (let i = 0; i < 50; i++) env.MY_KV.put(`f/${i}`, new Uint8Array(256 * 1024)).catch(() => {});
  env.MY_KV.get('f/0').catch(() => {});
  env.MY_KV.list().catch(() => {});
} };
"""


class InFlightAtExit(unittest.TestCase):
    """Operations still in flight when the isolate goes away are dropped, without a crash."""

    def check(self, *args):
        w = kv_worker(IN_FLIGHT, "inflight_test.js", {"inflight_test.jsonc": TTL_CONFIG})
        start = time.monotonic()
        code, out = run_test_worker(w, *args)
        self.assertEqual(code, 0, out)
        self.assertIn("1 passed, 0 failed", out)
        self.assertLess(time.monotonic() - start, 20, out)

    def test_embedded(self):
        self.check("--state-dir", temp_dir("pt-kv-state-"))

    @needs_redis
    def test_redis_up_and_down(self):
        redis = Redis()
        try:
            self.check("--redis", redis.url)
            redis.kill()
            self.check("--redis", redis.url)
        finally:
            redis.stop()


class ZzRealTimeExpiry(unittest.TestCase):
    """Runs last (unittest orders classes by name): the keys setUpModule wrote with a 60 s TTL are
    gone once 60 s have passed, on both stores."""

    def test_ttl_runs_out(self):
        remaining = TTL_WRITTEN_AT + 62 - time.monotonic()
        if remaining > 0:
            time.sleep(remaining)
        check = ttl_worker(TTL_CHECK)
        code, out = run_test_worker(check, "--state-dir", EMBEDDED_TTL_STATE)
        self.assertEqual(code, 0, out)
        if REDIS:
            code, out = run_test_worker(check, "--redis", REDIS.url)
            self.assertEqual(code, 0, out)


if __name__ == "__main__":
    main()
