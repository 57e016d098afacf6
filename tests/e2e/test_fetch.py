"""fetch() end to end: a Python upstream on a free loopback port, and pactown-run workers that call
it (a --test worker with assertions, tests/js/fixtures/fetch_network.js, and a proxy served over
HTTP). Also reports proxy throughput and peak RSS for a 100 MiB body."""
import gzip
import http.client
import json
import os
import select
import signal
import socket
import subprocess
import threading
import time
import unittest
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from harness import BIN, SOURCE, Server, main, worker_file

# PT_JS_DIR=/work/main runs the built-in JS from the source tree (no rebuild after JS edits).
JS_ARGS = ["--no-snapshot", "--js-dir", os.environ["PT_JS_DIR"]] if os.environ.get("PT_JS_DIR") \
    else []
NETWORK_TESTS = os.path.join(SOURCE, "tests/js/fixtures/fetch_network.js")

# ---- the upstream --------------------------------------------------------------------------------

PATTERN = bytes(range(256)) * 256  # 64 KiB, repeated for large bodies


def pattern_bytes(n):
    """The first n bytes of the repeating 0..255 pattern."""
    whole, rest = divmod(n, len(PATTERN))
    return PATTERN * whole + PATTERN[:rest]


class Stats:
    """Progress of streaming responses, by the id the client chose: bytes sent, disconnect seen."""

    def __init__(self):
        self.lock = threading.Lock()
        self.items = {}

    def update(self, key, **kw):
        with self.lock:
            self.items.setdefault(key, {"sent": 0, "closed": False, "done": False}).update(kw)

    def add(self, key, n):
        with self.lock:
            self.items.setdefault(key, {"sent": 0, "closed": False, "done": False})["sent"] += n

    def get(self, key):
        with self.lock:
            return dict(self.items.get(key, {"sent": 0, "closed": False, "done": False}))


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    server_version = "upstream"
    sys_version = ""

    def log_message(self, *args):
        pass

    # --- helpers ---------------------------------------------------------------------------
    def read_body(self):
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            out = bytearray()
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip(), 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return bytes(out)
                out += self.rfile.read(size)
                self.rfile.readline()
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n else b""

    def send(self, status, body=b"", headers=(), reason=None):
        self.send_response(status, reason)
        has_length = any(k.lower() == "content-length" for k, _ in headers)
        for k, v in headers:
            self.send_header(k, v)
        if status not in (204, 304) and not has_length:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD" and status not in (204, 304):
            self.wfile.write(body)

    def send_chunked(self, chunks, key=None, delay=0.0, headers=()):
        self.send_response(200)
        self.send_header("Transfer-Encoding", "chunked")
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        try:
            for c in chunks:
                if delay:
                    time.sleep(delay)
                self.connection.sendall(b"%x\r\n%s\r\n" % (len(c), c))
                if key:
                    self.server.stats.add(key, len(c))
            self.connection.sendall(b"0\r\n\r\n")
            if key:
                self.server.stats.update(key, done=True)
        except OSError:
            if key:
                self.server.stats.update(key, closed=True)
            self.close_connection = True

    def wait_for_disconnect(self, key, limit=30):
        """Holds the request open (no response) until the client goes away."""
        end = time.time() + limit
        while time.time() < end:
            r, _, _ = select.select([self.connection], [], [], 0.05)
            if r:
                try:
                    if not self.connection.recv(1, socket.MSG_PEEK):
                        break
                except OSError:
                    break
        self.server.stats.update(key, closed=True)
        self.close_connection = True

    # --- routes ----------------------------------------------------------------------------
    def handle_any(self):
        url = urlsplit(self.path)
        q = {k: v[-1] for k, v in parse_qs(url.query).items()}
        parts = url.path.strip("/").split("/")
        route = parts[0]
        body = b"" if route in ("hang", "flood", "early") else self.read_body()

        if route == "echo":
            info = {
                "method": self.command,
                "path": self.path,
                "headers": [[k.lower(), v] for k, v in self.headers.items()],
                "length": len(body),
                "crc32": zlib.crc32(body),
                "text": body.decode("utf-8", "replace") if len(body) < 4096 else None,
            }
            return self.send(200, json.dumps(info).encode(),
                             [("Content-Type", "application/json")])
        if route == "redirect":  # /redirect/<code>?to=<location>
            return self.send(int(parts[1]), b"redirecting", [("Location", q.get("to", "/echo"))])
        if route == "chain":  # /chain/<n>: n more redirects, then /echo
            n = int(parts[1])
            loc = "/chain/%d" % (n - 1) if n > 0 else "/echo"
            return self.send(302, b"", [("Location", loc)])
        if route == "noloc":
            return self.send(int(parts[1]), b"no location here")
        if route == "status":  # /status/<code>?reason=...
            code = int(parts[1])
            return self.send(code, b"status body", [("X-Status", str(code))], q.get("reason"))
        if route == "big":  # /big?bytes=N: fixed length pattern body
            n = int(q.get("bytes", "0"))
            self.send_response(200)
            self.send_header("Content-Length", str(n))
            self.send_header("Content-Type", "application/octet-stream")
            self.end_headers()
            if self.command == "HEAD":
                return
            sent = 0
            try:
                while sent < n:
                    chunk = PATTERN[:min(len(PATTERN), n - sent)]
                    self.connection.sendall(chunk)
                    sent += len(chunk)
            except OSError:
                self.close_connection = True
            return
        if route == "chunked":  # /chunked?n=count&size=bytes
            n, size = int(q.get("n", "5")), int(q.get("size", "10"))
            return self.send_chunked([pattern_bytes(size)] * n)
        if route == "drip":  # /drip?id=&n=&delay=: slow chunks "tick0;tick1;..."
            n, delay = int(q.get("n", "5")), float(q.get("delay", "0.1"))
            return self.send_chunked([b"tick%d;" % i for i in range(n)], q.get("id"), delay)
        if route == "flood":  # /flood?id=: 256 MiB chunked, progress in stats
            return self.send_chunked((PATTERN for _ in range(4096)), q.get("id"))
        if route == "hang":  # /hang?id=: never answers
            return self.wait_for_disconnect(q.get("id"))
        if route == "stats":
            return self.send(200, json.dumps(self.server.stats.get(q.get("id"))).encode(),
                             [("Content-Type", "application/json")])
        if route in ("gzip", "deflate"):
            payload = ("compressed payload " * 1000).encode()
            enc = gzip.compress(payload) if route == "gzip" else zlib.compress(payload)
            return self.send(200, enc,
                             [("Content-Encoding", route), ("Content-Type", "text/plain")])
        if route == "cookies":
            return self.send(200, b"ok", [("Set-Cookie", "a=1; Path=/"),
                                          ("Set-Cookie", "b=2; HttpOnly"), ("X-Dup", "1"),
                                          ("X-Dup", "2")])
        if route == "truncated":  # promises 100 bytes, sends 10, closes
            self.send_response(200)
            self.send_header("Content-Length", "100")
            self.end_headers()
            self.wfile.write(b"0123456789")
            self.wfile.flush()
            self.close_connection = True
            return
        if route == "early":  # answers before reading a large request body
            self.send(200, b"early", [("Connection", "close")])
            self.close_connection = True
            return
        return self.send(404, b"no such route")

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_HEAD = handle_any


class UpstreamHTTPServer(ThreadingHTTPServer):
    request_queue_size = 256
    daemon_threads = True

    def handle_error(self, request, client_address):
        # Clients that cancel or abort reset their connections: expected, not worth a traceback.
        import sys
        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)


class Upstream:
    def __init__(self):
        self.httpd = UpstreamHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.stats = Stats()
        self.port = self.httpd.server_address[1]
        self.url = "http://127.0.0.1:%d" % self.port
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def stats(self, key):
        return self.httpd.stats.get(key)

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


class TlsUpstream:
    """An HTTPS server with a freshly made self-signed certificate (nothing trusts it)."""

    def __init__(self):
        import ssl
        import tempfile
        self.dir = tempfile.mkdtemp(prefix="pt-tls-")
        cert, key = os.path.join(self.dir, "cert.pem"), os.path.join(self.dir, "key.pem")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                        "-subj", "/CN=127.0.0.1", "-keyout", key, "-out", cert],
                       check=True, capture_output=True)
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(cert, key)
        self.httpd = UpstreamHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.stats = Stats()
        self.httpd.socket = ctx.wrap_socket(self.httpd.socket, server_side=True,
                                            do_handshake_on_connect=False)
        self.httpd.handle_error = lambda *args: None
        self.port = self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def free_port():
    """A loopback port with nothing listening on it."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


# ---- tests ---------------------------------------------------------------------------------------

PROXY = r"""
export default {
  async fetch(request, env, ctx) {
    const url = new URL(request.url);
    if (url.pathname.startsWith('/proxy/')) {
      const target = env.UPSTREAM + url.pathname.slice('/proxy'.length) + url.search;
      return fetch(new Request(target, request), { redirect: 'manual' });
    }
    if (url.pathname.startsWith('/passthrough/')) {
      // No redirect option: the incoming request's own mode ('manual', as in workerd) applies.
      const target = env.UPSTREAM + url.pathname.slice('/passthrough'.length) + url.search;
      return fetch(new Request(target, request));
    }
    if (url.pathname === '/follow') {
      return fetch(env.UPSTREAM + '/redirect/302?to=' + encodeURIComponent('/echo?followed'));
    }
    if (url.pathname === '/refused') {
      try {
        await fetch('http://127.0.0.1:' + env.DEAD_PORT + '/');
        return new Response('no error');
      } catch (e) {
        return new Response(e.name + ': ' + e.message, { status: 502 });
      }
    }
    if (url.pathname === '/json') {
      const r = await fetch(env.UPSTREAM + '/echo', { method: 'POST', body: 'x' });
      const data = await r.json();
      return Response.json({ method: data.method, length: data.length });
    }
    if (url.pathname === '/background') {
      const id = url.searchParams.get('id');
      ctx.waitUntil(fetch(env.UPSTREAM + '/drip?n=5&delay=0.05&id=' + id).then((r) => r.text()));
      return new Response('started');
    }
    if (url.pathname === '/dangling') {
      // A fetch nobody waits for: still pending when the server shuts down.
      fetch(env.UPSTREAM + '/hang?id=' + url.searchParams.get('id')).catch(() => {});
      return new Response('left pending');
    }
    return new Response('not found', { status: 404 });
  },
};
"""


def peak_rss_kib(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


def sanitized(pid):
    with open("/proc/%d/maps" % pid) as f:
        return any("libasan" in line for line in f)


def reset_peak_rss(pid):
    """Resets VmHWM to the current RSS (Linux: clear_refs 5), where allowed."""
    try:
        with open("/proc/%d/clear_refs" % pid, "w") as f:
            f.write("5")
    except OSError:
        pass


def rss_kib(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def until(what, check, timeout=5.0):
    end = time.time() + timeout
    while not check():
        if time.time() > end:
            raise AssertionError("timed out waiting for " + what)
        time.sleep(0.02)


class FetchFromTestWorker(unittest.TestCase):
    """tests/js/fixtures/fetch_network.js: assertions inside the runtime, against the upstream."""

    def test_network_suite(self):
        upstream, tls = Upstream(), TlsUpstream()
        try:
            env = dict(os.environ, PT_V8_FLAGS="--expose-gc")
            r = subprocess.run([BIN, *JS_ARGS, "--test", NETWORK_TESTS, "--var",
                                "UPSTREAM=" + upstream.url, "--var", "DEAD_PORT=%d" % free_port(),
                                "--var", "TLS_PORT=%d" % tls.port],
                               capture_output=True, text=True, timeout=240, env=env)
        finally:
            upstream.close()
            tls.close()
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertRegex(r.stdout, r"\n[1-9]\d* passed, 0 failed")
        self.assertNotIn("FAIL", r.stdout)


class FetchThroughProxy(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.upstream = Upstream()
        cls.server = Server(worker_file(PROXY), *JS_ARGS, "--threads", "2", "--no-access-log",
                            "--var", "UPSTREAM=" + cls.upstream.url,
                            "--var", "DEAD_PORT=%d" % free_port())

    @classmethod
    def tearDownClass(cls):
        code = cls.server.stop()
        cls.upstream.close()
        assert code == 0, "pactown-run exited with %r: %s" % (code,
                                                               "".join(cls.server.stderr_lines))

    def request(self, method, path, body=None, headers=None):
        return self.server.request(method, path, body=body, headers=headers)

    def test_get_and_post_echo(self):
        status, headers, body, _ = self.request("GET", "/proxy/echo?q=1", headers={"X-Client": "c"})
        self.assertEqual(status, 200)
        echo = json.loads(body)
        seen = dict(echo["headers"])
        self.assertEqual(echo["path"], "/echo?q=1")
        self.assertEqual(seen["x-client"], "c")
        self.assertEqual(seen["host"], "127.0.0.1:%d" % self.upstream.port)
        self.assertEqual(seen["cf-connecting-ip"], "127.0.0.1")
        payload = os.urandom(5 * 1024 * 1024 + 3)
        status, _, body, _ = self.request("POST", "/proxy/echo", body=payload,
                                          headers={"Content-Type": "application/x-test"})
        echo = json.loads(body)
        self.assertEqual((status, echo["method"], echo["length"]), (200, "POST", len(payload)))
        self.assertEqual(echo["crc32"], zlib.crc32(payload))
        self.assertEqual(dict(echo["headers"])["content-type"], "application/x-test")
        status, _, body, _ = self.request("GET", "/json")
        self.assertEqual(json.loads(body), {"method": "POST", "length": 1})

    def test_chunked_and_large_bodies(self):
        status, headers, body, _ = self.request("GET", "/proxy/chunked?n=9&size=777")
        self.assertEqual((status, len(body)), (200, 9 * 777))
        self.assertEqual(headers.get("transfer-encoding"), "chunked")
        n = 20 * 1024 * 1024
        status, headers, body, _ = self.request("GET", "/proxy/big?bytes=%d" % n)
        self.assertEqual((status, headers["content-length"], len(body)), (200, str(n), n))
        self.assertEqual(body, pattern_bytes(n))

    def test_gzip_is_decoded_for_the_client(self):
        status, headers, body, _ = self.request("GET", "/proxy/gzip",
                                                headers={"Accept-Encoding": "gzip"})
        self.assertEqual(status, 200)
        self.assertNotIn("content-encoding", headers)
        self.assertEqual(body, b"compressed payload " * 1000)

    def test_set_cookie_headers_stay_separate(self):
        status, _, _, r = self.request("GET", "/proxy/cookies")
        self.assertEqual(r.headers.get_all("Set-Cookie"), ["a=1; Path=/", "b=2; HttpOnly"])

    def test_redirects(self):
        status, headers, body, _ = self.request("GET", "/proxy/redirect/302?to=/somewhere")
        self.assertEqual((status, headers["location"], body), (302, "/somewhere", b"redirecting"))
        status, headers, _, _ = self.request("GET", "/passthrough/redirect/301?to=/moved")
        self.assertEqual((status, headers["location"]), (301, "/moved"))
        status, _, body, _ = self.request("GET", "/follow")
        self.assertEqual((status, json.loads(body)["path"]), (200, "/echo?followed"))

    def test_refused_port(self):
        status, _, body, _ = self.request("GET", "/refused")
        self.assertEqual((status, body), (502, b"TypeError: Network connection lost."))

    def test_streaming_reaches_the_client_progressively(self):
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=10)
        try:
            start = time.time()
            conn.request("GET", "/proxy/drip?n=6&delay=0.15")
            r = conn.getresponse()
            first = r.read1(100)
            first_at = time.time() - start
            rest = r.read()
            total = time.time() - start
        finally:
            conn.close()
        self.assertEqual(first + rest, b"".join(b"tick%d;" % i for i in range(6)))
        self.assertLess(first_at, total - 0.4)

    def test_client_disconnect_cancels_the_upstream_fetch(self):
        key = "flood-%f" % time.time()
        s = self.server.connect()
        s.sendall(b"GET /proxy/flood?id=" + key.encode() + b" HTTP/1.1\r\nHost: x\r\n\r\n")
        got = 0
        while got < 1024 * 1024:
            got += len(s.recv(65536))
        s.close()
        until("the upstream to see the disconnect", lambda: self.upstream.stats(key)["closed"])
        self.assertFalse(self.upstream.stats(key)["done"])

    def test_waituntil_fetch_completes(self):
        key = "bg-%f" % time.time()
        status, _, body, _ = self.request("GET", "/background?id=" + key)
        self.assertEqual((status, body), (200, b"started"))
        until("the background fetch", lambda: self.upstream.stats(key)["done"])

    def test_throughput_100_mib(self):
        """Reports MB/s and memory for 100 MiB each way through a proxying worker."""
        n = 100 * 1024 * 1024
        pid = self.server.proc.pid
        report = []

        def phase(label, port, method, path, body=None, size=n):
            reset_peak_rss(pid)
            before = rss_kib(pid)
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            start = time.time()
            conn.request(method, path, body=body)
            r = conn.getresponse()
            got = 0
            while True:
                chunk = r.read(1 << 20)
                if not chunk:
                    break
                got += len(chunk)
            rate = size / (time.time() - start) / 1e6
            conn.close()
            growth = (peak_rss_kib(pid) - before) // 1024
            report.append("%s %.0f MB/s (pactown-run peak RSS +%d MiB over %d MiB)"
                          % (label, rate, growth, before // 1024))
            return got, growth

        got, _ = phase("upstream direct", self.upstream.port, "GET", "/big?bytes=%d" % n)
        self.assertEqual(got, n)
        got, _ = phase("download through worker", self.server.port, "GET",
                       "/proxy/big?bytes=%d" % n)
        self.assertEqual(got, n)
        got, _ = phase("upload through worker", self.server.port, "POST", "/proxy/echo",
                       b"u" * n)
        self.assertGreater(got, 0)
        # Streaming, not buffering: memory must not grow with the body. V8 frees spent chunks
        # lazily (a GC is due once ~64 MB of ArrayBuffers were dropped), so allow that much.
        big = 256 * 1024 * 1024
        got, growth = phase("download 256 MiB through worker", self.server.port, "GET",
                            "/proxy/big?bytes=%d" % big, size=big)
        self.assertEqual(got, big)
        print("\n[fetch throughput] " + "; ".join(report))
        if not sanitized(pid):  # ASan's quarantine keeps freed memory on purpose
            self.assertLess(growth, 160)


class FetchAtShutdown(unittest.TestCase):
    def test_pending_fetch_at_shutdown(self):
        upstream = Upstream()
        key = "dangling-%f" % time.time()
        try:
            server = Server(worker_file(PROXY), *JS_ARGS, "--threads", "1", "--drain-timeout",
                            "500", "--var", "UPSTREAM=" + upstream.url, "--var", "DEAD_PORT=1")
            with server:
                status, _, body, _ = server.request("GET", "/dangling?id=" + key)
                self.assertEqual(status, 200)
                # A proxied request still waiting for its upstream head, too.
                conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
                conn.request("GET", "/proxy/hang?id=" + key + "-2")
                time.sleep(0.3)
                code = server.stop(signal.SIGTERM)
                conn.close()
            self.assertEqual(code, 0, "".join(server.stderr_lines))
            until("the upstream to see the disconnect", lambda: upstream.stats(key)["closed"])
        finally:
            upstream.close()


if __name__ == "__main__":
    main()
