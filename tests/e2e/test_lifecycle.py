"""Start-up errors, CLI errors, waitUntil, scheduled, graceful shutdown."""
import json
import os
import signal
import subprocess
import threading
import time
import unittest

from harness import BIN, Server, main, worker_file


def run(*args, cwd=None):
    return subprocess.run([BIN, *args], cwd=cwd, capture_output=True, text=True, timeout=30)


class Cli(unittest.TestCase):
    def test_version_and_help(self):
        r = run("--version")
        self.assertEqual(r.returncode, 0)
        self.assertIn("pactown-run", r.stdout)
        r = run("--help")
        self.assertEqual(r.returncode, 0)
        for opt in ("--port", "--host", "--config", "--threads", "--state-dir", "--var",
                    "--test-scheduled", "--log-format", "--drain-timeout"):
            self.assertIn(opt, r.stdout)

    def test_missing_file(self):
        r = run("/nonexistent/worker.js")
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("no such file", r.stderr)
        self.assertEqual(len(r.stderr.strip().splitlines()), 1)

    def test_unknown_option(self):
        r = run("--frobnicate")
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("frobnicate", r.stderr)

    def test_invalid_config(self):
        w = worker_file("export default { fetch() { return new Response('x') } }",
                        extra={"wrangler.toml": "name = \n"})
        r = run(w)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("wrangler.toml", r.stderr)

    def test_port_in_use(self):
        w = worker_file("export default { fetch() { return new Response('x') } }")
        # A single-thread server binds without SO_REUSEPORT, so the port is exclusively its own.
        with Server(w, "--threads", "1") as s:
            r = run("--port", str(s.port), "--threads", "1", w)
            self.assertEqual(r.returncode, 1)
            self.assertIn("address already in use", r.stderr)
            self.assertNotIn("Assertion", r.stderr)

    def test_sigterm_under_load_exits_cleanly(self):
        w = worker_file("export default { async fetch(r) { return new Response(await r.text()) } }")
        s = Server(w, "--threads", "2")
        stop = threading.Event()
        def hammer():
            while not stop.is_set():
                try:
                    s.request("POST", "/", body=b"x" * 5000, timeout=5)
                except Exception:
                    pass
        threads = [threading.Thread(target=hammer) for _ in range(8)]
        for t in threads:
            t.start()
        time.sleep(1.0)
        code = s.stop()
        stop.set()
        for t in threads:
            t.join()
        self.assertEqual(code, 0, "".join(s.stderr_lines)[-2000:])

    def test_syntax_error_reports_location(self):
        w = worker_file("export default {\n  fetch() { return new Response('x') \n};;;{{\n")
        r = run(w)
        self.assertNotEqual(r.returncode, 0)
        self.assertRegex(r.stderr, r"worker\.js:\d+:\d+")
        self.assertIn("SyntaxError", r.stderr)

    def test_top_level_throw_reports_location(self):
        w = worker_file("const x = 1;\nthrow new Error('top level boom');\nexport default {};\n")
        r = run(w)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("worker.js:2:", r.stderr)
        self.assertIn("top level boom", r.stderr)

    def test_unsupported_bindings_are_reported(self):
        w = worker_file("export default { fetch() { return new Response('x') } }",
                        extra={"wrangler.toml": 'name = "w"\nmain = "worker.js"\n'
                               '[[r2_buckets]]\nbinding = "BUCKET"\nbucket_name = "b"\n'})
        with Server(w) as s:
            time.sleep(0.1)
            self.assertIn("BUCKET", "".join(s.stderr_lines))
            self.assertIn("not supported", "".join(s.stderr_lines))


class Lifecycle(unittest.TestCase):
    def test_wait_until_runs_after_response(self):
        # Ordering, not timing: the response is out while the waitUntil promise is still pending.
        w = worker_file(r"""
let log = [];
export default {
  async fetch(request, env, ctx) {
    if (new URL(request.url).pathname === '/log') return Response.json(log);
    ctx.waitUntil(new Promise((r) => setTimeout(() => { log.push('later'); r(); }, 1500)));
    log.push('response');
    return new Response('sent');
  },
};
""")
        with Server(w, "--threads", "1") as s:
            status, _, body, _ = s.request("GET", "/")
            self.assertEqual(body, b"sent")
            _, _, body, _ = s.request("GET", "/log")
            self.assertEqual(json.loads(body), ["response"])
            deadline = time.time() + 10
            while time.time() < deadline:
                _, _, body, _ = s.request("GET", "/log")
                if len(json.loads(body)) == 2:
                    break
                time.sleep(0.1)
            self.assertEqual(json.loads(body), ["response", "later"])

    def test_scheduled_route(self):
        w = worker_file(r"""
let seen = null;
export default {
  fetch() { return Response.json(seen); },
  async scheduled(controller, env, ctx) { seen = { cron: controller.cron, t: typeof controller.scheduledTime }; },
};
""")
        with Server(w, "--threads", "1", "--test-scheduled") as s:
            status, _, body, _ = s.request("GET", "/__scheduled?cron=*+*+*+*+*")
            self.assertEqual((status, body), (200, b"Ran scheduled event"))
            _, _, body, _ = s.request("GET", "/")
            self.assertEqual(json.loads(body), {"cron": "* * * * *", "t": "number"})

    def test_sigterm_drains_in_flight_and_wait_until(self):
        marker = os.path.join(os.path.dirname(worker_file("")), "never-used")
        w = worker_file(r"""
export default {
  async fetch(request, env, ctx) {
    ctx.waitUntil(new Promise((r) => setTimeout(r, 300)));
    await new Promise((r) => setTimeout(r, 500));
    return new Response('finished');
  },
};
""")
        s = Server(w, "--threads", "1")
        result = {}
        def client():
            result["r"] = s.request("GET", "/")
        t = threading.Thread(target=client)
        t.start()
        time.sleep(0.15)
        t0 = time.time()
        s.proc.send_signal(signal.SIGTERM)
        t.join(10)
        code = s.proc.wait(10)
        self.assertEqual(code, 0)
        self.assertEqual(result["r"][2], b"finished")
        self.assertGreater(time.time() - t0, 0.3)

    def test_dev_vars_and_json_vars(self):
        w = worker_file("export default { fetch(r, env) { return Response.json(env) } }",
                        extra={"wrangler.jsonc": '{ // comment\n "name": "w", "main": "worker.js",\n'
                               ' "vars": { "A": "a", "N": 5, "O": {"k": [1]} }, }',
                               ".dev.vars": "SECRET=s3cr3t\nA=from-dev-vars\n"})
        with Server(w) as s:
            _, _, body, _ = s.request("GET", "/")
            self.assertEqual(json.loads(body), {"A": "from-dev-vars", "N": 5, "O": {"k": [1]},
                                                "SECRET": "s3cr3t"})

    def test_json_logs_and_unhandled_rejections(self):
        w = worker_file(r"""
let count = 0;
export default {
  async fetch(request) {
    Promise.reject(new Error('forgotten rejection'));
    return new Response(String(++count));
  },
};
""")
        with Server(w, "--threads", "1", "--log-format", "json") as s:
            bodies = [s.request("GET", "/p?q=%22")[2] for _ in range(3)]
            self.assertEqual(bodies, [b"1", b"2", b"3"])  # module state lives for the isolate
            time.sleep(0.3)
            entries = [json.loads(l) for l in s.stdout_lines if l.startswith("{")]
            self.assertEqual(len(entries), 3)
            self.assertEqual(entries[0]["method"], "GET")
            self.assertEqual(entries[0]["path"], "/p?q=%22")
            self.assertEqual(entries[0]["status"], 200)
            self.assertIsInstance(entries[0]["durationMs"], float)
            self.assertIn("Uncaught (in promise) Error: forgotten rejection", "".join(s.stderr_lines))

    def test_client_gone_mid_stream_neither_kills_nor_blocks_drain(self):
        w = worker_file(r"""
export default {
  fetch() {
    let i = 0;
    const chunk = new Uint8Array(64 * 1024);
    return new Response(new ReadableStream({
      pull(c) { if (i++ < 256) c.enqueue(chunk); else c.close(); },
    }));
  },
};
""")
        s = Server(w, "--threads", "1")
        try:
            for _ in range(20):  # read a little of a 16 MiB response, then hang up
                sock = s.connect()
                sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
                sock.recv(1000)
                sock.close()
            time.sleep(0.3)
            self.assertIsNone(s.proc.poll(), "server died (SIGPIPE?)")
            self.assertEqual(s.request("GET", "/")[0], 200)
            t0 = time.time()
            self.assertEqual(s.stop(), 0)
            self.assertLess(time.time() - t0, 5, "drain waited for exchanges that were gone")
        finally:
            s.stop()

    def test_var_before_script(self):
        w = worker_file("export default { fetch(r, env) { return new Response(env.K) } }")
        with Server("--var", "K=v1", w) as s:
            self.assertEqual(s.request("GET", "/")[2], b"v1")

    def test_npm_packages_from_node_modules(self):
        w = worker_file(
            "import { greet } from 'tiny-router';\nimport { version } from '@acme/util/version';\n"
            "export default { fetch() { return new Response(greet() + ' ' + version) } }",
            extra={
                "node_modules/tiny-router/package.json": json.dumps({
                    "name": "tiny-router", "type": "module",
                    "exports": {".": {"node": "./node.js", "workerd": "./worker.js",
                                      "default": "./index.js"}}}),
                "node_modules/tiny-router/worker.js": "export const greet = () => 'workerd-build';",
                "node_modules/tiny-router/node.js": "export const greet = () => 'node-build';",
                "node_modules/@acme/util/package.json": json.dumps({"name": "@acme/util", "main": "main.js"}),
                "node_modules/@acme/util/version.js": "export const version = '1.2.3';",
            })
        with Server(w) as s:
            self.assertEqual(s.request("GET", "/")[2], b"workerd-build 1.2.3")
        r = run(worker_file("import x from 'not-installed';\nexport default { fetch() {} }"))
        self.assertNotEqual(r.returncode, 0)
        self.assertIn('No such module "not-installed"', r.stderr)

    def test_commonjs_modules_and_packages(self):
        w = worker_file(
            "import cookie, { serialize } from 'cookie-ish';\n"
            "import helper from './lib/helper.cjs';\n"
            "import transpiled, { named } from './lib/transpiled.js';\n"
            "export default { fetch() { return Response.json({\n"
            "  parsed: cookie.parse('a=1; b=2'), serialized: serialize('k', 'v'),\n"
            "  helper: helper(), transpiled: transpiled(), named, } ) } }",
            extra={
                "node_modules/cookie-ish/package.json": json.dumps({"name": "cookie-ish", "main": "index.js"}),
                "node_modules/cookie-ish/index.js":
                    "'use strict';\nconst { sep } = require('./lib/sep');\nconst meta = require('./meta.json');\n"
                    "exports.parse = function (s) { const o = {}; for (const p of s.split(sep)) {"
                    " const [k, v] = p.split('='); o[k] = v; } o.version = meta.version; return o; };\n"
                    "exports.serialize = (k, v) => k + '=' + v;\n",
                "node_modules/cookie-ish/lib/sep.js": "module.exports = { sep: '; ' };\n",
                "node_modules/cookie-ish/meta.json": '{"version": "0.7.2"}',
                "lib/helper.cjs": "const a = require('./a.js');\nmodule.exports = () => 'helper:' + a.name;\n",
                "lib/a.js": "const b = require('./b.js');\nexports.name = 'a+' + b.name;\n",
                "lib/b.js": "const a = require('./a.js');\nexports.name = 'b(sees a partial: ' + (a.name === undefined) + ')';\n",
                "lib/transpiled.js": "Object.defineProperty(exports, '__esModule', { value: true });\n"
                                     "exports.default = () => 'default-export';\nexports.named = 'named-export';\n",
            })
        with Server(w) as s:
            self.assertEqual(json.loads(s.request("GET", "/")[2]), {
                "parsed": {"a": "1", "b": "2", "version": "0.7.2"}, "serialized": "k=v",
                "helper": "helper:a+b(sees a partial: true)", "transpiled": "default-export",
                "named": "named-export"})
        w = worker_file("import x from './esm-user.cjs';\nexport default { fetch() {} }",
                        extra={"esm-user.cjs": "module.exports = require('./esm.js');",
                               "esm.js": "export const y = 1;"})
        r = run(w)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("require() of the ES module", r.stderr)

    def test_module_rules_and_imports(self):
        w = worker_file("import t from './page.html';\nimport { x } from './lib/x.js';\n"
                        "export default { fetch() { return new Response(t + x) } }",
                        extra={"page.html": "<p>hi</p>", "lib/x.js": "export const x = '!';"})
        with Server(w) as s:
            _, _, body, _ = s.request("GET", "/")
            self.assertEqual(body, b"<p>hi</p>!")


if __name__ == "__main__":
    main()
