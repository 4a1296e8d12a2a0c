"""Soak driver for `stacktop up`: random stacks, random exits, for a fixed time; checks after
every cycle that nothing of the stack is left and, every 20 cycles, that nothing accumulates.

Run through benchmarks/soak.sh (builds first). Not part of `make test`.

Per cycle: launch a random stack with `--json`, end it with one of --for expiry, SIGINT,
SIGTERM, SIGHUP, SIGKILL, SIGINT or SIGKILL during the launch; then require
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
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXE = os.path.join(ROOT, ".build", "debug", "stacktop")
STACKS = [("waitress", 5), ("uwsgi", 5), ("nginx-gunicorn", 4), ("nginx-flup", 3), ("lighttpd-flup", 2),
          ("apache-mod-wsgi", 2), ("nginx-gunicorn-supervisord", 1), ("nginx-uwsgi-supervisord", 1), ("werkzeug", 1)]
EXITS = ["for", "SIGINT", "SIGTERM", "SIGHUP", "SIGKILL", "SIGINT-launch", "SIGKILL-launch"]
RUNS_ROOT = os.environ.get("STACKTOP_RUNS_DIR") or "/tmp/stacktop-runs"


def stat_fields(pid):
    with open(f"/proc/{pid}/stat") as f:
        return f.read().rsplit(")", 1)[1].split()  # state ppid pgrp session ...


def read(path):
    try:
        with open(path, "rb") as f:
            return f.read().decode(errors="replace")
    except OSError:
        return ""


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


def main():
    seconds = float(os.environ.get("STACKTOP_SOAK_SECONDS", "1800"))
    seed = int(os.environ.get("STACKTOP_SOAK_SEED", random.randrange(1, 2**32)))
    rng = random.Random(seed)
    log = f"/tmp/stacktop-soak-{os.getpid()}.jsonl"
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


if __name__ == "__main__":
    main()
