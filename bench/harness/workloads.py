"""The workloads: which worker file, which request wrk sends, and how to check an answer.

Every runtime must answer the check request correctly before it is measured, so a runtime that
mishandles a workload shows up as `invalid` instead of as a fast wrong answer."""

import json
import math
import os

WORKLOAD_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                            "workloads")


def _json_body(body):
    try:
        return json.loads(body)
    except ValueError as e:
        raise AssertionError(f"not JSON ({e}): {body[:200]!r}")


def _expect(cond, message):
    if not cond:
        raise AssertionError(message)


def _check_hello(status, headers, body):
    _expect(body == b"Hello World!", f"body {body[:100]!r}")


def _js_round2(x):
    # Math.round(x * 100) / 100, with Math.round's round-half-up.
    return math.floor(x * 100 + 0.5) / 100


def _order():
    with open(os.path.join(WORKLOAD_DIR, "order.json"), "rb") as f:
        return f.read()


def _check_json(status, headers, body):
    got = _json_body(body)
    order = json.loads(_order())
    total = 0
    for item in order["items"]:
        total += _js_round2(item["price"] * item["qty"])
    _expect(got.get("id") == order["id"], f"id {got.get('id')!r}")
    _expect(got.get("customer") == "LOVELACE, Ada", f"customer {got.get('customer')!r}")
    _expect(got.get("itemCount") == len(order["items"]), f"itemCount {got.get('itemCount')!r}")
    _expect(abs(got.get("total", -1) - _js_round2(total)) < 1e-9, f"total {got.get('total')!r}")
    _expect(sum(got.get("tags", {}).values()) == 2 * len(order["items"]), "tag counts")
    totals = [line["lineTotal"] for line in got.get("lines", [])]
    _expect(totals == sorted(totals, reverse=True), "lines not sorted by lineTotal")
    _expect(got["lines"][0]["sku"].startswith("SKU-"), "sku not upper-cased")


HEADERS_QUERY = "/echo/path?name=pactown&n=3&tags=a%2Cb"
HEADERS_SENT = {
    "User-Agent": "pactown-bench/1",
    "Accept": "application/json",
    "X-Request-Id": "req-42",
    "X-Client": "bench",
    "X-Trace": "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
}


def _check_headers(status, headers, body):
    got = _json_body(body)
    _expect(got.get("path") == "/echo/path", f"path {got.get('path')!r}")
    _expect(got.get("query") == {"name": "pactown", "n": "3", "tags": "a,b"},
            f"query {got.get('query')!r}")
    _expect(got.get("greeting") == "hello", f"env.GREETING {got.get('greeting')!r}")
    _expect(got.get("headers", {}).get("x-client") == "bench", f"headers {got.get('headers')!r}")
    _expect(got.get("userAgent") == "pactown-bench/1", f"userAgent {got.get('userAgent')!r}")
    names = [name for name, _ in headers]
    _expect(names.count("set-cookie") == 2, f"{names.count('set-cookie')} set-cookie headers")
    _expect(dict(headers).get("x-request-id") == "req-42", "x-request-id not echoed")
    _expect(dict(headers).get("x-query-count") == "3", "x-query-count")


def _check_stream(status, headers, body):
    _expect(len(body) == 16 * 65536, f"{len(body)} bytes, expected 1048576")
    _expect(body[0] == ord("a") and body[-1] == ord("a") + 15, "chunk contents/order")


def _check_cpu(status, headers, body):
    got = _json_body(body)
    want = {"hash": 2713437327, "checksum": 3228616056, "kept": 1250}
    _expect(got == want, f"result {got!r}, expected {want!r}")


def _check_async(status, headers, body):
    got = _json_body(body)
    _expect(got == {"steps": 5, "a": 6, "b": 7}, f"result {got!r}")


def _check_status(check):
    def wrapped(status, headers, body):
        _expect(status == 200, f"status {status}")
        check(status, headers, body)
    return wrapped


WORKLOADS = {
    "hello": {
        "what": "GET, 12-byte text response",
        "request": {"method": "GET", "path": "/"},
        "check": _check_hello,
    },
    "json": {
        "what": "POST ~1.3 KB JSON order; parse, transform, JSON response",
        "request": {"method": "POST", "path": "/orders", "body_file": "order.json",
                    "headers": {"Content-Type": "application/json"}},
        "check": _check_json,
    },
    "headers": {
        "what": "read 5 request headers + query, echo JSON, 7 response headers (2 set-cookie)",
        "request": {"method": "GET", "path": HEADERS_QUERY, "headers": HEADERS_SENT},
        "check": _check_headers,
    },
    "stream": {
        "what": "1 MiB body as 16 x 64 KiB chunks from a ReadableStream",
        "request": {"method": "GET", "path": "/stream"},
        "check": _check_stream,
    },
    "cpu": {
        "what": "~3 ms of pure JS per request (hashing, strings, sort)",
        "request": {"method": "GET", "path": "/cpu"},
        "check": _check_cpu,
    },
    "async": {
        "what": "6 awaits, a queueMicrotask and a setTimeout(0) hop",
        "request": {"method": "GET", "path": "/async"},
        "check": _check_async,
    },
}

ORDER = ["hello", "json", "headers", "stream", "cpu", "async"]


def worker_path(name):
    return os.path.join(WORKLOAD_DIR, f"{name}.js")


def request_for(name):
    """The request as a dict for http.client: method, path, headers, body (bytes or None)."""
    spec = WORKLOADS[name]["request"]
    req = {"method": spec["method"], "path": spec["path"], "headers": dict(spec.get("headers", {}))}
    req["body"] = None
    if "body_file" in spec:
        with open(os.path.join(WORKLOAD_DIR, spec["body_file"]), "rb") as f:
            req["body"] = f.read()
    return req


def check(name, response):
    """None when `response` (status, headers, body) is right for workload `name`, else why not."""
    status, headers, body = response
    try:
        _check_status(WORKLOADS[name]["check"])(status, headers, body)
    except AssertionError as e:
        return str(e)
    return None


def _lua_quoted(text):
    out = []
    for byte in text.encode("utf-8"):
        ch = chr(byte)
        if ch in '"\\' or byte < 32 or byte > 126:
            out.append(f"\\{byte:03d}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def _lua_long_string(text):
    level = 1
    while f"]{'=' * level}]" in text:
        level += 1
    eq = "=" * level
    # A newline right after the opening bracket is dropped by Lua, so start with one.
    return f"[{eq}[\n{text}]{eq}]"


def wrk_script(name):
    """A wrk Lua script that sends the workload's request and prints one `BENCH_JSON {...}` line
    with the summary (wrk's latency numbers are microseconds)."""
    req = request_for(name)
    lines = [f"wrk.method = {_lua_quoted(req['method'])}"]
    for key, value in req["headers"].items():
        lines.append(f"wrk.headers[{_lua_quoted(key)}] = {_lua_quoted(value)}")
    if req["body"] is not None:
        lines.append(f"wrk.body = {_lua_long_string(req['body'].decode('utf-8'))}")
    lines.append(_DONE_LUA)
    return "\n".join(lines) + "\n"


_DONE_LUA = r"""
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests":%d,"duration_us":%d,"bytes":%d,"connect":%d,"read":%d,' ..
    '"write":%d,"status":%d,"timeout":%d,"p50_us":%d,"p90_us":%d,"p99_us":%d,' ..
    '"mean_us":%.1f,"max_us":%d}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status,
    e.timeout, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.mean, latency.max))
end
"""
