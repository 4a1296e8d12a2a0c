#!/usr/bin/env python3
"""Measures how fast `stacktop up --json` reports worker deaths and their replacements.

For each stack: launch it with `stacktop up STACK --json`, then N times: pick a worker under
the master from /proc (not from stacktop's events), SIGKILL it, and time
  - kill -> the `exited` event naming it (both on CLOCK_MONOTONIC, the event timed on arrival);
  - the replacement's start (its /proc/PID/stat field 22, clock ticks since boot, so 10 ms
    steps, floored) -> the `replaced` event naming it (arrival on CLOCK_BOOTTIME).
Prints a Markdown section; with --write, replaces the "respawn" section of benchmarks/RESULTS.md.

Usage: benchmarks/respawn.py [--kills 50] [--stacktop PATH] [--write] [STACK ...]
Run from the project root after `swift build` (or -c release). Only kills pids under the
stack's own master; stacktop stops the stack at the end.
"""
import argparse, datetime, json, os, platform, queue, select, signal, statistics, subprocess, sys, threading, time

from procfs import children

TICK = os.sysconf("SC_CLK_TCK")
# Stack -> (component whose root is the master, substring a worker's command line contains).
STACKS = {
    "gunicorn": ("app", ""),
    "nginx-flup": ("app", ""),
    "lighttpd-flup": ("front", "--name app"),
    "uwsgi": ("app", "uWSGI worker"),
    "apache-mod-wsgi": ("front", "(wsgi:app)"),
}


def cmdline(pid):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def start_ms(pid):
    """Start of `pid` in ms since boot (from clock ticks), or None."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return int(fields[19]) * 1000 / TICK
    except (OSError, IndexError, ValueError):
        return None


def percentile(values, p):
    s = sorted(values)
    return s[min(len(s) - 1, max(0, round(p / 100 * (len(s) - 1))))]


class Events:
    """Reads JSON Lines from stacktop, stamping each on arrival (monotonic and boottime ns)."""

    def __init__(self, stream):
        self.q = queue.Queue()
        self.seen = []
        threading.Thread(target=self._read, args=(stream,), daemon=True).start()

    def _read(self, stream):
        for line in stream:
            mono, boot = time.monotonic_ns(), time.clock_gettime_ns(time.CLOCK_BOOTTIME)
            try:
                self.q.put((json.loads(line), mono, boot))
            except ValueError:
                pass
        self.q.put(None)

    def wait(self, match, timeout):
        """The first event (old or new) for which `match` holds, with its arrival stamps."""
        for item in self.seen:
            if match(item[0]):
                return item
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            try:
                item = self.q.get(timeout=max(0.001, end - time.monotonic()))
            except queue.Empty:
                break
            if item is None:
                break
            self.seen.append(item)
            if match(item[0]):
                return item
        return None


def bench(stacktop, stack, kills):
    component, marker = STACKS[stack]
    proc = subprocess.Popen([stacktop, "up", stack, "--json"], stdout=subprocess.PIPE, text=True)
    events = Events(proc.stdout)
    exit_ms, replace_ms, respawn_ms, baseline_ms, missed = [], [], [], [], 0
    try:
        start = events.wait(lambda e: e["type"] == "starting" and e.get("component") == component and "pid" in e, 30)
        master = start[0]["pid"]
        if not events.wait(lambda e: e["type"] == "ready" and e.get("component") == component, 30):
            raise RuntimeError(f"{stack}: not ready")
        while len(exit_ms) < kills:
            workers = sorted(p for p in children(master) if marker in cmdline(p))
            if not workers:
                time.sleep(0.05)
                continue
            victim = workers[len(exit_ms) % len(workers)]
            # stacktop must know it first: its `spawned` event.
            if not events.wait(lambda e: e["type"] == "spawned" and e.get("pid") == victim, 5):
                continue
            # Baseline: this script's own pidfd on the victim, what any watcher could do at best here.
            pidfd = os.pidfd_open(victim)
            poller = select.poll()
            poller.register(pidfd, select.POLLIN)
            kill_mono, kill_boot = time.monotonic_ns(), time.clock_gettime_ns(time.CLOCK_BOOTTIME)
            os.kill(victim, signal.SIGKILL)
            if poller.poll(5000):
                baseline_ms.append((time.monotonic_ns() - kill_mono) / 1e6)
            os.close(pidfd)
            exited = events.wait(lambda e: e["type"] == "exited" and e.get("pid") == victim, 10)
            replaced = events.wait(lambda e: e["type"] == "replaced" and e.get("old_pid") == victim, 15)
            if not exited or not replaced:
                missed += 1
                related = [e for e, _, _ in events.seen if victim in (e.get("pid"), e.get("old_pid"))]
                print(f"{stack}: missed {victim}: {related}", file=sys.stderr)
                continue
            exit_ms.append((exited[1] - kill_mono) / 1e6)
            born = start_ms(replaced[0]["new_pid"])
            if born is not None:
                replace_ms.append(replaced[2] / 1e6 - born)
                respawn_ms.append(born - kill_boot / 1e6)
            time.sleep(0.3)
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
    return exit_ms, replace_ms, respawn_ms, baseline_ms, missed


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kills", type=int, default=50)
    ap.add_argument("--stacktop", default=".build/release/stacktop" if os.path.exists(".build/release/stacktop")
                    else ".build/debug/stacktop")
    ap.add_argument("--write", action="store_true")
    ap.add_argument("stacks", nargs="*", default=list(STACKS))
    args = ap.parse_args()
    rows = []
    for stack in args.stacks:
        exit_ms, replace_ms, respawn_ms, baseline_ms, missed = bench(args.stacktop, stack, args.kills)
        if not exit_ms or not replace_ms or not baseline_ms:
            rows.append(f"| {stack} | {len(exit_ms)} | - | - | - | - | - | - | - | {missed} |")
            continue
        rows.append(f"| {stack} | {len(exit_ms)} | {statistics.median(baseline_ms):.2f} | {percentile(baseline_ms, 99):.2f} "
                    f"| {statistics.median(exit_ms):.2f} | {percentile(exit_ms, 99):.2f} "
                    f"| {statistics.median(replace_ms):.1f} | {percentile(replace_ms, 99):.1f} "
                    f"| {statistics.median(respawn_ms):.0f} | {missed} |")
        print(rows[-1], file=sys.stderr)
    build = "release" if "release" in args.stacktop else "debug"
    section = "\n".join([
        "## respawn: kill → event latency (benchmarks/respawn.py)",
        "",
        f"{datetime.date.today().isoformat()}, {platform.node()}, {os.cpu_count()} CPUs, Linux {platform.release()}, "
        f"stacktop {build} build; a shared machine (other builds running).",
        "exit = SIGKILL → `exited` event read from `up --json` (CLOCK_MONOTONIC); replaced = the new",
        "process's start (/proc stat field 22: 10 ms ticks, floored, so up to +10 ms) → `replaced` event;",
        "respawn = SIGKILL → the new process's start (the server's own speed, not stacktop's);",
        "baseline = SIGKILL → the benchmark's own pidfd on the victim polls readable (the floor on this machine).",
        "",
        "| stack | kills | baseline median ms | baseline p99 ms | exit median ms | exit p99 ms "
        "| replaced median ms | replaced p99 ms | respawn median ms | missed |",
        "|---|---|---|---|---|---|---|---|---|---|",
        *rows,
        "",
    ])
    print(section)
    if args.write:
        path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "RESULTS.md")
        old = open(path).read() if os.path.exists(path) else "# Benchmark results\n\n"
        head, sep, rest = old.partition("## respawn:")
        tail = rest[rest.find("\n## "):] if sep and "\n## " in rest else ""
        with open(path, "w") as f:
            f.write(head.rstrip("\n") + "\n\n" + section + tail)


if __name__ == "__main__":
    main()
