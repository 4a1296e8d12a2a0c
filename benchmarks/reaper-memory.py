#!/usr/bin/env python3
"""Memory of the reaper process: the C `stacktop-reaper _reap` that stacktop starts, beside the
Swift fallback `stacktop _reap` (the same job inside the stacktop binary) in the same run.

Each round starts each reaper as stacktop does (a pipe on stdin, its own session), waits until it
blocks reading the pipe, reads VmRSS, RssAnon, RssFile (/proc/PID/status) and Pss
(/proc/PID/smaps_rollup), then closes the pipe (nothing recorded: it exits at once) and waits for
it. Also reports both binaries' sizes. Prints a Markdown section; --write replaces the "Reaper
memory" section of benchmarks/RESULTS.md.

Usage: benchmarks/reaper-memory.py [--stacktop .build/release/stacktop] [--rounds 5] [--write]
Kills nothing: every reaper it starts exits on EOF.
"""
import argparse, datetime, os, platform, re, statistics, subprocess, sys, time

from procfs import read

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def status_kb(pid, key, path="status"):
    m = re.search(rf"^{key}:\s+(\d+) kB", read(f"/proc/{pid}/{path}"), re.M)
    return int(m.group(1)) if m else None


def measure(argv):
    r, w = os.pipe()
    p = subprocess.Popen(argv, stdin=r, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                         start_new_session=True)
    os.close(r)
    try:
        # Blocked in read(2) on the pipe: its start-up is over.
        end = time.monotonic() + 10
        while time.monotonic() < end:
            if read(f"/proc/{p.pid}/wchan") in ("pipe_read", "pipe_wait") or \
                    read(f"/proc/{p.pid}/stat").rsplit(")", 1)[-1].split()[:1] == ["S"]:
                break
            time.sleep(0.01)
        time.sleep(0.2)
        out = {k: status_kb(p.pid, k) for k in ("VmRSS", "RssAnon", "RssFile")}
        out["Pss"] = status_kb(p.pid, "Pss", "smaps_rollup")
    finally:
        os.close(w)
        p.wait(10)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--stacktop", default=".build/release/stacktop")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--write", action="store_true")
    args = ap.parse_args()
    os.chdir(ROOT)
    stacktop = os.path.abspath(args.stacktop)
    reaper = os.path.join(os.path.dirname(stacktop), "stacktop-reaper")
    if not os.access(reaper, os.X_OK):
        sys.exit(f"{reaper} is missing: build with `make release`")
    load = " ".join(open("/proc/loadavg").read().split()[:3])
    commands = [("`stacktop-reaper _reap` (C)", [reaper, "_reap"]), ("`stacktop _reap` (Swift, the fallback)", [stacktop, "_reap"])]
    rows = {name: [] for name, _ in commands}
    for r in range(args.rounds):
        for name, argv in (commands if r % 2 == 0 else list(reversed(commands))):
            rows[name].append(measure(argv))
    cpu = re.search(r"model name\s*:\s*(.*)", read("/proc/cpuinfo"))
    lines = [f"Date: {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC; machine: {os.cpu_count()} CPUs, "
             f"{cpu.group(1) if cpu else platform.machine()}, Linux {platform.release()}; load average before: {load}.",
             f"benchmarks/reaper-memory.py: each reaper started as stacktop starts it (pipe on stdin, own session), "
             f"measured once it blocks on the pipe, {args.rounds} rounds alternating; median (min–max) in MB "
             f"(1 MB = 1024 kB). Binaries: {os.path.relpath(reaper, ROOT)} {os.path.getsize(reaper) / 2**20:.2f} MB, "
             f"{os.path.relpath(stacktop, ROOT)} {os.path.getsize(stacktop) / 2**20:.1f} MB.",
             "",
             "| reaper | VmRSS MB | RssAnon MB | RssFile MB | Pss MB |",
             "|---|---|---|---|---|"]
    for name, _ in commands:
        rs = rows[name]

        def col(k):
            v = [x[k] / 1024 for x in rs if x[k] is not None]
            return f"{statistics.median(v):.2f} ({min(v):.2f}–{max(v):.2f})" if v else "—"
        lines.append(f"| {name} | {col('VmRSS')} | {col('RssAnon')} | {col('RssFile')} | {col('Pss')} |")
    section = "\n".join(lines)
    print(section)
    if args.write:
        subprocess.run([sys.executable, os.path.join(ROOT, "benchmarks", "write-results.py"), "Reaper memory"],
                       input=section, text=True, check=True)


if __name__ == "__main__":
    main()
