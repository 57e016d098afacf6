"""HTTP/1.1 behaviour of the server with a real worker behind it."""
import socket
import threading
import time
import unittest

from harness import Server, main, read_all, read_response, worker_file

ECHO = r"""
export default {
  async fetch(request, env, ctx) {
    const url = new URL(request.url);
    if (url.pathname === '/echo') {
      const body = await request.text();
      return new Response(body, { headers: { 'x-method': request.method, 'x-len': String(body.length) } });
    }
    if (url.pathname === '/read-body-stream') {
      // Small bodies arrive collected in memory; reading them as a stream must still work.
      const reader = request.body.getReader();
      let total = 0;
      let chunks = 0;
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        total += value.byteLength;
        chunks++;
      }
      return Response.json({ total, chunks, used: request.bodyUsed });
    }
    if (url.pathname === '/stream') {
      let i = 0;
      const stream = new ReadableStream({
        pull(controller) {
          if (i++ < 4) controller.enqueue(new TextEncoder().encode('chunk' + i + ';'));
          else controller.close();
        },
      });
      return new Response(stream);
    }
    if (url.pathname === '/pipe') {
      const { readable, writable } = new TransformStream();
      request.body.pipeTo(writable);
      return new Response(readable);
    }
    if (url.pathname === '/headers') {
      return Response.json({
        ip: request.headers.get('cf-connecting-ip'),
        host: request.headers.get('host'),
        url: request.url,
        cf: request.cf,
      });
    }
    if (url.pathname === '/cookies') {
      const h = new Headers();
      h.append('set-cookie', 'a=1');
      h.append('set-cookie', 'b=2');
      return new Response('ok', { headers: h });
    }
    if (url.pathname === '/throw') throw new Error('boom from worker');
    if (url.pathname === '/reject') return Promise.reject(new TypeError('rejected'));
    if (url.pathname === '/not-response') return 'just a string';
    if (url.pathname === '/slow') {
      await new Promise((r) => setTimeout(r, 300));
      return new Response('slow done');
    }
    return new Response('hello');
  },
};
"""


class Http(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server(worker_file(ECHO), "--threads", "2")

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def test_keep_alive_reuses_connection(self):
        with self.server.connect() as s:
            for i in range(3):
                s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
                status, headers, body, rest = read_response(s)
                self.assertEqual((status, body), (200, b"hello"))

    def test_pipelined_requests_answer_in_order(self):
        with self.server.connect() as s:
            s.sendall(b"GET /slow HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n")
            _, _, body1, rest = read_response(s)
            self.assertEqual(body1, b"slow done")
            if rest:
                s2 = rest
            status, _, body2, _ = read_response(s) if not rest else self._parse_rest(s, rest)
            self.assertEqual(body2, b"hello")

    def _parse_rest(self, s, rest):
        # A response already partly read: push it back through a tiny socket pair.
        a, b = socket.socketpair()
        a.sendall(rest)
        def feed():
            try:
                while True:
                    data = s.recv(65536)
                    if not data:
                        break
                    a.sendall(data)
            except OSError:
                pass
        threading.Thread(target=feed, daemon=True).start()
        return read_response(b, timeout=5)

    def test_content_length_body(self):
        status, headers, body, _ = self.server.request("POST", "/echo", body=b"x" * 100000)
        self.assertEqual(status, 200)
        self.assertEqual(len(body), 100000)
        self.assertEqual(headers["x-method"], "POST")

    def test_body_read_as_stream_small_and_large(self):
        import json
        for size in (10, 70000):  # collected in memory / streamed from the connection
            status, _, body, _ = self.server.request("POST", "/read-body-stream", body=b"z" * size)
            info = json.loads(body)
            self.assertEqual((status, info["total"], info["used"]), (200, size, True))
            self.assertGreaterEqual(info["chunks"], 1)

    def test_chunked_request_body(self):
        with self.server.connect() as s:
            s.sendall(b"POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                      b"5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n")
            status, _, body, _ = read_response(s)
            self.assertEqual((status, body), (200, b"hello world"))

    def test_expect_100_continue(self):
        with self.server.connect() as s:
            s.sendall(b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n")
            s.settimeout(5)
            interim = s.recv(4096)
            self.assertTrue(interim.startswith(b"HTTP/1.1 100 Continue"), interim)
            s.sendall(b"abcd")
            status, _, body, _ = read_response(s)
            self.assertEqual((status, body), (200, b"abcd"))

    def test_head_has_no_body(self):
        with self.server.connect() as s:
            s.sendall(b"HEAD / HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n")
            s.settimeout(5)
            data = b""
            while data.count(b"HTTP/1.1 200") < 2 or not data.endswith(b"hello"):
                chunk = s.recv(65536)
                if not chunk:
                    break
                data += chunk
            first, second = data.split(b"HTTP/1.1 200", 2)[1:]
            self.assertIn(b"content-length: 5", first.lower())
            self.assertTrue(first.endswith(b"\r\n\r\n"))
            self.assertTrue(second.endswith(b"hello"))

    def test_streamed_response_is_chunked(self):
        with self.server.connect() as s:
            s.sendall(b"GET /stream HTTP/1.1\r\nHost: x\r\n\r\n")
            status, headers, body, _ = read_response(s)
            self.assertEqual(headers["transfer-encoding"], ["chunked"])
            self.assertEqual(body, b"chunk1;chunk2;chunk3;chunk4;")

    def test_request_body_piped_to_response(self):
        payload = bytes(range(256)) * 4096  # 1 MiB
        status, _, body, _ = self.server.request("POST", "/pipe", body=payload)
        self.assertEqual(status, 200)
        self.assertEqual(body, payload)

    def test_http10_closes(self):
        out = self.server.raw(b"GET / HTTP/1.0\r\n\r\n")
        self.assertTrue(out.startswith(b"HTTP/1.1 200") or out.startswith(b"HTTP/1.0 200"), out)
        self.assertTrue(out.endswith(b"hello"))

    def test_connecting_ip_and_url(self):
        import json
        status, _, body, _ = self.server.request("GET", "/headers?q=1", headers={"Host": "example.com"})
        info = json.loads(body)
        self.assertEqual(info["ip"], "127.0.0.1")
        self.assertEqual(info["url"], "http://example.com/headers?q=1")
        status, _, body, _ = self.server.request(
            "GET", "/headers", headers={"Host": "example.com", "X-Forwarded-Proto": "https",
                                        "CF-IPCountry": "DE", "CF-Connecting-IP": "203.0.113.9"})
        info = json.loads(body)
        self.assertEqual(info["url"], "https://example.com/headers")
        self.assertEqual(info["cf"]["country"], "DE")
        self.assertEqual(info["ip"], "203.0.113.9")

    def test_multiple_set_cookie_headers(self):
        with self.server.connect() as s:
            s.sendall(b"GET /cookies HTTP/1.1\r\nHost: x\r\n\r\n")
            _, headers, _, _ = read_response(s)
            self.assertEqual(headers["set-cookie"], ["a=1", "b=2"])

    def test_worker_errors_give_500_and_server_keeps_serving(self):
        for path in ("/throw", "/reject", "/not-response"):
            status, _, _, _ = self.server.request("GET", path)
            self.assertEqual(status, 500, path)
        status, _, body, _ = self.server.request("GET", "/")
        self.assertEqual((status, body), (200, b"hello"))
        time.sleep(0.2)
        logs = "".join(self.server.stderr_lines)
        self.assertIn("boom from worker", logs)
        self.assertIn("Incorrect type for Promise: the Promise did not resolve to 'Response'", logs)

    def test_bad_requests_rejected_and_server_keeps_serving(self):
        cases = [
            (b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 70000 + b"\r\n\r\n", b" 431 "),
            (b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", b" 400 "),
            (b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd", b" 400 "),
            (b"POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n", b" 400 "),
            (b"GARBAGE\r\n\r\n", b" 400 "),
        ]
        for raw, expected in cases:
            out = self.server.raw(raw)
            self.assertIn(expected, out.split(b"\r\n", 1)[0], (raw[:60], out[:100]))
        status, _, body, _ = self.server.request("GET", "/")
        self.assertEqual((status, body), (200, b"hello"))

    def test_access_log_lines(self):
        self.server.request("GET", "/?log=1")
        time.sleep(0.3)
        self.assertTrue(any("GET /?log=1 200" in l for l in self.server.stdout_lines),
                        self.server.stdout_lines[-5:])


if __name__ == "__main__":
    main()
