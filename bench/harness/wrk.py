"""Runs wrk against a server and returns its summary as a dict."""

import json
import os
import shutil
import subprocess


def wrk_binary():
    return shutil.which("wrk")


def wrk_version():
    binary = wrk_binary()
    if not binary:
        return None
    out = subprocess.run([binary, "-v"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         stdin=subprocess.DEVNULL)
    text = out.stdout.decode("utf-8", "replace").strip()
    return text.splitlines()[0] if text else "?"


def run(port, path, script_path, seconds, connections, threads, timeout_s=10):
    """One wrk run. Returns the BENCH_JSON summary plus `rps`, `errors` and wrk's text output;
    raises RuntimeError when wrk fails or prints no summary."""
    seconds = max(1, int(round(seconds)))  # wrk takes whole seconds
    argv = [wrk_binary(), f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency",
            f"--timeout={timeout_s}s", "-s", script_path, f"http://127.0.0.1:{port}{path}"]
    try:
        out = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                             stdin=subprocess.DEVNULL, timeout=seconds + 60)
    except subprocess.TimeoutExpired:
        raise RuntimeError(f"wrk did not finish within {seconds + 60} s")
    text = out.stdout.decode("utf-8", "replace")
    summary = None
    for line in text.splitlines():
        if line.startswith("BENCH_JSON "):
            summary = json.loads(line[len("BENCH_JSON "):])
    if out.returncode != 0 or summary is None:
        raise RuntimeError(f"wrk exited {out.returncode}: {text[-800:]}")
    duration = summary["duration_us"] / 1e6
    summary["rps"] = summary["requests"] / duration if duration > 0 else 0.0
    summary["socket_errors"] = (summary["connect"] + summary["read"] + summary["write"] +
                                summary["timeout"])
    summary["errors"] = summary["socket_errors"] + summary["status"]
    summary["text"] = text
    return summary


def write_script(tmpdir, text):
    path = os.path.join(tmpdir, "wrk.lua")
    with open(path, "w") as f:
        f.write(text)
    return path
