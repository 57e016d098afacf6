"""Ratios within a round, medians across rounds, and the Markdown report."""

import math
import statistics

COLUMNS = [
    ("req/s", "rps", "{:,.0f}"),
    ("× workerd", "ratio_workerd", "{:.2f}"),
    ("× best peer", "ratio_best_peer", "{:.2f}"),
    ("p50 ms", "p50_ms", "{:.2f}"),
    ("p99 ms", "p99_ms", "{:.2f}"),
    ("errors", "errors", "{:,d}"),
    ("cold start ms", "cold_ms", "{:.0f}"),
    ("idle RSS MB", "idle_rss_mb", "{:.1f}"),
    ("peak RSS MB", "peak_rss_mb", "{:.1f}"),
    ("CPU µs/req", "cpu_us_per_req", "{:.0f}"),
]


def add_ratios(group, js_runtimes):
    """Sets ratio_workerd and ratio_best_peer on the ok records of one (round, workload).

    The best peer of a runtime is the fastest *other* JS runtime in the same round and workload
    (the nginx baseline is never a peer)."""
    ok = [r for r in group if r["status"] == "ok" and "rps" in r]
    workerd = next((r for r in ok if r["runtime"] == "workerd"), None)
    for rec in ok:
        rec["ratio_workerd"] = (rec["rps"] / workerd["rps"]
                                if workerd and workerd["rps"] > 0 else None)
        peers = [r for r in ok if r is not rec and r["runtime"] in js_runtimes]
        best = max(peers, key=lambda r: r["rps"], default=None)
        rec["best_peer"] = best["runtime"] if best else None
        rec["ratio_best_peer"] = rec["rps"] / best["rps"] if best and best["rps"] > 0 else None


def _median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def _one_line(text, limit=400):
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[:limit] + " …"


def summarize(records, workloads, runtimes):
    """One row per (workload, runtime) that was attempted: medians over ok rounds."""
    rows = []
    for wl in workloads:
        for rt in runtimes:
            recs = [r for r in records if r["workload"] == wl and r["runtime"] == rt]
            if not recs:
                continue
            ok = [r for r in recs if r["status"] == "ok"]
            row = {"workload": wl, "runtime": rt, "rounds": len(ok), "attempts": len(recs),
                   "problems": sorted({f"{r['status']}: {_one_line(r['error'])}" for r in recs
                                       if r["status"] != "ok"})}
            for _, key, _ in COLUMNS:
                if key == "errors":
                    row[key] = sum(r["errors"] for r in ok) if ok else None
                else:
                    row[key] = _median([r.get(key) for r in ok])
            peers = sorted({r["best_peer"] for r in ok if r.get("best_peer")})
            row["best_peers"] = peers
            rows.append(row)
    return rows


def geomean_vs_workerd(rows, runtimes):
    """Per runtime: geometric mean of its median × workerd over the workloads it ran."""
    out = {}
    for rt in runtimes:
        ratios = [r["ratio_workerd"] for r in rows
                  if r["runtime"] == rt and r.get("ratio_workerd")]
        if ratios:
            out[rt] = (math.exp(sum(math.log(x) for x in ratios) / len(ratios)), len(ratios))
    return out


def _cell(fmt, value):
    return "—" if value is None else fmt.format(value)


def table(rows):
    head = ["workload", "runtime"] + [c[0] for c in COLUMNS] + ["rounds"]
    lines = ["| " + " | ".join(head) + " |",
             "|" + "|".join(["---", "---"] + ["---:"] * (len(COLUMNS) + 1)) + "|"]
    for row in rows:
        cells = [row["workload"], f"**{row['runtime']}**" if row["runtime"] == "pactown-run"
                 else row["runtime"]]
        cells += [_cell(fmt, row[key]) for _, key, fmt in COLUMNS]
        cells.append(f"{row['rounds']}/{row['attempts']}")
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def markdown(meta, rows, runtimes):
    out = [f"# pactown-run benchmark, {meta['started']}", ""]
    if meta.get("partial"):
        out += ["**Partial run (interrupted).**", ""]
    out += [
        f"- machine: {meta['cpu_model']}, {meta['cpus']} CPUs, {meta['mem_gb']:.0f} GiB, "
        f"Linux {meta['kernel']}",
        f"- load average before / after: {meta['load_before']} / {meta.get('load_after', '?')}"
        " (other work on the machine makes numbers noisy)",
        ("- check only: each runtime started and each workload's answer checked; no load"
         if meta.get("check_only") else
         f"- wrk: {meta['wrk_threads']} thread, {meta['connections']} connections, "
         f"{meta['duration']} s measured after {meta['warmup']} s warmup, {meta['rounds']} "
         f"round(s), runtime order rotated each round; medians shown"),
        f"- pactown-run and nginx: {meta['threads']} threads/workers; workerd, Deno, Bun, Node: "
        "their default (one JS thread)",
        f"- wall time: {meta.get('wall_s', 0) / 60:.1f} min",
        "",
        "| runtime | version |",
        "|---|---|",
    ]
    for rt in runtimes:
        info = meta["runtimes"].get(rt, {})
        out.append(f"| {rt} | {info.get('version') or 'not run: ' + str(info.get('problem'))} |")
    out.append(f"| wrk | {meta.get('wrk_version')} |")
    out += ["", table(rows), ""]
    geo = geomean_vs_workerd(rows, runtimes)
    if geo:
        out += ["Geometric mean of median req/s × workerd over the workloads each ran:", ""]
        out += [f"- {rt}: {g:.2f} ({n} workloads)" for rt, (g, n) in geo.items()]
        out.append("")
    problems = [(r["workload"], r["runtime"], p) for r in rows for p in r["problems"]]
    if problems:
        out += ["Problems (a failed or invalid run is left out of the medians):", ""]
        out += [f"- {wl} × {rt}: {p}" for wl, rt, p in problems]
        out.append("")
    out += [
        "How to read: req/s, latency, errors and CPU come from the measured wrk run; "
        "× workerd and × best peer are computed within each round (same workload, runs "
        "minutes apart at most) and then the median is taken; best peer = fastest other JS "
        "runtime in that round. cold start = spawn until the first 200 (polled every 5 ms). "
        "RSS sums every process of the server's session (/proc, sampled every 100 ms over "
        "warmup + run). CPU µs/req = utime+stime of the server's processes during the "
        "measured run / requests (wrk's own CPU is not included). See bench/README.md.",
        "",
    ]
    return "\n".join(out)
