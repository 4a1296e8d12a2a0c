"""Soak drivers for `stacktop up` (run through benchmarks/soak.sh, which builds first; not part
of `make test`).

`soak.py [--seconds S] [--rate RPS] [--write]` (the load soak, the default): one stack under a
steady load for 30 minutes with a random worker SIGKILLed every 2 s (pids from /proc, never from
stacktop); stacktop's RSS, fds and threads sampled from /proc; at the end the event timeline is
checked: every kill has its `exited` and `replaced` event, the per-second `traffic` events' failed
requests sum to the final totals, each failing second has a kill's `exited` within 1 s, and
nginx's 502s as stacktop counted them equal a grep of the log file.

`soak.py cycles`: random stacks, random exits, for a fixed time; checks after every cycle that
nothing of the stack is left and, every 20 cycles, that nothing accumulates. Per cycle: launch a
random stack with `--json`, end it with one of --for expiry, SIGINT, SIGTERM, SIGHUP, SIGKILL,
SIGINT or SIGKILL during the launch; then require
  - no live process in the stack's sessions or naming its run dir (at once after a graceful
    exit, within 2 s after SIGKILL),
  - none of the stack's listening sockets left, the reaper gone within 5 s.
Every 20 cycles: run dirs under the runs root (pruning keeps 10), zombies, LISTEN sockets and
this driver's open fds are sampled; the final line compares first and last samples.
"""
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time

from procfs import children as children_of, read

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXE = os.path.join(ROOT, ".build", "debug", "stacktop")
STACKS = [("waitress", 5), ("uwsgi", 5), ("nginx-gunicorn", 4), ("nginx-flup", 3), ("lighttpd-flup", 2),
          ("apache-mod-wsgi", 2), ("nginx-gunicorn-supervisord", 1), ("nginx-uwsgi-supervisord", 1), ("werkzeug", 1)]
EXITS = ["for", "SIGINT", "SIGTERM", "SIGHUP", "SIGKILL", "SIGINT-launch", "SIGKILL-launch"]
RUNS_ROOT = os.environ.get("STACKTOP_RUNS_DIR") or "/tmp/stacktop-runs"


def stat_fields(pid):
    with open(f"/proc/{pid}/stat") as f:
        return f.read().rsplit(")", 1)[1].split()  # state ppid pgrp session ...



def residue(sessions, run_dir):
    """Live processes in `sessions` or naming `run_dir` (cwd, argv, environment)."""
    found = []
    for name in os.listdir("/proc"):
        if not name.isdigit() or int(name) == os.getpid():
            continue
        pid = int(name)
        try:
            fields = stat_fields(pid)
        except OSError:
            continue
        if fields[0] in "ZX":
            continue
        hit = int(fields[3]) in sessions
        if not hit and run_dir:
            try:
                cwd = os.readlink(f"/proc/{pid}/cwd")
            except OSError:
                cwd = ""
            hit = cwd.startswith(run_dir) or run_dir in read(f"/proc/{pid}/cmdline") or run_dir in read(f"/proc/{pid}/environ")
        if hit:
            found.append(f"{pid} {read(f'/proc/{pid}/cmdline').replace(chr(0), ' ')[:120]}")
    return found


def listening():
    """inode -> port of every LISTEN socket."""
    out = {}
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in read(table).splitlines()[1:]:
            f = line.split()
            if len(f) >= 10 and f[3] == "0A":
                out[int(f[9])] = int(f[1].rsplit(":", 1)[1], 16)
    return out


def socket_inodes(pids):
    inodes = set()
    for pid in pids:
        try:
            for fd in os.listdir(f"/proc/{pid}/fd"):
                target = os.readlink(f"/proc/{pid}/fd/{fd}")
                if target.startswith("socket:["):
                    inodes.add(int(target[8:-1]))
        except OSError:
            pass
    return inodes


def events(path):
    out = []
    for line in read(path).splitlines():
        try:
            out.append(json.loads(line))
        except ValueError:
            pass
    return out


def wait_for(predicate, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.01)
    return predicate()


def sample():
    zombies = sum(1 for p in os.listdir("/proc") if p.isdigit() and _state(p) == "Z")
    dirs = len(os.listdir(RUNS_ROOT)) if os.path.isdir(RUNS_ROOT) else 0
    return {"run_dirs": dirs, "zombies": zombies, "listening": len(listening()), "driver_fds": len(os.listdir("/proc/self/fd"))}


def _state(pid):
    try:
        return stat_fields(pid)[0]
    except OSError:
        return ""


def cycle(rng, stack, exit_kind, log):
    env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "STACKTOP_HOME": ROOT}
    if "STACKTOP_RUNS_DIR" in os.environ:
        env["STACKTOP_RUNS_DIR"] = os.environ["STACKTOP_RUNS_DIR"]
    seconds = "0.5" if exit_kind == "for" else "600"
    with open(log, "w") as out:
        proc = subprocess.Popen([EXE, "up", stack, "--json", "--for", seconds], stdout=out, stderr=subprocess.STDOUT,
                                cwd=ROOT, env=env, start_new_session=True)
    problems = []
    if exit_kind.endswith("-launch"):
        wait_for(lambda: any(e.get("type") == "stack" for e in events(log)) or proc.poll() is not None, 30)
        time.sleep(rng.uniform(0, 0.6))
    else:
        ready = wait_for(lambda: any(e.get("type") == "stopped" for e in events(log)) or proc.poll() is not None
                         or sum(e.get("type") == "ready" for e in events(log)) >= components(stack), 60)
        if not ready:
            problems.append("not ready in 60 s")
    evs = events(log)
    run_dir = next((e.get("run_dir") for e in evs if e.get("type") == "stack"), None)
    sessions = {e["pid"] for e in evs if e.get("type") in ("starting", "ready") and "pid" in e}
    inodes = socket_inodes({int(r.split()[0]) for r in residue(sessions, run_dir)})
    reaper = next((int(p) for p in os.listdir("/proc") if p.isdigit() and _ppid(p) == proc.pid
                   and "_reap" in read(f"/proc/{p}/cmdline")), None)
    sig = {"SIGINT": signal.SIGINT, "SIGTERM": signal.SIGTERM, "SIGHUP": signal.SIGHUP}.get(exit_kind.split("-")[0])
    if exit_kind.startswith("SIGKILL"):
        sig = signal.SIGKILL
    if sig is not None and proc.poll() is None:
        os.kill(proc.pid, sig)
    try:
        status = proc.wait(timeout=60)
    except subprocess.TimeoutExpired:
        problems.append("stacktop did not exit in 60 s")
        proc.kill()
        status = proc.wait()
    evs = events(log)
    sessions |= {e["pid"] for e in evs if e.get("type") in ("starting", "ready") and "pid" in e}
    if sig == signal.SIGKILL:
        wait_for(lambda: not residue(sessions, run_dir), 2)
    left = residue(sessions, run_dir)
    if left:
        problems.append(f"left running: {left}")
        for line in left:
            try:
                os.kill(int(line.split()[0]), signal.SIGKILL)
            except OSError:
                pass
    still = [i for i in inodes if i in listening()]
    if still:
        problems.append(f"listening sockets left: {still}")
    if reaper and not wait_for(lambda: _state(str(reaper)) in ("", "Z"), 5):
        problems.append(f"reaper {reaper} outlived stacktop")
    if sig != signal.SIGKILL and status not in (0, 1):
        problems.append(f"exit status {status}")
    return status, problems


def _ppid(pid):
    try:
        return int(stat_fields(pid)[1])
    except (OSError, ValueError):
        return -1


COMPONENTS = {}


def components(stack):
    """How many components `stack` has (one `ready` event each), from `stacktop check`."""
    if stack not in COMPONENTS:
        out = subprocess.run([EXE, "check", os.path.join(ROOT, "topologies", stack + ".yaml")],
                             capture_output=True, text=True).stdout
        COMPONENTS[stack] = int(out.rsplit("(", 1)[1].split()[0])
    return COMPONENTS[stack]


def cycles_main():
    seconds = float(os.environ.get("STACKTOP_SOAK_SECONDS", "1800"))
    seed = int(os.environ.get("STACKTOP_SOAK_SEED", random.randrange(1, 2**32)))
    rng = random.Random(seed)
    fd, log = tempfile.mkstemp(prefix="stacktop-soak-", suffix=".jsonl")
    os.close(fd)
    print(f"soak: seed {seed}, {seconds:.0f} s, runs root {RUNS_ROOT}", flush=True)
    pool = [name for name, weight in STACKS for _ in range(weight)]
    start = time.monotonic()
    first, samples, failures, n = sample(), [], 0, 0
    while time.monotonic() - start < seconds:
        n += 1
        stack, exit_kind = rng.choice(pool), rng.choice(EXITS)
        status, problems = cycle(rng, stack, exit_kind, log)
        if problems:
            failures += 1
            print(f"cycle {n} {stack} {exit_kind}: FAIL {problems}", flush=True)
        if n % 20 == 0:
            samples.append(sample())
            print(f"cycle {n} ({time.monotonic() - start:.0f} s): {samples[-1]}, {failures} failed", flush=True)
    os.unlink(log) if os.path.exists(log) else None
    last = sample()
    print(f"soak: {n} cycles in {time.monotonic() - start:.0f} s, {failures} failed; first {first}, last {last}", flush=True)
    sys.exit(1 if failures or last["run_dirs"] > max(first["run_dirs"], 10) + 5 else 0)




# ---------------------------------------------------------------------------------------------
# Load soak (the default mode): one stack for a long time under a steady load, a random worker
# SIGKILLed every few seconds; stacktop's RSS and fds sampled; every failed request accounted for.

SOAK_TOPOLOGY = """name: soak-nginx-gunicorn
description: >
  The soak's stack: nginx (2 workers) in front of gunicorn (2 sync workers) over a unix socket,
  the nginx-gunicorn seed with a mix that has no failures on purpose (no /error), so every
  failed request is one the kills caused.
app:
  dir: {app_dir}
components:
  front:
    server: nginx
    workers: 2
    upstream: [app]
  app:
    server: gunicorn
    workers: 2
    threads: 1
    listen: unix
traffic:
  rate: {rate}
  mix:
    /: 9
    /slow?ms=20: 1
"""


class EventLog:
    """Reads stacktop's JSON Lines on a thread; keeps every event with its arrival time."""

    def __init__(self, stream, copy_path):
        import threading
        self.events, self.lock = [], threading.Lock()
        self.copy = open(copy_path, "w")
        threading.Thread(target=self._read, args=(stream,), daemon=True).start()

    def _read(self, stream):
        for line in stream:
            self.copy.write(line)
            try:
                event = json.loads(line)
            except ValueError:
                continue
            with self.lock:
                self.events.append(event)
        self.copy.flush()

    def all(self):
        with self.lock:
            return list(self.events)

    def wait(self, predicate, seconds):
        return wait_for(lambda: any(predicate(e) for e in self.all()), seconds)



def proc_sample(pid):
    """RSS (kB), open fds and threads of `pid`, or None once it is gone."""
    status = read(f"/proc/{pid}/status")
    if not status:
        return None
    fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
    try:
        fds = len(os.listdir(f"/proc/{pid}/fd"))
    except OSError:
        return None
    return {"rss_kb": int(fields["VmRSS"].split()[0]), "fds": fds, "threads": int(fields["Threads"])}


def failures(traffic):
    """Failed requests of one `traffic` event: no answer (by kind) plus 5xx answers."""
    no_answer = sum(traffic.get("by_error", {}).values())
    five = sum(n for status, n in traffic.get("by_status", {}).items() if int(status) >= 500)
    return no_answer + five


def load_main(argv):
    import argparse, datetime, statistics, tempfile
    ap = argparse.ArgumentParser(prog="soak.py")
    ap.add_argument("--seconds", type=float, default=float(os.environ.get("STACKTOP_SOAK_SECONDS", "1800")))
    ap.add_argument("--rate", type=int, default=100)
    ap.add_argument("--kill-every", type=float, default=2.0)
    ap.add_argument("--sample-every", type=float, default=5.0)
    ap.add_argument("--warmup", type=float, default=60.0, help="seconds before the RSS baseline")
    ap.add_argument("--stacktop", default=os.path.join(ROOT, ".build", "release", "stacktop"))
    ap.add_argument("--write", action="store_true", help="write the Soak section of benchmarks/RESULTS.md")
    ap.add_argument("--seed", type=int, default=int(os.environ.get("STACKTOP_SOAK_SEED", random.randrange(1, 2**32))))
    args = ap.parse_args(argv)
    rng = random.Random(args.seed)
    work = tempfile.mkdtemp(prefix="stacktop-soak-")
    topology = os.path.join(work, "soak-nginx-gunicorn.yaml")
    with open(topology, "w") as f:
        f.write(SOAK_TOPOLOGY.format(app_dir=os.path.join(ROOT, "topologies", "apps", "demo"), rate=args.rate))
    load_before = read("/proc/loadavg").split()[:3]
    started = datetime.datetime.now(datetime.timezone.utc)
    print(f"soak (load): seed {args.seed}, {args.seconds:.0f} s at {args.rate} rps, a worker killed every "
          f"{args.kill_every:g} s, {args.stacktop}; events, samples and kills in {work}/", flush=True)
    env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "STACKTOP_HOME": ROOT}
    if "STACKTOP_RUNS_DIR" in os.environ:
        env["STACKTOP_RUNS_DIR"] = os.environ["STACKTOP_RUNS_DIR"]
    proc = subprocess.Popen([args.stacktop, "up", topology, "--json", "--load", str(args.rate)],
                            stdout=subprocess.PIPE, stderr=open(os.path.join(work, "stderr.txt"), "w"), text=True,
                            cwd=ROOT, env=env, start_new_session=True)
    log = EventLog(proc.stdout, os.path.join(work, "events.jsonl"))
    problems, kills, samples = [], [], []
    try:
        if not log.wait(lambda e: e.get("type") == "traffic" and e.get("load"), 90):
            raise SystemExit(f"soak: the stack did not start under load in 90 s (see {work})")
        masters = {e["component"]: e["pid"] for e in log.all() if e.get("type") == "starting" and "pid" in e}
        t0 = time.monotonic()
        next_kill, next_sample = t0 + args.kill_every, t0
        while time.monotonic() - t0 < args.seconds:
            now = time.monotonic()
            if now >= next_sample:
                s = proc_sample(proc.pid)
                if s is None:
                    problems.append("stacktop exited during the soak")
                    break
                s["t"] = round(now - t0, 1)
                s["stack_procs"] = sum(len(children_of(m)) + 1 for m in masters.values())
                samples.append(s)
                next_sample += args.sample_every
                if len(samples) % 60 == 1:
                    print(f"{s['t']:7.0f} s: rss {s['rss_kb']} kB, fds {s['fds']}, threads {s['threads']}, "
                          f"{len(kills)} kills", flush=True)
            if now >= next_kill:
                component = rng.choice(sorted(masters))
                workers = children_of(masters[component])
                if workers:
                    victim = rng.choice(workers)
                    try:
                        os.kill(victim, signal.SIGKILL)
                        kills.append({"pid": victim, "component": component, "t": now - t0})
                    except ProcessLookupError:
                        pass
                next_kill += args.kill_every
            time.sleep(max(0.0, min(next_kill, next_sample) - time.monotonic()))
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
        try:
            status = proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            problems.append("stacktop did not stop in 60 s after SIGINT")
            proc.kill()
            status = proc.wait()
    time.sleep(0.5)  # the reader thread drains the pipe
    events = log.all()
    with open(os.path.join(work, "samples.jsonl"), "w") as f:
        f.writelines(json.dumps(s) + "\n" for s in samples)
    with open(os.path.join(work, "kills.jsonl"), "w") as f:
        f.writelines(json.dumps(k) + "\n" for k in kills)
    report = account(events, kills, samples, args, problems, status)
    left = residue({e["pid"] for e in events if e.get("type") == "starting" and "pid" in e},
                   next((e.get("run_dir") for e in events if e.get("type") == "stack"), None))
    if left:
        problems.append(f"left running: {left}")
    header = (f"Date: {started:%Y-%m-%d %H:%M} UTC; machine: {os.cpu_count()} CPUs, "
              f"{cpu_model()}, Linux {os.uname().release}; load average before: {' '.join(load_before)}; seed {args.seed}.")
    text = header + "\n" + report + ("\n\nProblems: " + "; ".join(problems) if problems else "")
    print(text, flush=True)
    with open(os.path.join(work, "report.md"), "w") as f:
        f.write(text + "\n")
    if args.write:
        subprocess.run([sys.executable, os.path.join(ROOT, "benchmarks", "write-results.py"),
                        "Soak: 30 minutes under load, a worker killed every 2 s (benchmarks/soak.sh)"],
                       input=text, text=True, check=True)
    sys.exit(1 if problems else 0)


def report_main(argv):
    """`soak.py report DIR`: the figures again from a finished run's saved files."""
    import types
    work = argv[0]
    events = [json.loads(l) for l in open(os.path.join(work, "events.jsonl")) if l.strip()]
    def lines(name):
        path = os.path.join(work, name)
        return [json.loads(l) for l in open(path)] if os.path.exists(path) else []
    args = types.SimpleNamespace(rate=next((e["rate"] for e in events if e.get("type") == "traffic" and e.get("load")), 0),
                                 kill_every=2.0, sample_every=5.0, warmup=60.0)
    problems = []
    stopped = next((e for e in events if e.get("type") == "stopped"), {})
    print(account(events, lines("kills.jsonl"), lines("samples.jsonl"), args, problems, 0 if stopped.get("clean") else "?"))
    print("Problems: " + "; ".join(problems) if problems else "no problems")


def cpu_model():
    for line in read("/proc/cpuinfo").splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return "unknown CPU"


def account(events, kills, samples, args, problems, status):
    """The figures as Markdown, appending to `problems` what misses the goals."""
    import statistics
    per_second = [e for e in events if e.get("type") == "traffic" and not e.get("final") and e.get("load")]
    final = next((e for e in events if e.get("type") == "traffic" and e.get("final")), None)
    if final is None:
        problems.append("no final traffic event")
        return "no final traffic event: nothing to account"
    exited = {e["pid"]: e for e in events if e.get("type") == "exited" and "pid" in e}
    replaced = {e["old_pid"] for e in events if e.get("type") == "replaced"}
    missed_exit = [k for k in kills if k["pid"] not in exited]
    missed_replace = [k for k in kills if k["pid"] not in replaced]
    # Failed requests: the seconds' sum vs the final totals, each failing second near a kill.
    sum_seconds = sum(failures(e) for e in per_second)
    total_failed = failures(final)
    # Failures that happen at once (a reset or refused connection, nginx's 502) must fall in a
    # second whose window holds a worker's exit (±300 ms). Timeouts are counted when they expire,
    # seconds later, so time cannot tie them to a kill; they are reported apart. (A looser test,
    # "a kill within 1 s of the second", is met by nearly every second with a kill every 2 s.)
    exit_times = sorted(e["t_ms"] for e in events if e.get("type") == "exited")
    unattributed, unattributed_seconds, immediate = 0, 0, 0
    for e in per_second:
        errors, statuses = e.get("by_error", {}), e.get("by_status", {})
        n = errors.get("reset", 0) + errors.get("refused", 0) + statuses.get("502", 0)
        if not n:
            continue
        immediate += n
        start, end = e["t_ms"] - e.get("window_ms", 1000) - 300, e["t_ms"] + 300
        if not any(start <= t <= end for t in exit_times):
            unattributed += n
            unattributed_seconds += 1
    answered = sum(final.get("by_status", {}).values())
    no_answer = sum(final.get("by_error", {}).values())
    run_dir = next((e.get("run_dir") for e in events if e.get("type") == "stack"), "")
    front_502_file = sum(1 for line in read(os.path.join(run_dir, "logs", "front.access.log")).splitlines()
                         if " status=502 " in line or line.startswith("status=502 "))
    front_log = next((l for l in final.get("logs", []) if l.get("front_door")), {})
    # Memory and fds after the warm-up.
    steady = [s for s in samples if s["t"] >= args.warmup] or samples
    if not steady:  # an offline report without samples: no memory figures
        steady = [{"t": 0, "rss_kb": 0, "fds": 0, "threads": 0, "stack_procs": 0}]
        problems.append("no samples of stacktop's RSS and fds")
    base = statistics.median(s["rss_kb"] for s in steady[:12]) if steady else 0
    end = statistics.median(s["rss_kb"] for s in steady[-12:]) if steady else 0
    growth = (end - base) / base * 100 if base else float("nan")
    slope = _slope([(s["t"], s["rss_kb"]) for s in steady])
    fds = [s["fds"] for s in steady]
    threads = [s["threads"] for s in steady]
    procs = [s["stack_procs"] for s in steady]
    if growth >= 5:
        problems.append(f"RSS grew {growth:.1f}% (goal < 5%)")
    fds_base = statistics.median(fds[:12]) if fds else 0
    fds_end = statistics.median(fds[-12:]) if fds else 0
    fds_flat = fds_end <= fds_base + 2  # the load generator's connections come and go; no upward drift
    if not fds_flat:
        problems.append(f"fds drift up: median {fds_base:g} in the first minute, {fds_end:g} in the last")
    if sum_seconds != total_failed:
        problems.append(f"failed requests: seconds sum to {sum_seconds}, totals say {total_failed}")
    if unattributed:
        problems.append(f"{unattributed} immediate failures in {unattributed_seconds} seconds without a worker's exit")
    if missed_exit or missed_replace:
        problems.append(f"kills without an exited event: {len(missed_exit)}, without replaced: {len(missed_replace)}")
    if final["sent"] != answered + no_answer:
        problems.append(f"sent {final['sent']} != answered {answered} + no answer {no_answer}")
    by_kind = {}
    for k in kills:
        by_kind[k["component"]] = by_kind.get(k["component"], 0) + 1
    errors = " ".join(f"{k}×{v}" for k, v in sorted(final.get("by_error", {}).items())) or "none"
    statuses = " ".join(f"{k}×{v}" for k, v in sorted(final.get("by_status", {}).items(), key=lambda kv: int(kv[0])))
    lines = [
        f"`stacktop up` (release, headless, --json) of nginx (2 workers) -> gunicorn (2 sync workers), mix / 9, /slow?ms=20 1 "
        f"(no failures on purpose), --load {args.rate}, {samples[-1]['t'] if samples else 0:.0f} s; every {args.kill_every:g} s "
        f"SIGKILL to a random worker of a random master (from /proc, not from stacktop). stacktop's RSS/fds/threads from "
        f"/proc/PID every {args.sample_every:g} s; baseline = median of the first minute after a {args.warmup:.0f} s warm-up, "
        f"end = median of the last minute.",
        "",
        "| figure | value | goal |",
        "|---|---|---|",
        f"| stacktop RSS baseline → end (max) | {base/1024:.1f} → {end/1024:.1f} MB ({max(s['rss_kb'] for s in steady)/1024:.1f}) "
        f"| |",
        f"| RSS growth | {growth:+.2f}% (trend {slope*3600/1024:+.2f} MB/h) | < 5% {'met' if growth < 5 else 'MISSED'} |",
        f"| open fds: median first minute → last minute (min–max) | {fds_base:g} → {fds_end:g} ({min(fds)}–{max(fds)}) "
        f"| flat (≤ +2) {'met' if fds_flat else 'MISSED'} |",
        f"| threads min–max | {min(threads)}–{max(threads)} | |",
        f"| stack processes min–max | {min(procs)}–{max(procs)} | |",
        f"| kills (front/app workers) | {len(kills)} ({by_kind.get('front', 0)}/{by_kind.get('app', 0)}) | |",
        f"| kills without `exited` / `replaced` event | {len(missed_exit)} / {len(missed_replace)} | 0 |",
        f"| requests sent / answered / no answer | {final['sent']} / {answered} / {no_answer} ({errors}) | |",
        f"| answers by status | {statuses} | |",
        f"| failed requests (no answer + 5xx): totals / sum of the per-second events | {total_failed} / {sum_seconds} "
        f"| equal {'met' if total_failed == sum_seconds else 'MISSED'} |",
        f"| immediate failures (reset, refused, 502) / those in a second without a worker's `exited` (±300 ms) "
        f"| {immediate} / {unattributed} | 0 {'met' if not unattributed else 'MISSED'} |",
        f"| timeouts (counted when they expire; stalls, not tied to a kill by time) "
        f"| {final.get('by_error', {}).get('timeout', 0)} | |",
        f"| nginx 502s: stacktop's tally of the log / grep of the file | {front_log.get('by_status', {}).get('502', 0)} / {front_502_file} | equal |",
        f"| stacktop exit status after SIGINT | {status} | 0 |",
    ]
    return "\n".join(lines)


def _slope(points):
    """Least-squares slope (kB per second) of (t, rss) points."""
    if len(points) < 2:
        return 0.0
    n = len(points)
    mt = sum(t for t, _ in points) / n
    mr = sum(r for _, r in points) / n
    den = sum((t - mt) ** 2 for t, _ in points)
    return sum((t - mt) * (r - mr) for t, r in points) / den if den else 0.0


if __name__ == "__main__":
    if sys.argv[1:2] == ["cycles"]:
        cycles_main()
    elif sys.argv[1:2] == ["report"]:
        report_main(sys.argv[2:])
    else:
        load_main(sys.argv[1:])
