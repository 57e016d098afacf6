"""Starts pactown-run on a free loopback port and talks real HTTP to it (stdlib only)."""
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest

BIN = os.environ.get("PT_BIN", os.path.join(os.path.dirname(__file__), "../../build/pactown-run"))
SOURCE = os.environ.get("PT_SOURCE", os.path.join(os.path.dirname(__file__), "../.."))


class Server:
    """A running pactown-run. Use as a context manager; `port`, `stdout_lines`, `stderr_lines`."""

    def __init__(self, *args, cwd=None, env=None, ready_timeout=20):
        self.args = [BIN, "--port", "0", *args]
        self.proc = subprocess.Popen(self.args, cwd=cwd, env=env, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True, bufsize=1)
        self.stdout_lines, self.stderr_lines = [], []
        self._ready = threading.Event()
        self.port = None
        threading.Thread(target=self._pump, args=(self.proc.stdout, self.stdout_lines, True),
                         daemon=True).start()
        threading.Thread(target=self._pump, args=(self.proc.stderr, self.stderr_lines, False),
                         daemon=True).start()
        if not self._ready.wait(ready_timeout) or self.port is None:
            self.stop()
            raise RuntimeError("server did not start: " + "".join(self.stderr_lines))

    def _pump(self, stream, sink, watch_ready):
        for line in stream:
            sink.append(line)
            if watch_ready and self.port is None:
                m = re.search(r"Ready on http://\S+:(\d+)", line)
                if m:
                    self.port = int(m.group(1))
                    self._ready.set()
        self._ready.set()

    def stop(self, sig=signal.SIGTERM, timeout=20):
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        for stream in (self.proc.stdout, self.proc.stderr):
            try:
                stream.close()
            except Exception:
                pass
        return self.proc.returncode

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()

    def connect(self, timeout=10):
        s = socket.create_connection(("127.0.0.1", self.port), timeout=timeout)
        return s

    def raw(self, data, timeout=10):
        """Sends raw bytes on a new connection and returns everything read until close/timeout."""
        with self.connect(timeout) as s:
            s.sendall(data)
            return read_all(s, timeout)

    def request(self, method, path, body=None, headers=None, timeout=30):
        import http.client
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            r = conn.getresponse()
            return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read(), r
        finally:
            conn.close()


def read_all(sock, timeout=10):
    sock.settimeout(timeout)
    out = b""
    try:
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                break
            out += chunk
    except socket.timeout:
        pass
    return out


def read_response(sock, timeout=10):
    """Reads one HTTP response (Content-Length or chunked) from a keep-alive socket."""
    sock.settimeout(timeout)
    buf = b""
    while b"\r\n\r\n" not in buf:
        chunk = sock.recv(65536)
        if not chunk:
            raise EOFError("connection closed before response head: %r" % buf)
        buf += chunk
    head, rest = buf.split(b"\r\n\r\n", 1)
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ")[1])
    headers = {}
    for line in lines[1:]:
        k, v = line.split(":", 1)
        headers.setdefault(k.strip().lower(), []).append(v.strip())
    body = rest
    if "content-length" in headers:
        n = int(headers["content-length"][0])
        while len(body) < n:
            body += sock.recv(65536)
        return status, headers, body[:n], body[n:]
    if headers.get("transfer-encoding", [""])[0] == "chunked":
        out = b""
        while True:
            while b"\r\n" not in body:
                body += sock.recv(65536)
            size_line, body = body.split(b"\r\n", 1)
            size = int(size_line, 16)
            while len(body) < size + 2:
                body += sock.recv(65536)
            out += body[:size]
            body = body[size + 2:]
            if size == 0:
                return status, headers, out, body
    return status, headers, body, b""


def worker_file(source, name="worker.js", extra=None):
    """Writes a worker (and optional extra files) into a fresh temp dir; returns the worker path."""
    d = tempfile.mkdtemp(prefix="pt-e2e-")
    path = os.path.join(d, name)
    with open(path, "w") as f:
        f.write(source)
    for rel, text in (extra or {}).items():
        p = os.path.join(d, rel)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "w") as f:
            f.write(text)
    return path


def main():
    unittest.main(verbosity=2)
