"""Tests of the benchmark harness itself (stdlib unittest):
    python3 bench/tests/test_harness.py
They need wrk (wrk script tests) and node (answers of the real worker files); a test whose tool is
missing is skipped, not passed."""

import base64
import http.server
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest

BENCH_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, BENCH_DIR)

from harness import procs, report, workloads, wrk  # noqa: E402

NODE = shutil.which("node")

# Runs every worker file in Node (global Request/Response) and prints status, headers and body.
RUN_WORKERS_JS = r"""
import { pathToFileURL } from 'node:url';
const out = {};
for (const [name, spec] of Object.entries(JSON.parse(process.argv[2]))) {
  const worker = (await import(pathToFileURL(spec.file).href)).default;
  const init = { method: spec.method, headers: spec.headers };
  if (spec.body !== null) init.body = Buffer.from(spec.body, 'base64');
  const res = await worker.fetch(new Request('http://127.0.0.1' + spec.path, init),
                                 { GREETING: 'hello' }, { waitUntil() {} });
  const headers = [];
  for (const [k, v] of res.headers) if (k !== 'set-cookie') headers.push([k, v]);
  for (const c of res.headers.getSetCookie()) headers.push(['set-cookie', c]);
  out[name] = { status: res.status, headers,
                body: Buffer.from(await res.arrayBuffer()).toString('base64') };
}
console.log(JSON.stringify(out));
"""


def node_answers():
    specs = {}
    for name in workloads.ORDER:
        req = workloads.request_for(name)
        specs[name] = {"file": workloads.worker_path(name), "method": req["method"],
                       "path": req["path"], "headers": req["headers"],
                       "body": base64.b64encode(req["body"]).decode() if req["body"] else None}
    with tempfile.TemporaryDirectory() as tmp:
        script = os.path.join(tmp, "run.mjs")
        with open(script, "w") as f:
            f.write(RUN_WORKERS_JS)
        out = subprocess.run([NODE, script, json.dumps(specs)], stdout=subprocess.PIPE,
                             check=True, timeout=120)
    answers = {}
    for name, a in json.loads(out.stdout).items():
        headers = [(k.lower(), v) for k, v in a["headers"]]
        answers[name] = (a["status"], headers, base64.b64decode(a["body"]))
    return answers


@unittest.skipUnless(NODE, "node not installed")
class CheckTest(unittest.TestCase):
    """The checks accept what the worker files really answer and reject broken answers."""

    @classmethod
    def setUpClass(cls):
        cls.answers = node_answers()

    def test_real_answers_pass(self):
        for name in workloads.ORDER:
            with self.subTest(name):
                self.assertIsNone(workloads.check(name, self.answers[name]))

    def test_wrong_status_fails(self):
        status, headers, body = self.answers["hello"]
        self.assertIn("status", workloads.check("hello", (500, headers, body)))

    def test_wrong_bodies_fail(self):
        broken = {
            "hello": lambda b: b"Hello World",
            "json": lambda b: b.replace(b"LOVELACE", b"Lovelace"),
            "headers": lambda b: b.replace(b'"greeting":"hello"', b'"greeting":null'),
            "stream": lambda b: b[:-1],
            "cpu": lambda b: b.replace(b"1250", b"1251"),
            "async": lambda b: b.replace(b'"steps":5', b'"steps":4'),
        }
        for name, mutate in broken.items():
            with self.subTest(name):
                status, headers, body = self.answers[name]
                mutated = mutate(body)
                self.assertNotEqual(mutated, body)
                self.assertIsNotNone(workloads.check(name, (status, headers, mutated)))

    def test_not_json_fails(self):
        status, headers, _ = self.answers["cpu"]
        self.assertIn("not JSON", workloads.check("cpu", (status, headers, b"<html>")))

    def test_headers_needs_both_cookies(self):
        status, headers, body = self.answers["headers"]
        one_cookie = [h for h in headers if h[0] != "set-cookie"] + [("set-cookie", "a=b")]
        self.assertIn("set-cookie", workloads.check("headers", (status, one_cookie, body)))

    def test_json_order_is_about_1kb(self):
        size = len(workloads.request_for("json")["body"])
        self.assertTrue(900 <= size <= 1600, size)


class _Recorder(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    seen = []

    def _answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        _Recorder.seen.append((self.command, self.path, dict(self.headers), body))
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    do_GET = do_POST = _answer

    def log_message(self, *args):
        pass


@unittest.skipUnless(wrk.wrk_binary(), "wrk not installed")
class WrkScriptTest(unittest.TestCase):
    """The generated Lua scripts make wrk send exactly the workload's request."""

    def setUp(self):
        _Recorder.seen = []
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.tmp = tempfile.mkdtemp()

    def tearDown(self):
        self.server.shutdown()
        self.server.server_close()
        shutil.rmtree(self.tmp)

    def test_requests_match(self):
        for name in ("json", "headers"):
            with self.subTest(name):
                _Recorder.seen = []
                req = workloads.request_for(name)
                script = wrk.write_script(self.tmp, workloads.wrk_script(name))
                result = wrk.run(self.port, req["path"], script, 1, 1, 1)
                self.assertGreater(result["requests"], 0)
                self.assertEqual(result["errors"], 0)
                self.assertGreater(result["p99_us"], 0)
                method, path, headers, body = _Recorder.seen[0]
                self.assertEqual(method, req["method"])
                self.assertEqual(path, req["path"])
                for key, value in req["headers"].items():
                    self.assertEqual(headers.get(key), value)
                self.assertEqual(body, req["body"] or b"")

    def test_wrk_failure_raises(self):
        script = wrk.write_script(self.tmp, "this is not lua (\n")
        with self.assertRaises(RuntimeError):
            wrk.run(self.port, "/", script, 1, 1, 1)


class ReportTest(unittest.TestCase):
    def _rec(self, rnd, runtime, rps, status="ok"):
        return {"round": rnd, "workload": "hello", "runtime": runtime, "status": status,
                "rps": rps, "errors": 1, "error": None if status == "ok" else "boom",
                "p50_ms": rps / 1000, "p99_ms": 1.0, "cold_ms": 10.0, "idle_rss_mb": 1.0,
                "peak_rss_mb": 2.0, "cpu_us_per_req": 5.0}

    def test_ratios_within_a_round(self):
        js = {"pactown-run", "workerd", "deno"}
        group = [self._rec(1, "pactown-run", 300), self._rec(1, "workerd", 100),
                 self._rec(1, "deno", 200), self._rec(1, "nginx", 1000)]
        report.add_ratios(group, js)
        by = {r["runtime"]: r for r in group}
        self.assertAlmostEqual(by["pactown-run"]["ratio_workerd"], 3.0)
        self.assertAlmostEqual(by["pactown-run"]["ratio_best_peer"], 1.5)  # nginx is no peer
        self.assertEqual(by["pactown-run"]["best_peer"], "deno")
        self.assertAlmostEqual(by["deno"]["ratio_best_peer"], 200 / 300)
        self.assertAlmostEqual(by["workerd"]["ratio_workerd"], 1.0)
        self.assertAlmostEqual(by["nginx"]["ratio_best_peer"], 1000 / 300)

    def test_failed_runs_are_left_out(self):
        group = [self._rec(1, "pactown-run", 300), self._rec(1, "workerd", 100, "failed")]
        report.add_ratios(group, {"pactown-run", "workerd"})
        self.assertIsNone(group[0]["ratio_workerd"])
        self.assertIsNone(group[0]["ratio_best_peer"])
        self.assertNotIn("ratio_workerd", group[1])

    def test_medians_and_error_sums(self):
        recs = []
        for rnd, (a, b) in enumerate([(100, 50), (300, 100), (200, 400)], 1):
            group = [self._rec(rnd, "pactown-run", a), self._rec(rnd, "workerd", b)]
            report.add_ratios(group, {"pactown-run", "workerd"})
            recs += group
        recs.append(self._rec(4, "pactown-run", 1e9, "invalid"))
        rows = report.summarize(recs, ["hello"], ["pactown-run", "workerd"])
        pt = rows[0]
        self.assertEqual(pt["runtime"], "pactown-run")
        self.assertEqual(pt["rps"], 200)
        self.assertEqual(pt["ratio_workerd"], 2.0)  # median of 2.0, 3.0, 0.5
        self.assertEqual(pt["errors"], 3)
        self.assertEqual((pt["rounds"], pt["attempts"]), (3, 4))
        self.assertEqual(len(pt["problems"]), 1)
        text = report.table(rows)
        self.assertIn("| hello | **pactown-run** | 200 | 2.00 |", text)
        geo = report.geomean_vs_workerd(rows, ["pactown-run", "workerd"])
        self.assertAlmostEqual(geo["pactown-run"][0], 2.0)


class ProcsTest(unittest.TestCase):
    def test_session_usage_and_stop(self):
        with tempfile.TemporaryDirectory() as tmp:
            # A shell with a busy child and a sleeping child, all in the server's session.
            server = procs.Server(
                ["sh", "-c", "sleep 30 & (while :; do :; done) & wait"], tmp, dict(os.environ),
                os.path.join(tmp, "log"))
            try:
                time.sleep(0.3)
                rss, cpu0, count = procs.tree_usage(server.pid)
                self.assertGreaterEqual(count, 3)
                self.assertGreater(rss, 0)
                time.sleep(0.5)
                _, cpu1, _ = procs.tree_usage(server.pid)
                self.assertGreater(cpu1 - cpu0, 0.1)
                members = procs.session_members(server.pid)
            finally:
                server.stop(grace=0.5)
            for pid in members:
                self.assertFalse(os.path.exists(f"/proc/{pid}/stat") and
                                 procs._read_stat(pid)[0] != b"Z", pid)

    def test_first_200_and_failures(self):
        with tempfile.TemporaryDirectory() as tmp:
            port = procs.free_port()
            ok = procs.Server([sys.executable, "-m", "http.server", str(port), "--bind",
                               "127.0.0.1"], tmp, dict(os.environ), os.path.join(tmp, "ok.log"))
            try:
                cold, (status, _, _) = procs.wait_first_200(ok, port, {"method": "GET",
                                                                       "path": "/"})
                self.assertEqual(status, 200)
                self.assertGreater(cold, 0)
                # Fails fast on a server that keeps answering something other than 200.
                start = time.time()
                with self.assertRaisesRegex(RuntimeError, "status 404"):
                    procs.wait_first_200(ok, port, {"method": "GET", "path": "/nope"})
                self.assertLess(time.time() - start, 10)
            finally:
                ok.stop()
            dead = procs.Server(["sh", "-c", "echo broken config >&2; exit 3"], tmp,
                                dict(os.environ), os.path.join(tmp, "dead.log"))
            with self.assertRaisesRegex(RuntimeError, "exited with 3.*broken config"):
                procs.wait_first_200(dead, procs.free_port(), {"method": "GET", "path": "/"})
            dead.stop()

    def test_free_port_is_bindable(self):
        port = procs.free_port()
        with socket.socket() as s:
            s.bind(("127.0.0.1", port))


if __name__ == "__main__":
    unittest.main(verbosity=1)
