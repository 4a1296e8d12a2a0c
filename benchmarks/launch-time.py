#!/usr/bin/env python3
"""Measures stacktop's time to ready against the same servers started by a plain shell script.

For each runnable stack (topologies/*.yaml), rounds alternate between:
  - stacktop: `stacktop up T --for 0.1`, timed from its exec to the arrival of its
    "stack ready in N ms" line (the end of the launch: every component's readiness check and
    the request through the front door passed). Its per-component "ready" lines are kept too;
  - shell: `stacktop config T --out DIR` writes the same configs (fresh ports, fresh dir) and
    prints the commands; a generated bash script runs those commands (same argv, environment,
    working directory, order; each in its own session, output appended to a log like stacktop
    does), and before starting the next one waits for each component as stacktop's launcher
    does, every 10 ms: an HTTP check with curl (`-m 0.5`, answered below 500), a TCP connect
    (bash's /dev/tcp) or a unix-socket connect with curl (`--unix-socket`, `-m 0.02`: exit
    status 7 = nothing listens, anything else = it connected; the connect matters: it wakes
    supervisord, which otherwise starts its programs on its 1 s tick); then the front door's
    /health with curl every 20 ms. Timed from its exec to its "stack ready" line.
Both are timed the same way (from just before the exec to the line's arrival on a pipe). The
shell's servers are stopped with SIGTERM to each session, then SIGKILL for what is left after
3 s; stacktop stops its own (`--for 0.1`). Prints a Markdown section; --write replaces the
"Launch time" section of benchmarks/RESULTS.md.

Readiness per component follows stacktop's recipes (StackRecipes/*Recipe.swift): nginx its
status path, Apache and lighttpd a TCP connect, supervisord and app servers behind a front
their unix socket run/NAME.sock, an app server that is the front door /health, components
inside another (mod_wsgi, lighttpd's flup) /health through their host.

Usage: benchmarks/launch-time.py [--stacktop PATH] [--rounds 5] [--write] [TOPOLOGY ...]
Run from the project root after `swift build -c release`. Ports are stacktop's automatic
ones on 127.0.0.1; only processes in the sessions the script started are signalled.
"""
import argparse, datetime, json, os, platform, queue, re, shlex, shutil, signal, statistics, subprocess, sys
import tempfile, threading, time

from procfs import read

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NGINX_STATUS = "/__stacktop/nginx_status"
APP_KINDS = {"gunicorn", "uwsgi", "waitress", "werkzeug", "flup"}



def session_of(pid):
    text = read(f"/proc/{pid}/stat")
    if ")" not in text:
        return None
    fields = text.rsplit(")", 1)[1].split()
    return int(fields[3]) if fields[0] not in "ZX" else None


def in_sessions(sids):
    out = []
    for d in os.listdir("/proc"):
        if d.isdigit() and session_of(int(d)) in sids:
            out.append(int(d))
    return out


class Lines:
    """Reads a child's stdout lines, stamping each with time.monotonic() on arrival."""

    def __init__(self, stream):
        self.q = queue.Queue()
        threading.Thread(target=self._read, args=(stream,), daemon=True).start()

    def _read(self, stream):
        for line in stream:
            self.q.put((time.monotonic(), line.rstrip("\n")))
        self.q.put(None)

    def until(self, pattern, timeout):
        """(arrival, match) of the first line matching `pattern`, and every line read before it."""
        seen, end = [], time.monotonic() + timeout
        while True:
            try:
                item = self.q.get(timeout=max(0.01, end - time.monotonic()))
            except queue.Empty:
                return None, seen
            if item is None:
                return None, seen
            seen.append(item)
            m = re.search(pattern, item[1])
            if m:
                return (item[0], m), seen

    def drain(self):
        while self.q.get() is not None:
            pass


def stacktop_run(binary, topology):
    """One `stacktop up T --for 0.1`: wall ms to "stack ready", its own ms, per-component ready."""
    t0 = time.monotonic()
    p = subprocess.Popen([binary, "up", topology, "--for", "0.1"], cwd=ROOT, stdin=subprocess.DEVNULL,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines = Lines(p.stdout)
    hit, seen = lines.until(r"^stack ready in (\d+) ms", 60)
    lines.drain()
    p.wait(timeout=60)
    if not hit:
        raise RuntimeError(f"stacktop up {topology} did not get ready:\n" + "\n".join(l for _, l in seen))
    ready, launching = {}, None
    for t, line in seen:
        m = re.match(r"(?:starting|waiting for) (\S+) \(", line)
        if m and "ready in" in line:
            ready[m.group(1)] = (t - t0) * 1000
        if line.startswith("launching ") and launching is None:
            launching = (t - t0) * 1000
    return {"wall": (hit[0] - t0) * 1000, "own": int(hit[1].group(1)), "ready": ready, "launching": launching}


def launch_order(binary, topology):
    """[(component, launched by stacktop?)] in launch order, from one `up --json` run's `starting` events."""
    out = subprocess.run([binary, "up", topology, "--for", "0.1", "--json"], cwd=ROOT, stdin=subprocess.DEVNULL,
                         capture_output=True, text=True, timeout=120).stdout
    order = []
    for line in out.splitlines():
        try:
            e = json.loads(line)
        except ValueError:
            continue
        if e.get("type") == "starting":
            order.append((e["component"], bool(e.get("argv"))))
    if not order:
        raise RuntimeError(f"no starting events from stacktop up {topology}")
    return order


def shell_script(binary, topology, kinds, order, tmp, n):
    """Writes the configs with `stacktop config` into a fresh dir and the script that starts them."""
    d = os.path.join(tmp, f"{topology}-{n}")
    out = subprocess.run([binary, "config", topology, "--out", d], cwd=ROOT, stdin=subprocess.DEVNULL,
                         capture_output=True, text=True, check=True).stdout
    ports = {m.group(2): int(m.group(1)) for m in re.finditer(r"^port (\d+) for (\S+):", out, re.M)}
    door = re.search(r"^front door: (http://[^/\s]+)", out, re.M).group(1)
    commands = [line.strip() for line in out.splitlines() if line.startswith("  cd ")]
    roots = [name for name, spawned in order if spawned]
    if len(commands) != len(roots):
        raise RuntimeError(f"{topology}: {len(commands)} commands from config, {len(roots)} roots launched")
    conf_text = "".join(read(os.path.join(dp, f)) for dp, _, fs in os.walk(os.path.join(d, "conf")) for f in fs)
    door_port = int(door.rsplit(":", 1)[1])
    front = next((name for name, port in ports.items() if port == door_port), None)
    host = "127.0.0.1"

    def check(name):
        kind = kinds[name]
        sock = os.path.join(d, "run", name + ".sock")
        spawned = dict(order)[name]
        if kind == "nginx":
            return f"ready_http http://{host}:{ports[name]}{NGINX_STATUS}"
        if kind in ("apache", "lighttpd"):
            return f"ready_tcp {host} {ports[name]}"
        if kind == "supervisord":
            return f"ready_unix {shlex.quote(sock)}"
        # Inside another component's process tree (mod_wsgi in Apache, flup under lighttpd): started
        # by its host, not by a supervisor, and checked through the host.
        inside = not spawned and "supervisord" not in kinds.values()
        if kind == "mod_wsgi" or inside:
            return f"ready_http {door}/health"
        if name == front:
            return f"ready_http {door}/health"
        if sock in conf_text or any(sock in c for c in commands):
            return f"ready_unix {shlex.quote(sock)}"
        if kind in ("flup",) or (kind == "uwsgi" and "http-socket" not in conf_text):
            return f"ready_tcp {host} {ports[name]}"
        return f"ready_http http://{host}:{ports[name]}/health"

    body = [
        "#!/bin/bash",
        f"# {topology}: the servers `stacktop config` wrote into {d}, started like stacktop starts them.",
        "set -u",
        "ready_http() { local code; code=$(curl -s -o /dev/null -m 0.5 -w '%{http_code}' \"$1\" 2>/dev/null); [[ $code =~ ^[1-4][0-9][0-9]$ ]]; }",
        "ready_tcp() { (exec 3<>\"/dev/tcp/$1/$2\") 2>/dev/null; }",
        # A connect: curl exits 7 when nothing listens; any other status means it connected (a
        # uWSGI or FastCGI socket does not answer HTTP, hence the 20 ms cap).
        "ready_unix() { curl -s -o /dev/null -m 0.02 --unix-socket \"$1\" http://localhost/ 2>/dev/null; [[ $? -ne 7 ]]; }",
    ]
    commands = iter(commands)
    for name, spawned in order:
        if spawned:
            log = shlex.quote(os.path.join(d, "logs", name + ".out"))
            cd, rest = next(commands).split(" && ", 1)
            body.append(f"({cd} && exec setsid {rest}) >>{log} 2>&1 </dev/null &")
            body.append(f"echo \"pid {name} $!\"")
        body.append(f"until {check(name)}; do sleep 0.01; done; echo \"ready {name}\"")
    body.append(f"until ready_http {door}/health; do sleep 0.02; done; echo \"stack ready\"")
    path = os.path.join(tmp, f"start-{topology}-{n}.sh")
    with open(path, "w") as f:
        f.write("\n".join(body) + "\n")
    os.chmod(path, 0o755)
    return path


def shell_run(script):
    """Runs the script: wall ms to "stack ready", per-component ready; then stops its sessions."""
    t0 = time.monotonic()
    p = subprocess.Popen(["/bin/bash", script], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, text=True, start_new_session=True)
    lines = Lines(p.stdout)
    hit, seen = lines.until(r"^stack ready$", 60)
    sids = {int(m.group(1)) for _, l in seen if (m := re.match(r"pid \S+ (\d+)$", l))}
    try:
        if not hit:
            p.kill()
            raise RuntimeError(f"{script} did not get ready:\n" + "\n".join(l for _, l in seen))
        p.wait(timeout=10)
        ready = {m.group(1): (t - t0) * 1000 for t, l in seen if (m := re.match(r"ready (\S+)$", l))}
        return {"wall": (hit[0] - t0) * 1000, "ready": ready, "launching": 0.0}
    finally:
        stop_sessions(sids)


def stop_sessions(sids):
    for sid in sids:
        try:
            os.kill(sid, signal.SIGTERM)
        except ProcessLookupError:
            pass
    end = time.monotonic() + 3
    while in_sessions(sids) and time.monotonic() < end:
        time.sleep(0.05)
    for pid in in_sessions(sids):
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    end = time.monotonic() + 5
    while in_sessions(sids) and time.monotonic() < end:
        time.sleep(0.05)
    left = in_sessions(sids)
    if left:
        raise RuntimeError(f"processes left in sessions {sorted(sids)}: {left}")


def med(values):
    return statistics.median(values)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--stacktop", default=".build/release/stacktop")
    p.add_argument("--rounds", type=int, default=5)
    p.add_argument("--write", action="store_true")
    p.add_argument("topologies", nargs="*")
    args = p.parse_args()
    os.chdir(ROOT)
    binary = os.path.abspath(args.stacktop)
    listing = json.loads(subprocess.run([binary, "list", "--json"], capture_output=True, text=True, check=True).stdout)
    stacks = {t["name"]: t for t in listing["topologies"]}
    names = args.topologies or [n for n, t in stacks.items() if t["runnable"]]
    load_before = " ".join(open("/proc/loadavg").read().split()[:3])
    rows = []
    with tempfile.TemporaryDirectory(prefix="stacktop-launch-") as tmp:
        os.chmod(tmp, 0o755)  # nginx workers (nobody) and Apache's www-data must traverse it
        for name in names:
            kinds = {c["name"]: c["server"] for c in stacks[name]["components"]}
            order = launch_order(binary, name)  # also the warm-up run (page cache, venv imports)
            shell, top = [], []
            for r in range(args.rounds):
                runs = [("shell", None), ("stacktop", None)]
                if r % 2:
                    runs.reverse()
                for which, _ in runs:
                    if which == "shell":
                        shell.append(shell_run(shell_script(binary, name, kinds, order, tmp, r)))
                    else:
                        top.append(stacktop_run(binary, name))
                print(f"{name} round {r + 1}: shell {shell[-1]['wall']:.0f} ms, stacktop {top[-1]['wall']:.0f} ms "
                      f"(own clock {top[-1]['own']} ms)", file=sys.stderr)
            rows.append((name, order, shell, top))
    section = report(args, rows, load_before)
    print(section)
    if args.write:
        subprocess.run([sys.executable, os.path.join(ROOT, "benchmarks", "write-results.py"), "Launch time"],
                       input=section, text=True, check=True)


def report(args, rows, load_before):
    model = re.search(r"model name\s*:\s*(.*)", read("/proc/cpuinfo"))
    lines = [
        f"Date: {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC; machine: {os.cpu_count()} CPUs, "
        f"{model.group(1) if model else platform.machine()}, Linux {platform.release()}; "
        f"load average before: {load_before} (a shared machine).",
        f"benchmarks/launch-time.py, {args.rounds} rounds per stack, stacktop and the shell script alternating "
        "(after one warm-up `up`). Wall time from exec to ready: stacktop's \"stack ready\" line (`up T --for 0.1`, "
        "release build) vs a bash script running the commands `stacktop config T --out DIR` prints, waiting for each "
        "component as stacktop does, every 10 ms (curl for HTTP, bash /dev/tcp for TCP, curl --unix-socket -m 0.02 "
        "for a unix-socket connect), then for the front door's /health (curl every 20 ms). own clock = stacktop's \"stack ready in N ms\" (from the start of its "
        "launch; the rest of its wall time is before that: process start, topology, run dir, reaper). "
        "median (min–max) ms; ratio = stacktop / shell, per round. Goal: ≤ 1.1×.",
        "",
        "| stack | shell ms | stacktop ms | ratio (median of rounds) | stacktop own clock ms | stacktop before its clock ms | last component ready: shell / stacktop ms |",
        "|---|---|---|---|---|---|---|",
    ]
    fmt = lambda vs: f"{med(vs):.0f} ({min(vs):.0f}–{max(vs):.0f})"
    for name, order, shell, top in rows:
        ratios = [t["wall"] / s["wall"] for s, t in zip(shell, top)]
        last = order[-1][0]
        sh_last = [s["ready"].get(last) for s in shell if last in s["ready"]]
        st_last = [t["ready"].get(last) for t in top if last in t["ready"]]
        lines.append(
            f"| {name} | {fmt([s['wall'] for s in shell])} | {fmt([t['wall'] for t in top])} | "
            f"{med(ratios):.2f}× ({min(ratios):.2f}–{max(ratios):.2f}) | {fmt([t['own'] for t in top])} | "
            f"{fmt([t['wall'] - t['own'] for t in top])} | "
            f"{med(sh_last):.0f} / {med(st_last):.0f} |" if sh_last and st_last else
            f"| {name} | {fmt([s['wall'] for s in shell])} | {fmt([t['wall'] for t in top])} | "
            f"{med(ratios):.2f}× ({min(ratios):.2f}–{max(ratios):.2f}) | {fmt([t['own'] for t in top])} | "
            f"{fmt([t['wall'] - t['own'] for t in top])} | — |")
    lines += ["", "Where the time goes, median ms per step (shell / stacktop): `start` = exec to the first spawn "
              "(stacktop: its \"launching\" line, after process start, topology, run dir and reaper; the shell: 0); then each "
              "component from the previous step to its readiness passing (stacktop: the check, then that the listener "
              "belongs to the stack, SocketTable); `door` = the last component to the front door answering.", "",
              "| stack | start | components | door |", "|---|---|---|---|"]
    for name, order, shell, top in rows:
        def steps(run):
            prev, out = run["launching"], []
            if prev is None or any(c not in run["ready"] for c, _ in order):
                return None
            for c, _ in order:
                out.append(run["ready"][c] - prev)
                prev = run["ready"][c]
            return [run["launching"]] + out + [run["wall"] - prev]
        sh = [x for x in map(steps, shell) if x]
        st = [x for x in map(steps, top) if x]
        if not sh or not st:
            lines.append(f"| {name} | — | — | — |")
            continue
        col = lambda i: f"{med([x[i] for x in sh]):.0f} / {med([x[i] for x in st]):.0f}"
        comps = ", ".join(f"{c} {col(i + 1)}" for i, (c, _) in enumerate(order))
        lines.append(f"| {name} | {col(0)} | {comps} | {col(len(order) + 1)} |")
    extra = [t["wall"] - s["wall"] for _, _, shell, top in rows for s, t in zip(shell, top)]
    starts = [t["launching"] for _, _, _, top in rows for t in top if t["launching"] is not None]
    befores = [t["wall"] - t["own"] for _, _, _, top in rows for t in top]
    met = [name for name, _, shell, top in rows if med([t["wall"] / s["wall"] for s, t in zip(shell, top)]) <= 1.1]
    lines += ["", f"Over all stacks and rounds: stacktop minus shell, median {med(extra):.0f} ms "
              f"({min(extra):.0f}–{max(extra):.0f}); stacktop's start (exec to its first spawn) median {med(starts):.0f} ms, "
              f"of which {med(befores):.0f} ms before its launch clock (process start, topology, run dir, ports) and the "
              f"rest starting its reaper. Goal ≤ 1.1× met (median ratio) by {len(met)} of {len(rows)} stacks"
              + (f": {', '.join(met)}." if met else ".")]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
