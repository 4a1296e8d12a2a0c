#!/usr/bin/env python3
"""Measures what the dashboard costs: its CPU and RSS beside `htop -d 10` watching the same stack.

Each round opens stacktop's dashboard (`stacktop TOPOLOGY`, 120x40, in a private tmux server) on
nginx-gunicorn-supervisord, finds the stack's processes under it in /proc, and starts
`htop -d 10 -p PIDS` on exactly those pids in a second 120x40 tmux session of the same server.
Then, for each phase:
  - idle: no traffic;
  - load: stacktop's own load generator at RATE requests/s, switched on with the `l` key;
it waits SETTLE s and reads utime+stime (/proc/PID/stat fields 14-15) of the dashboard
process, its reaper (`stacktop-reaper _reap`, or `stacktop _reap` when the C reaper is missing) and htop at the start and the end of a WINDOW-s window,
and VmRSS, RssAnon, RssFile (/proc/PID/status) at the end. Also, in the window: the bytes the
dashboard wrote to its terminal (tmux pipe-pane into a file) and its frames (the times that file
grew, looked at every 30 ms; frames are at least 100 ms apart), the requests nginx logged; and
for the whole session the dashboard's own count (STACKTOP_DASHBOARD_STATS, printed on quit).

Each phase is its own dashboard session. With --baseline PATH
a second stacktop binary (e.g. the build before a change) is measured in the same rounds,
alternating with the first. Prints a Markdown section; --write replaces the "Dashboard cost"
section of benchmarks/RESULTS.md.

The load phase runs a copy of the topology whose traffic mix is `/` only at RATE: the seed's
mix sends 10% to /slow?ms=50, which at 500 requests/s asks 2.5 s of work per second of its 2
sync gunicorn workers, so the stack itself would saturate and the figure would measure a
queue. Traffic goes to the stack's front door on 127.0.0.1 only, bounded by the window.

  - wrk: stacktop's load off, wrk sending `/` from outside at about WRK_RATE requests/s (the
    dashboard only follows the access logs: its cost per request).
Scale runs: --topology uwsgi --workers 200 --min-pids 201 --phases idle (a copy of the topology
with every `workers:` set to 200).

--baseline-env KEY=VALUE runs the baseline (the same binary, without --baseline) with KEY=VALUE in
its environment, e.g. STACKTOP_SCAN=full; --json PATH keeps every round's figures.

Usage: benchmarks/dashboard-cost.py [--stacktop PATH] [--baseline PATH] [--baseline-env K=V] [--json PATH] [--rounds 3]
         [--window 30] [--settle 5] [--rate 500] [--wrk-rate 1000] [--phases idle,load,wrk]
         [--topology NAME --workers N --min-pids P] [--write]
Run from the project root after `swift build -c release`. Kills only what it started (its
tmux server, whose programs stop their own stacks on `q`).
"""
import argparse, datetime, glob, os, platform, re, shutil, statistics, subprocess, sys, tempfile, time

from procfs import children, read

TICK = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TOPOLOGY = "nginx-gunicorn-supervisord"



def stat_fields(pid, task=None):
    """Fields of /proc/PID/stat after the command name; index 0 is field 3 (state)."""
    text = read(f"/proc/{pid}/task/{task}/stat" if task else f"/proc/{pid}/stat")
    return text.rsplit(")", 1)[1].split() if ")" in text else None


def cpu_ticks(pid, task=None):
    f = stat_fields(pid, task)
    return int(f[11]) + int(f[12]) if f else None



def comm(pid):
    return read(f"/proc/{pid}/comm").strip()


def cmdline(pid):
    return read(f"/proc/{pid}/cmdline").replace("\0", " ").strip()


def descendants(pid):
    out, todo = [], children(pid)
    while todo:
        p = todo.pop()
        out.append(p)
        todo += children(p)
    return out


def memory(pid):
    """VmRSS, RssAnon and RssFile in bytes."""
    text = read(f"/proc/{pid}/status")
    get = lambda key: int(m.group(1)) * 1024 if (m := re.search(rf"^{key}:\s+(\d+) kB", text, re.M)) else None
    return get("VmRSS"), get("RssAnon"), get("RssFile")


class Tmux:
    """A private tmux server (its own socket); `kill()` ends it and every program in it."""

    def __init__(self, tag):
        self.socket = f"stacktop-bench-{tag}-{os.getpid()}"
        self.tmux = shutil.which("tmux") or "/usr/bin/tmux"

    def run(self, *args, check=True):
        r = subprocess.run([self.tmux, "-L", self.socket, *args], stdin=subprocess.DEVNULL,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        if check and r.returncode != 0:
            raise RuntimeError(f"tmux {' '.join(args)}: {r.stderr.strip()}")
        return r.stdout

    def window(self, name, argv, env, first=False):
        """Runs argv in session `name` (120x40); the pane stays after it exits."""
        if first:
            # A new server once exited at start on a loaded machine ("server exited unexpectedly"): retry.
            for attempt in range(3):
                try:
                    self.run("-f", "/dev/null", "new-session", "-d", "-x", "120", "-y", "40", "-s", name, "sleep 3600")
                    break
                except RuntimeError:
                    if attempt == 2:
                        raise
                    self.kill()
                    time.sleep(1)
            self.run("set-option", "-g", "default-terminal", "tmux-256color")
            self.run("set-option", "-g", "remain-on-exit", "on")
        else:
            self.run("new-session", "-d", "-x", "120", "-y", "40", "-s", name, "sleep 3600")
        self.run("set-option", "-w", "-t", f"={name}:", "remain-on-exit", "on")
        envs = [f"{k}={v}" for k, v in env.items()]
        self.run("respawn-pane", "-k", "-t", f"={name}:", "-c", ROOT, "env", *envs, *argv)
        return int(self.run("list-panes", "-t", f"={name}:", "-F", "#{pane_pid}").split()[0])

    def capture(self, name):
        return self.run("capture-pane", "-p", "-S", "-50", "-t", f"={name}:", check=False)

    def keys(self, name, *keys):
        self.run("send-keys", "-t", f"={name}:", *keys)

    def dead(self, name):
        return self.run("list-panes", "-t", f"={name}:", "-F", "#{pane_dead}", check=False).strip() == "1"

    def kill(self):
        self.run("kill-server", check=False)
        # A server that died at start leaves its socket file behind: remove it (tmux's own path).
        path = os.path.join(os.environ.get("TMUX_TMPDIR", "/tmp"), f"tmux-{os.getuid()}", self.socket)
        try:
            os.unlink(path)
        except FileNotFoundError:
            pass


def wait_for(predicate, timeout, step=0.2):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    return None


def stack_pids(dash):
    """The stack's processes: descendants of the dashboard other than its reaper."""
    out = []
    for child in children(dash):
        if "_reap" in cmdline(child):
            continue
        out += [child] + descendants(child)
    return sorted(out)


def reaper_of(dash):
    return next((c for c in children(dash) if "_reap" in cmdline(c)), None)


def access_lines(run_dir):
    """Requests nginx (the `front` component) logged so far, counted like `wc -l`."""
    try:
        with open(os.path.join(run_dir, "logs", "front.access.log"), "rb") as fh:
            return sum(chunk.count(b"\n") for chunk in iter(lambda: fh.read(1 << 20), b""))
    except OSError:
        return 0


def phase(binary, label, topo_path, args, tmp, extra_env=None):
    """One dashboard session: open, settle, measure one window, quit. Returns a dict of figures."""
    tmux = Tmux(label)
    wrk = None
    pipe_log = os.path.join(tmp, f"tty-{label}-{time.monotonic_ns()}.bytes")
    try:
        env = {"STACKTOP_DASHBOARD_STATS": "1", "LANG": "C.UTF-8", **(extra_env or {})}
        dash = tmux.window("dash", [binary, topo_path], env, first=True)
        if not wait_for(lambda: comm(dash) == "stacktop", 5, 0.02):
            raise RuntimeError(f"pane runs {comm(dash)!r}, not stacktop")
        # The stack is up once supervisord, nginx (master + 2 workers) and gunicorn (master + 2
        # workers) are there and the set has not changed for 2 s.
        seen = {"pids": None, "since": time.monotonic()}

        def settled():
            pids = stack_pids(dash)
            if pids != seen["pids"]:
                seen["pids"], seen["since"] = pids, time.monotonic()
            return len(pids) >= args.min_pids and time.monotonic() - seen["since"] >= 2 and pids
        pids = wait_for(settled, 60 + args.min_pids // 2)
        if not pids:
            raise RuntimeError(f"stack did not come up under {binary}:\n{tmux.capture('dash')}")
        runs = os.environ.get("STACKTOP_RUNS_DIR") or "/tmp/stacktop-runs"
        run_dir = next(iter(glob.glob(os.path.join(runs, f"*-{dash}"))), None)
        htop = tmux.window("htop", ["htop", "-d", "10", "-p", ",".join(map(str, pids))], {"LANG": "C.UTF-8"})
        if not wait_for(lambda: comm(htop) == "htop", 5, 0.02):
            raise RuntimeError("htop did not start")
        tmux.run("pipe-pane", "-o", "-t", "=dash:", f"cat > {pipe_log}")
        if args.mode == "wrk":
            # Traffic from outside (wrk), stacktop's load off: the dashboard only follows the access
            # logs. wrk has no rate option; its Lua `delay()` holds each of C connections D ms
            # between requests, so the rate is at most C * 1000 / D (measured from nginx's log).
            url = front_door_url(run_dir)
            conns = 10
            script = os.path.join(tmp, "delay.lua")
            with open(script, "w") as f:
                f.write(f"function delay() return {max(1, round(conns * 1000 / args.wrk_rate))} end\n")
            wrk = subprocess.Popen(["wrk", "-t1", f"-c{conns}", f"-d{int(args.settle + args.window + 5)}s",
                                    "-s", script, url + "/"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if args.mode == "load":
            tmux.keys("dash", "l")
            # The header says "load on 500/s" once the generator runs.
            if not wait_for(lambda: f"load on {args.rate}/s" in tmux.capture("dash"), 10):
                raise RuntimeError("the load did not start:\n" + tmux.capture("dash"))
        time.sleep(args.settle)
        reaper = reaper_of(dash)
        t0 = time.monotonic()
        before = {"dash": cpu_ticks(dash), "htop": cpu_ticks(htop), "reaper": cpu_ticks(reaper) if reaper else 0}
        bytes0 = os.path.getsize(pipe_log) if os.path.exists(pipe_log) else 0
        lines0 = access_lines(run_dir) if run_dir else 0
        # Frames in the window: the times the terminal output grew, looked at every 30 ms (frames
        # are at least 100 ms apart).
        frames, size, end = 0, bytes0, t0 + args.window
        while time.monotonic() < end:
            time.sleep(0.03)
            now = os.path.getsize(pipe_log) if os.path.exists(pipe_log) else 0
            frames += now > size
            size = now
        t1 = time.monotonic()
        after = {"dash": cpu_ticks(dash), "htop": cpu_ticks(htop), "reaper": cpu_ticks(reaper) if reaper else 0}
        bytes1 = os.path.getsize(pipe_log) if os.path.exists(pipe_log) else 0
        lines1 = access_lines(run_dir) if run_dir else 0
        if wrk:
            wrk.terminate()
            wrk.wait(10)
        mem = memory(dash)
        rss = {"dash": mem[0], "htop": memory(htop)[0], "reaper": memory(reaper)[0] if reaper else 0}
        if None in before.values() or None in after.values() or None in rss.values():
            raise RuntimeError("a measured process went away during the window")
        seconds = t1 - t0
        capacity = seconds * TICK / 100  # ticks per 1% of one core
        out = {k: (after[k] - before[k]) / capacity for k in before}
        out.update({f"rss_{k}": v for k, v in rss.items()})
        out["rss_anon"], out["rss_file"] = mem[1], mem[2]
        out["frames_per_s"] = frames / seconds
        out["tty_bytes_per_s"] = (bytes1 - bytes0) / seconds
        out["rps"] = (lines1 - lines0) / seconds
        out["seconds"] = seconds
        out["pids"] = len(pids)
        # Quit: q stops the stack; the stats line follows on the pane.
        tmux.run("pipe-pane", "-t", "=dash:", check=False)
        tmux.keys("dash", "q")
        if not wait_for(lambda: tmux.dead("dash"), 60):
            raise RuntimeError("the dashboard did not quit within 60 s")
        screen = tmux.capture("dash")
        m = re.search(r"(\d+) frames, (\d+) renders, (\d+) view posts in (\d+) ms", screen)
        if m:
            frames, renders, posts, ms = map(int, m.groups())
            out["session"] = f"{frames} frames, {renders} renders, {posts} view posts in {ms / 1000:.0f} s"
        left = [p for p in pids if os.path.exists(f"/proc/{p}") and stat_fields(p) and stat_fields(p)[0] not in "ZX"]
        if left:
            raise RuntimeError(f"stack processes left after q: {left}")
        return out
    finally:
        if wrk and wrk.poll() is None:
            wrk.terminate()
            wrk.wait(10)
        tmux.kill()


def front_door_url(run_dir):
    """http://127.0.0.1:PORT of nginx, from the `listen` line of its config in the run dir."""
    for conf in glob.glob(os.path.join(run_dir or "", "conf", "*", "nginx.conf")):
        m = re.search(r"listen\s+(127\.0\.0\.1:\d+)", read(conf))
        if m:
            return "http://" + m.group(1)
    raise RuntimeError(f"no nginx listen line under {run_dir}/conf")


def bench_topology(tmp, rate, topology=TOPOLOGY, workers=None):
    """A copy of the topology with `/` as the only path and RATE as the load rate (and, with
    WORKERS, every `workers:` count set to it)."""
    source = topology if topology.endswith(".yaml") else os.path.join(ROOT, "topologies", topology + ".yaml")
    text = open(source).read()
    topology = os.path.basename(topology).removesuffix(".yaml")
    text = text.split("\ntraffic:")[0] + f"\ntraffic:\n  rate: {rate}\n  mix:\n    /: 1\n"
    if workers:
        text = re.sub(r"(?m)^(\s+workers:)\s*\d+", rf"\g<1> {workers}", text)
    path = os.path.join(tmp, topology + ".yaml")
    with open(path, "w") as f:
        f.write(text)
    return path


def med(values):
    return statistics.median(values) if values else float("nan")


def spread(values, fmt):
    return f"{fmt(med(values))} ({fmt(min(values))}–{fmt(max(values))})" if values else "—"


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--stacktop", default=".build/release/stacktop")
    p.add_argument("--baseline", help="a second stacktop binary, measured alternately (before/after)")
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--window", type=float, default=30)
    p.add_argument("--settle", type=float, default=5)
    p.add_argument("--rate", type=int, default=500)
    p.add_argument("--phases", default="idle,load,wrk")
    p.add_argument("--wrk-rate", type=int, default=1000, help="requests/s wrk aims at in the wrk phase")
    p.add_argument("--topology", default=TOPOLOGY, help="another topology, by name or .yaml path (scale runs; the wrk phase needs nginx)")
    p.add_argument("--workers", type=int, help="set every `workers:` of the topology copy to N (scale runs)")
    p.add_argument("--min-pids", type=int, default=7, help="the stack is up once it has this many processes")
    p.add_argument("--baseline-env", action="append", default=[], metavar="KEY=VALUE",
                   help="run the baseline with this in its environment (without --baseline: the same binary)")
    p.add_argument("--json", help="also write every round's figures to this file (benchmarks/scale.py reads it)")
    p.add_argument("--write", action="store_true")
    args = p.parse_args()
    os.chdir(ROOT)
    if not shutil.which("htop"):
        sys.exit("htop is not installed: scripts/install-components --bench")
    binaries = [("stacktop", os.path.abspath(args.stacktop))]
    baseline_env = dict(kv.split("=", 1) for kv in args.baseline_env)
    if args.baseline or baseline_env:
        binaries.insert(0, ("baseline", os.path.abspath(args.baseline or args.stacktop)))
    phases = args.phases.split(",")
    load_before = open("/proc/loadavg").read().split()[:3]
    results = {(b, ph): [] for b, _ in binaries for ph in phases}
    with tempfile.TemporaryDirectory(prefix="stacktop-dashcost-") as tmp:
        os.chmod(tmp, 0o755)
        topo = bench_topology(tmp, args.rate, args.topology, args.workers)
        for r in range(1, args.rounds + 1):
            order = binaries if r % 2 else list(reversed(binaries))
            for ph in phases:
                for name, binary in order:
                    args.mode = ph
                    res = phase(binary, f"{name}-{ph}", topo, args, tmp, baseline_env if name == "baseline" else None)
                    results[(name, ph)].append(res)
                    print(f"round {r} {name} {ph}: dashboard {res['dash']:.2f}% (reaper {res['reaper']:.2f}%) "
                          f"rss {res['rss_dash'] / 2**20:.1f} MB; htop {res['htop']:.2f}% rss "
                          f"{res['rss_htop'] / 2**20:.1f} MB; frames/s {res.get('frames_per_s', float('nan')):.2f}; "
                          f"tty {res['tty_bytes_per_s']:.0f} B/s; nginx {res['rps']:.0f} req/s", file=sys.stderr)
    print(report(args, binaries, phases, results, load_before))
    if args.json:
        import json
        with open(args.json, "w") as f:
            json.dump({"load_before": load_before, "baseline_env": baseline_env,
                       "results": {f"{b}/{ph}": rs for (b, ph), rs in results.items()}}, f, indent=1)
    if args.write:
        section = report(args, binaries, phases, results, load_before)
        subprocess.run([sys.executable, os.path.join(ROOT, "benchmarks", "write-results.py"), "Dashboard cost"],
                       input=section, text=True, check=True)


def report(args, binaries, phases, results, load_before):
    cpu = open("/proc/cpuinfo").read()
    model = re.search(r"model name\s*:\s*(.*)", cpu)
    lines = [
        f"Date: {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC; machine: {os.cpu_count()} CPUs, "
        f"{model.group(1) if model else platform.machine()}, Linux {platform.release()}; "
        f"{subprocess.run(['htop', '--version'], capture_output=True, text=True).stdout.strip()}; "
        f"load average before: {' '.join(load_before)} (a shared machine).",
        f"benchmarks/dashboard-cost.py: the dashboard (`stacktop {args.topology}`" + (f" with {args.workers} workers" if args.workers else "") + ", release build, tmux 120×40) and "
        f"`htop -d 10 -p <the stack's pids>` (120×40, same tmux server) side by side, {args.rounds} rounds, each phase "
        f"a fresh dashboard: {args.settle:g} s to settle, then CPU from utime+stime over {args.window:g} s and VmRSS at "
        f"the end. load = stacktop's generator switched on with `l` at {args.rate} requests/s of `/` (the seed's mix "
        f"has /slow?ms=50, which would saturate its 2 sync workers at this rate); wrk = stacktop's load off, "
        f"`wrk -t1 -c10` with a Lua delay aiming at {args.wrk_rate} requests/s of `/` from outside (the dashboard only "
        f"follows the access logs). Figures: median (min–max) over rounds; "
        f"CPU in % of one core. Goals: idle ≤ 1% of a core, dashboard and reaper together ≤ 20 MB RSS, ≤ 2% of a core "
        f"per 1k requests/s flowing (wrk phase).",
        "",
        "| build | phase | dashboard CPU % | htop -d 10 CPU % | ratio | reaper CPU % | dashboard RSS MB | htop RSS MB | "
        "frames/s | terminal bytes/s | nginx req/s |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    f2 = lambda v: f"{v:.2f}"
    f1 = lambda v: f"{v:.1f}"
    f0 = lambda v: f"{v:.0f}"
    for ph in phases:
        for name, binary in binaries:
            rs = results[(name, ph)]
            if not rs:
                continue
            ratios = [r["dash"] / r["htop"] for r in rs if r["htop"] > 0]
            label = name if name != "baseline" else (f"{name} ({os.path.relpath(binary, ROOT)}"
                                                     + "".join(f", {k}={v}" for k, v in dict(kv.split("=", 1) for kv in args.baseline_env).items()) + ")")
            if name != "baseline" and args.baseline:
                label = f"{name} ({os.path.relpath(binary, ROOT)})"
            lines.append(
                f"| {label} | {ph} | {spread([r['dash'] for r in rs], f2)} | {spread([r['htop'] for r in rs], f2)} | "
                f"{spread(ratios, lambda v: f'{v:.2f}×')} | {spread([r['reaper'] for r in rs], f2)} | "
                f"{spread([r['rss_dash'] / 2**20 for r in rs], f1)} | {spread([r['rss_htop'] / 2**20 for r in rs], f1)} | "
                f"{spread([r['frames_per_s'] for r in rs if 'frames_per_s' in r], f2)} | "
                f"{spread([r['tty_bytes_per_s'] for r in rs], f0)} | {spread([r['rps'] for r in rs], f0)} |")
    lines += ["", "The dashboard's RSS split: anonymous memory (its own) and file pages (the mapped stacktop binary, "
              "Swift runtime and Foundation libraries, shared with any other Swift process); and its own count of "
              "frames, renders and view posts over each whole session (launch and quit included), last round.", ""]
    lines += ["| build | phase | RssAnon MB | RssFile MB | reaper RSS MB (`stacktop-reaper`, a second process) | session (last round) |",
              "|---|---|---|---|---|---|"]
    for ph in phases:
        for name, _ in binaries:
            rs = results[(name, ph)]
            if rs:
                lines.append(f"| {name} | {ph} | {spread([r['rss_anon'] / 2**20 for r in rs], f1)} | "
                             f"{spread([r['rss_file'] / 2**20 for r in rs], f1)} | "
                             f"{spread([r['rss_reaper'] / 2**20 for r in rs], f1)} | {rs[-1].get('session', '—')} |")
    main_build = binaries[-1][0]
    idle, load = results.get((main_build, "idle"), []), results.get((main_build, "load"), [])
    verdict = []
    if idle:
        cpu = med([r["dash"] for r in idle])
        verdict.append(f"idle CPU {cpu:.2f}% of a core: goal ≤ 1% " + ("met" if cpu <= 1 else f"missed by {cpu - 1:.2f} points"))
    for label, rs in (("idle", idle), ("load", load)):
        if rs:
            rss = med([r["rss_dash"] + r["rss_reaper"] for r in rs]) / 2**20
            verdict.append(f"RSS of dashboard and reaper together, {label}, {rss:.1f} MB: goal ≤ 20 MB " + (
                           "met" if rss <= 20 else f"missed by {rss - 20:.1f} MB (the dashboard's own anonymous memory is "
                           f"{med([r['rss_anon'] for r in rs]) / 2**20:.1f} MB, the rest mapped pages of its binary and libraries)"))
    wrk = results.get((main_build, "wrk"), [])
    if wrk:
        per_k = [r["dash"] / (r["rps"] / 1000) for r in wrk if r["rps"] > 0]
        verdict.append(f"with wrk's {med([r['rps'] for r in wrk]):.0f} requests/s flowing and the load off, "
                       f"{med(per_k):.2f}% of a core per 1k requests/s (whole dashboard, idle cost included): goal ≤ 2% "
                       + ("met" if med(per_k) <= 2 else "missed"))
    if verdict:
        lines += ["", f"Goals ({main_build}): " + "; ".join(verdict) + "."]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
