#!/usr/bin/env python3
"""The dashboard's cost against the process count and against the request rate, plotted.

Runs benchmarks/dashboard-cost.py on benchmarks/uwsgi-pool.yaml (nginx in front of four uWSGI
apps; `--workers N` gives every component N workers, so 5(N+1) processes):
  - count: idle, for each N of --workers (default 1,9,19,39: 10, 50, 100, 200 processes);
  - rate: at the largest N, wrk from outside at each of --rates requests/s (stacktop's load off);
each beside `htop -d 10 -p <the stack's pids>` in the same run, and beside the same binary with
STACKTOP_SCAN=full (every process on the machine read at every scan, as before the scoped scan),
alternating. Writes the sections "Scale: cost against the process count" and "Scale: cost
against the rate" of RESULTS.md (with --write) and benchmarks/scale.svg, a plot without
dependencies (plain SVG text).

The figures are kept in benchmarks/scale.json; --replot redraws the plot and the sections from it.

Usage: benchmarks/scale.py [--stacktop .build/release/stacktop] [--workers 1,9,19,39]
         [--rates 250,1000,2000] [--rounds 1] [--window 20] [--write] [--replot]
"""
import argparse, datetime, json, math, os, platform, re, statistics, subprocess, sys, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HERE = os.path.join(ROOT, "benchmarks")


def run_cost(args, tmp, workers, phases, extra=()):
    """One dashboard-cost.py run; returns its JSON."""
    out = os.path.join(tmp, f"cost-{workers}-{phases}-{'-'.join(extra)}.json")
    argv = [sys.executable, os.path.join(HERE, "dashboard-cost.py"), "--stacktop", args.stacktop,
            "--topology", os.path.join(HERE, "uwsgi-pool.yaml"), "--workers", str(workers),
            "--min-pids", str(5 * (workers + 1)), "--phases", phases, "--rounds", str(args.rounds),
            "--window", str(args.window), "--baseline-env", "STACKTOP_SCAN=full", "--json", out, *extra]
    print("+", " ".join(argv[1:]), file=sys.stderr, flush=True)
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL)
    with open(out) as f:
        return json.load(f)


def med(values):
    return statistics.median(values) if values else float("nan")


def fit(xs, ys):
    """Least-squares line: (intercept, slope)."""
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    sxx = sum((x - mx) ** 2 for x in xs)
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sxx if sxx else 0.0
    return my - slope * mx, slope


def nice_ticks(top):
    """Round tick values from 0 to at least `top` (steps of 1, 2, 2.5 or 5 times a power of ten)."""
    raw = max(top, 1e-9) / 5
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    return [step * i for i in range(int(math.ceil(top / step)) + 1)]


def svg_panel(x0, y0, w, h, title, xlabel, series, xmax, ymax, goal=None):
    """One plot: axes, round ticks, a polyline with dots per series (name, colour, [(x, y)]),
    an optional dashed goal line, the legend under the title."""
    xt, yt = nice_ticks(xmax), nice_ticks(ymax)
    xmax, ymax = xt[-1], yt[-1]
    legend = 16 * len(series) + 8
    sx = lambda x: x0 + 50 + (w - 70) * x / xmax
    sy = lambda y: y0 + h - 40 - (h - 70 - legend) * y / ymax
    parts = [f'<text x="{x0 + w / 2}" y="{y0 + 16}" text-anchor="middle" font-weight="bold">{title}</text>',
             f'<text x="{x0 + w / 2}" y="{y0 + h - 8}" text-anchor="middle">{xlabel}</text>',
             f'<text x="{x0 + 12}" y="{y0 + h / 2}" text-anchor="middle" transform="rotate(-90 {x0 + 12} {y0 + h / 2})">% of one core</text>']
    for y in yt:
        parts.append(f'<line x1="{sx(0) - 4}" y1="{sy(y):.1f}" x2="{sx(xmax)}" y2="{sy(y):.1f}" stroke="#ddd"/>')
        parts.append(f'<text x="{sx(0) - 6}" y="{sy(y) + 4:.1f}" text-anchor="end">{y:g}</text>')
    for x in xt:
        parts.append(f'<line x1="{sx(x):.1f}" y1="{sy(0)}" x2="{sx(x):.1f}" y2="{sy(0) + 4}" stroke="black"/>')
        parts.append(f'<text x="{sx(x):.1f}" y="{sy(0) + 16}" text-anchor="middle">{x:g}</text>')
    parts += [f'<line x1="{sx(0)}" y1="{sy(0)}" x2="{sx(xmax)}" y2="{sy(0)}" stroke="black"/>',
              f'<line x1="{sx(0)}" y1="{sy(0)}" x2="{sx(0)}" y2="{sy(ymax):.1f}" stroke="black"/>']
    if goal is not None:
        parts.append(f'<line x1="{sx(0)}" y1="{sy(goal):.1f}" x2="{sx(xmax)}" y2="{sy(goal):.1f}" stroke="#d62728" stroke-dasharray="6 4"/>')
        parts.append(f'<text x="{sx(xmax)}" y="{sy(goal) - 4:.1f}" text-anchor="end" fill="#d62728">goal: {goal:g}% of a core</text>')
    for k, (name, colour, points) in enumerate(series):
        pts = " ".join(f"{sx(x):.1f},{sy(y):.1f}" for x, y in points)
        parts.append(f'<polyline points="{pts}" fill="none" stroke="{colour}" stroke-width="2"/>')
        parts += [f'<circle cx="{sx(x):.1f}" cy="{sy(y):.1f}" r="3" fill="{colour}"/>' for x, y in points]
        parts.append(f'<rect x="{sx(0) + 10}" y="{y0 + 30 + 16 * k}" width="14" height="3" fill="{colour}"/>')
        parts.append(f'<text x="{sx(0) + 30}" y="{y0 + 35 + 16 * k}">{name}</text>')
    return parts


def svg(data):
    """Two panels side by side: CPU against processes (idle) and against requests/s."""
    count_rows, rate_rows = data["count_rows"], data["rate_rows"]
    w, h = 480, 340
    names = [("stacktop (scoped scan)", "#1f77b4", "dash"), ("the same, STACKTOP_SCAN=full", "#ff7f0e", "full"),
             ("htop -d 10 on the same pids", "#2ca02c", "htop")]
    ymax = max([r[k] for rows in (count_rows, rate_rows) for r in rows for _, _, k in names] + [1.0])
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{2 * w}" height="{h + 24}" font-family="sans-serif" font-size="11">',
             f'<rect width="{2 * w}" height="{h + 24}" fill="white"/>']
    parts += svg_panel(0, 0, w, h, "Idle: CPU against processes watched", "processes in the stack",
                       [(n, c, [(r["pids"], r[k]) for r in count_rows]) for n, c, k in names],
                       max(r["pids"] for r in count_rows), ymax, goal=1)
    if rate_rows:
        parts += svg_panel(w, 0, w, h, f"CPU against requests/s ({rate_rows[0]['pids']} processes)", "requests/s nginx logged",
                           [(n, c, [(r["rps"], r[k]) for r in rate_rows]) for n, c, k in names],
                           max(r["rps"] for r in rate_rows) or 1, ymax)
    note = (f"{data['when']}; {data['cpus']} CPUs, shared (load average {data['load_before'][0]} before); "
            f"medians of {data['rounds']} round(s), {data['window']:g} s windows; benchmarks/scale.py")
    parts.append(f'<text x="8" y="{h + 16}" fill="#555">{note}</text>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def rows_of(data, phase):
    """Medians of one dashboard-cost.py JSON: scoped, full-scan baseline, htop."""
    rs, base = data["results"][f"stacktop/{phase}"], data["results"][f"baseline/{phase}"]
    return {"pids": round(med([r["pids"] for r in rs])), "dash": med([r["dash"] for r in rs]),
            "full": med([r["dash"] for r in base]), "htop": med([r["htop"] for r in rs + base]),
            "rps": med([r["rps"] for r in rs]), "rps_full": med([r["rps"] for r in base]),
            "rss": med([r["rss_dash"] for r in rs]) / 2**20, "anon": med([r["rss_anon"] for r in rs]) / 2**20,
            "file": med([r["rss_file"] for r in rs]) / 2**20, "reaper": med([r["rss_reaper"] for r in rs]) / 2**20,
            "rounds": len(rs)}


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--stacktop", default=".build/release/stacktop")
    p.add_argument("--workers", default="1,9,19,39")
    p.add_argument("--rates", default="250,1000,2000")
    p.add_argument("--rounds", type=int, default=1)
    p.add_argument("--window", type=float, default=20)
    p.add_argument("--replot", action="store_true", help="only redraw scale.svg and the sections from scale.json")
    p.add_argument("--write", action="store_true")
    args = p.parse_args()
    os.chdir(ROOT)
    record = os.path.join(HERE, "scale.json")
    if args.replot:
        with open(record) as f:
            data = json.load(f)
    else:
        data = measure(args)
        with open(record, "w") as f:
            json.dump(data, f, indent=1)
    report(data, args.write)


def measure(args):
    """Runs the sweeps; returns the figures scale.json keeps."""
    args.stacktop = os.path.abspath(args.stacktop)
    load_before = open("/proc/loadavg").read().split()[:3]
    started = datetime.datetime.now(datetime.timezone.utc)
    workers = [int(w) for w in args.workers.split(",")]
    rates = [int(r) for r in args.rates.split(",") if r]
    count_rows, rate_rows = [], []
    with tempfile.TemporaryDirectory(prefix="stacktop-scale-") as tmp:
        for n in workers:
            count_rows.append(rows_of(run_cost(args, tmp, n, "idle"), "idle"))
            print(f"{count_rows[-1]}", file=sys.stderr, flush=True)
        if rates:
            rate_rows.append(dict(count_rows[-1], rps=0.0))
            for rate in rates:
                rate_rows.append(rows_of(run_cost(args, tmp, workers[-1], "wrk", ("--wrk-rate", str(rate))), "wrk"))
                print(f"{rate_rows[-1]}", file=sys.stderr, flush=True)
    ended = datetime.datetime.now(datetime.timezone.utc)
    cpu = re.search(r"model name\s*:\s*(.*)", open("/proc/cpuinfo").read())
    htop = subprocess.run(["htop", "--version"], capture_output=True, text=True).stdout.strip()
    return {"when": f"{started:%Y-%m-%d %H:%M}–{ended:%H:%M} UTC", "cpus": os.cpu_count(),
            "machine": f"{os.cpu_count()} CPUs, {cpu.group(1) if cpu else platform.machine()}, Linux {platform.release()}; {htop}",
            "load_before": load_before, "rounds": args.rounds, "window": args.window,
            "count_rows": count_rows, "rate_rows": rate_rows}


def report(data, write):
    """Writes scale.svg, prints the two sections and with `write` puts them into RESULTS.md."""
    count_rows, rate_rows = data["count_rows"], data["rate_rows"]
    when, machine, load_before = data["when"], data["machine"], data["load_before"]
    a, b = fit([r["pids"] for r in count_rows], [r["dash"] for r in count_rows])
    fa, fb = fit([r["pids"] for r in count_rows], [r["full"] for r in count_rows])
    ha, hb = fit([r["pids"] for r in count_rows], [r["htop"] for r in count_rows])
    largest = count_rows[-1]
    count = [
        f"Date: {when}; machine: {machine}; load average before: {' '.join(load_before)} (a shared machine: other",
        "helpers' builds ran at the same time, so compare the columns of one row, measured in the same minute).",
        f"benchmarks/scale.py: benchmarks/dashboard-cost.py, phase idle, {data['rounds']} round(s), 5 s to settle and a "
        f"{data['window']:g} s window, on benchmarks/uwsgi-pool.yaml (nginx and four uWSGI apps, each with N workers: "
        "5(N+1) processes). Three figures side by side in each row: stacktop (the scoped scan: the stack's own pids "
        "and the pids handed out since the last scan), the same binary with STACKTOP_SCAN=full (every process "
        "on the machine read at every scan, as before), alternating, and `htop -d 10 -p <the stack's pids>` in the "
        "same tmux server. Plot: [scale.svg](scale.svg); figures: scale.json.",
        "",
        "| processes | stacktop CPU % | STACKTOP_SCAN=full CPU % | htop -d 10 CPU % | stacktop / htop | stacktop RSS MB (anon + file) | reaper RSS MB |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in count_rows:
        ratio = f"{r['dash'] / r['htop']:.2f}×" if r["htop"] > 0 else "—"
        count.append(f"| {r['pids']} | {r['dash']:.2f} | {r['full']:.2f} | {r['htop']:.2f} | {ratio} | "
                     f"{r['rss']:.1f} ({r['anon']:.1f} + {r['file']:.1f}) | {r['reaper']:.1f} |")
    count += ["", f"Least-squares lines over the rows, % of a core: stacktop {a:.2f} + {b * 100:.2f} per 100 processes; "
              f"STACKTOP_SCAN=full {fa:.2f} + {fb * 100:.2f} per 100; htop {ha:.2f} + {hb * 100:.2f} per 100. "
              f"At {largest['pids']} processes stacktop idles at {largest['dash']:.2f}% of a core: goal ≤ 1% "
              + ("met." if largest["dash"] <= 1 else f"missed by {largest['dash'] - 1:.2f} points.")]
    rate = []
    if rate_rows:
        rate = [f"Date: {when}; machine: {machine}; load average before: {' '.join(load_before)} (a shared machine).",
                f"benchmarks/scale.py: the {largest['pids']}-process stack above, stacktop's load off, `wrk -t1 -c10` from outside "
                "with a Lua delay aiming at each rate (dashboard-cost.py's wrk phase; the rate is what nginx logged in the "
                "window; the 0 row is the idle row above), stacktop and STACKTOP_SCAN=full alternating, htop beside them.",
                "",
                "| requests/s flowing | stacktop CPU % | STACKTOP_SCAN=full CPU % | htop -d 10 CPU % | stacktop % per 1k requests/s (whole) | over idle, per 1k requests/s |",
                "|---|---|---|---|---|---|"]
        idle = rate_rows[0]["dash"]
        for r in rate_rows:
            per_k = f"{r['dash'] / (r['rps'] / 1000):.2f}" if r["rps"] > 0 else "—"
            over = f"{(r['dash'] - idle) / (r['rps'] / 1000):.2f}" if r["rps"] > 0 else "—"
            rate.append(f"| {r['rps']:.0f} | {r['dash']:.2f} | {r['full']:.2f} | {r['htop']:.2f} | {per_k} | {over} |")
    with open(os.path.join(HERE, "scale.svg"), "w") as f:
        f.write(svg(data))
    print("## Scale: cost against the process count\n\n" + "\n".join(count))
    if rate:
        print("\n## Scale: cost against the rate\n\n" + "\n".join(rate))
    if write:
        for title, text in (("Scale: cost against the process count", count), ("Scale: cost against the rate", rate)):
            if text:
                subprocess.run([sys.executable, os.path.join(HERE, "write-results.py"), title],
                               input="\n".join(text) + "\n", text=True, check=True)


if __name__ == "__main__":
    main()
