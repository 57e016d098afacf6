#!/usr/bin/env python3
"""pactown-run against workerd, Deno, Bun and Node (and nginx for `hello`): see bench/README.md.

Usually started by bench/run.sh, which installs the tools first. Python 3 standard library only."""

import argparse
import datetime
import json
import os
import platform
import shutil
import signal
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import procs, report, runtimes, workloads, wrk  # noqa: E402

BENCH_DIR = os.path.dirname(os.path.abspath(__file__))


def parse_args(argv):
    p = argparse.ArgumentParser(prog="bench/run.sh", description=__doc__)
    p.add_argument("--quick", action="store_true",
                   help="1 round, 3 s per measurement (default: 3 rounds, 10 s)")
    p.add_argument("--workloads", default=",".join(workloads.ORDER),
                   help="comma-separated, from: " + ", ".join(workloads.ORDER))
    p.add_argument("--runtimes", default=",".join(r.name for r in runtimes.ALL),
                   help="comma-separated, from: " + ", ".join(r.name for r in runtimes.ALL))
    p.add_argument("--rounds", type=int, help="rounds (default 3, quick 1)")
    p.add_argument("--duration", type=int, help="measured seconds per run (default 10, quick 3)")
    p.add_argument("--warmup", type=int, default=2, help="warmup seconds (default 2)")
    p.add_argument("--connections", type=int, default=64, help="wrk connections (default 64)")
    p.add_argument("--wrk-threads", type=int, default=1, help="wrk threads (default 1)")
    p.add_argument("--threads", type=int, default=2,
                   help="pactown-run --threads and nginx worker_processes (default 2)")
    p.add_argument("--out", default=os.path.join(BENCH_DIR, "results"), help="results folder")
    p.add_argument("--check-only", action="store_true",
                   help="only start each runtime and check each workload's answer (no wrk)")
    p.add_argument("--keep-tmp", action="store_true", help="keep each run's temp dir and logs")
    args = p.parse_args(argv)
    args.rounds = args.rounds or (1 if args.quick or args.check_only else 3)
    args.duration = args.duration or (3 if args.quick else 10)
    args.workloads = [w.strip() for w in args.workloads.split(",") if w.strip()]
    for w in args.workloads:
        if w not in workloads.WORKLOADS:
            p.error(f"unknown workload {w!r}")
    names = [runtimes.ALIASES.get(r.strip(), r.strip()) for r in args.runtimes.split(",")
             if r.strip()]
    known = {r.name: r for r in runtimes.ALL}
    for n in names:
        if n not in known:
            p.error(f"unknown runtime {n!r}")
    args.runtime_classes = [known[n] for n in names]
    return args


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def machine_meta(args):
    cpu_model = "?"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu_model = line.split(":", 1)[1].strip()
                    break
        with open("/proc/meminfo") as f:
            mem_kb = int(f.readline().split()[1])
    except OSError:
        mem_kb = 0
    return {
        "type": "meta",
        "started": datetime.datetime.now().strftime("%Y-%m-%d %H:%M"),
        "cpu_model": cpu_model, "cpus": os.cpu_count(), "mem_gb": mem_kb / 2**20,
        "kernel": platform.release(), "load_before": _loadavg(),
        "quick": args.quick, "check_only": args.check_only, "rounds": args.rounds,
        "duration": args.duration,
        "warmup": args.warmup, "connections": args.connections,
        "wrk_threads": args.wrk_threads, "threads": args.threads,
        "workloads": args.workloads, "wrk_version": wrk.wrk_version(),
    }


def _loadavg():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def run_one(rt, workload, round_no, args):
    """Spawn, first 200, check, idle RSS, warmup, measured run, stop. Returns a record."""
    rec = {"type": "run", "round": round_no, "workload": workload, "runtime": rt.name,
           "status": "failed", "error": None, "errors": 0}
    tmpdir = tempfile.mkdtemp(prefix=f"pactown-bench-{rt.name}-{workload}-")
    server = None
    try:
        port = procs.free_port()
        argv, extra_env = rt.command(workloads.worker_path(workload), tmpdir, port)
        env = dict(os.environ)
        env.update(extra_env)
        req = workloads.request_for(workload)
        server = procs.Server(argv, tmpdir, env, os.path.join(tmpdir, "server.log"))
        cold_s, response = procs.wait_first_200(server, port, req)
        rec["cold_ms"] = cold_s * 1000
        problem = workloads.check(workload, response)
        if problem is None:  # a second request on a warm server must be right too
            problem = workloads.check(workload, procs.http_request(port, req))
        if problem:
            rec["status"], rec["error"] = "invalid", problem
            return rec
        if args.check_only:
            rec["status"] = "ok"
            return rec
        time.sleep(0.3)
        rss, _, count = procs.tree_usage(server.pid)
        rec["idle_rss_mb"] = rss / 2**20
        rec["processes"] = count
        script = wrk.write_script(tmpdir, workloads.wrk_script(workload))
        sampler = procs.PeakSampler(server.pid)
        sampler.start()
        try:
            if args.warmup > 0:
                wrk.run(port, req["path"], script, args.warmup, args.connections,
                        args.wrk_threads)
            _, cpu0, _ = procs.tree_usage(server.pid)
            result = wrk.run(port, req["path"], script, args.duration, args.connections,
                             args.wrk_threads)
            _, cpu1, _ = procs.tree_usage(server.pid)
        finally:
            sampler.stop()
        rec["peak_rss_mb"] = sampler.peak / 2**20
        rec["rss_samples"] = sampler.samples
        for key in ("requests", "errors", "socket_errors", "status", "timeout", "rps"):
            rec[key if key != "status" else "non_2xx"] = result[key]
        rec["p50_ms"] = result["p50_us"] / 1000
        rec["p90_ms"] = result["p90_us"] / 1000
        rec["p99_ms"] = result["p99_us"] / 1000
        rec["max_ms"] = result["max_us"] / 1000
        rec["bytes"] = result["bytes"]
        rec["cpu_s"] = cpu1 - cpu0
        rec["cpu_us_per_req"] = ((cpu1 - cpu0) * 1e6 / result["requests"]
                                 if result["requests"] else None)
        if not server.alive():
            rec["error"] = (f"server {server.exit_reason()} during warmup or run; log: "
                            f"{server.log_tail()}")
            return rec
        rec["status"] = "ok"
        return rec
    except Exception as e:  # a misbehaving server fails its run, never the whole benchmark
        text = str(e) if isinstance(e, RuntimeError) else f"{type(e).__name__}: {e}"
        rec["error"] = text[-1500:]
        return rec
    finally:
        if server is not None:
            server.stop()
        if args.keep_tmp:
            rec["tmpdir"] = tmpdir
        else:
            shutil.rmtree(tmpdir, ignore_errors=True)


def describe(rec):
    if rec["status"] != "ok":
        return f"{rec['status'].upper()}: {(rec['error'] or '')[:300]}"
    if "rps" not in rec:
        return f"answer ok, cold {rec['cold_ms']:.0f} ms"
    return (f"{rec['rps']:,.0f} req/s  p50 {rec['p50_ms']:.2f} ms  p99 {rec['p99_ms']:.2f} ms  "
            f"err {rec['errors']}  cold {rec['cold_ms']:.0f} ms  "
            f"rss {rec['idle_rss_mb']:.0f}/{rec['peak_rss_mb']:.0f} MB  "
            f"cpu {rec['cpu_us_per_req']:.0f} µs/req")


def results_path(out_dir, quick, check_only):
    day = datetime.date.today().isoformat() + ("-check" if check_only else
                                               "-quick" if quick else "")
    n = 1
    while True:
        stem = day if n == 1 else f"{day}-{n}"
        if not os.path.exists(os.path.join(out_dir, stem + ".md")):
            return os.path.join(out_dir, stem)
        n += 1


def _terminate(signum, frame):
    raise KeyboardInterrupt  # stop the current server and write what was measured


def main(argv):
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, _terminate)
    if not wrk.wrk_binary():
        log("wrk not found: run bench/setup.sh (or apt-get install -y wrk)")
        return 2
    meta = machine_meta(args)
    meta["runtimes"] = {}
    active = []
    for cls in args.runtime_classes:
        rt = cls(args)
        rt.locate()
        meta["runtimes"][rt.name] = {"version": rt.version, "problem": rt.problem,
                                     "binary": rt.binary}
        if rt.problem:
            log(f"skip {rt.name}: {rt.problem}")
        else:
            log(f"{rt.name}: {rt.version}  ({rt.binary})")
            active.append(rt)
    if not active:
        log("no runtime can run")
        return 2
    js_names = {rt.name for rt in active if rt.js}
    names = [cls.name for cls in args.runtime_classes]
    runs = sum(1 for w in args.workloads for rt in active if rt.supports(w))
    est = runs * args.rounds * (0.5 if args.check_only else args.duration + args.warmup + 0.7)
    log(f"{runs} runs x {args.rounds} round(s), about {est / 60:.0f} min")

    os.makedirs(args.out, exist_ok=True)
    stem = results_path(args.out, args.quick, args.check_only)
    tmp_jsonl = stem + ".jsonl.tmp"
    records = []
    started = time.time()
    with open(tmp_jsonl, "w") as raw:
        raw.write(json.dumps(meta) + "\n")
        try:
            for round_no in range(1, args.rounds + 1):
                shift = (round_no - 1) % len(active)
                order = active[shift:] + active[:shift]
                for workload in args.workloads:
                    group = []
                    for rt in order:
                        if not rt.supports(workload):
                            continue
                        rec = run_one(rt, workload, round_no, args)
                        log(f"[round {round_no}/{args.rounds}] {workload:8s} {rt.name:12s} "
                            f"{describe(rec)}")
                        group.append(rec)
                    report.add_ratios(group, js_names)
                    for rec in group:
                        raw.write(json.dumps(rec) + "\n")
                        raw.flush()
                    records += group
        except KeyboardInterrupt:
            meta["partial"] = True
            log("interrupted: writing what was measured")
    meta["load_after"] = _loadavg()
    meta["wall_s"] = time.time() - started
    with open(tmp_jsonl, "a") as raw:
        raw.write(json.dumps({"type": "end", "load_after": meta["load_after"],
                              "wall_s": meta["wall_s"], "partial": bool(meta.get("partial"))})
                  + "\n")
    os.replace(tmp_jsonl, stem + ".jsonl")
    rows = report.summarize(records, args.workloads, names)
    text = report.markdown(meta, rows, names)
    with open(stem + ".md", "w") as f:
        f.write(text)
    print(text)
    log(f"wrote {stem}.md and {stem}.jsonl")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
