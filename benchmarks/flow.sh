#!/usr/bin/env bash
# Request flow of `stacktop up nginx-gunicorn --load RPS --for S --json`: the rate achieved per
# second, stacktop's own counts vs the access logs as stacktop's tailer counted them vs the log
# files counted here (grep), and latency at the client vs at nginx vs at gunicorn.
# Uses $STACKTOP (default: the debug build). Writes the "Request flow (up --load)" section of
# benchmarks/RESULTS.md. Usage: benchmarks/flow.sh [RPS:SECONDS ...] (default 200:30 1000:10).
set -euo pipefail
cd "$(dirname "$0")/.."
stacktop=${STACKTOP:-.build/debug/stacktop}
[ -x "$stacktop" ] || swift build --product stacktop
runs=("$@")
[ ${#runs[@]} -gt 0 ] || runs=(200:30 1000:10)
load=$(cut -d" " -f1-3 /proc/loadavg)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
rows=""
for run in "${runs[@]}"; do
  rps=${run%%:*}; secs=${run##*:}
  echo "up nginx-gunicorn --load $rps --for $secs ..." >&2
  "$stacktop" up nginx-gunicorn --load "$rps" --for "$secs" --json > "$tmp/up.jsonl"
  rows+=$(python3 - "$tmp/up.jsonl" "$rps" "$secs" <<'EOF'
import json, sys
events = [json.loads(l) for l in open(sys.argv[1])]
rate, secs = sys.argv[2], sys.argv[3]
seconds = [e for e in events if e["type"] == "traffic" and not e.get("final") and e["load"]]
final = next(e for e in events if e["type"] == "traffic" and e.get("final"))
run_dir = next(e for e in events if e["type"] == "stack")["run_dir"]
logs = {l["component"]: l for l in final["logs"]}
def file_counts(name):
    lines = open(f"{run_dir}/logs/{name}.access.log").read().splitlines()
    probes = sum(1 for l in lines if 'request="GET /health ' in l)
    return len(lines), probes
front_lines, front_probes = file_counts("front")
app_lines, _ = file_counts("app")
per = sorted(e["rps"] for e in seconds[1:-1]) or [0]   # whole seconds of load only
answered = sum(final["by_status"].values())
errors = " ".join(f"{k}×{v}" for k, v in sorted(final["by_error"].items())) or "none"
ms = lambda v: "-" if v is None else f"{v:g}"
print(f"| {rate} | {secs} | {per[len(per)//2]:g} ({per[0]:g}–{per[-1]:g}) | {final['sent']} | {answered} | {errors} "
      f"| {logs['front']['requests']} + {logs['front']['probes']} probes | {front_lines - front_probes} + {front_probes} "
      f"| {logs['app']['requests']} / {app_lines - logs['app']['probes']} "
      f"| {ms(final['p50_ms'])} / {ms(final['p99_ms'])} | {ms(logs['front']['p99_ms'])} | {ms(logs['app']['p99_ms'])} |")
EOF
)$'\n'
done
{
  echo "Date: $(date -u '+%Y-%m-%d %H:%M UTC'); machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); binary: $stacktop."
  echo "Load average before the runs: $load. Stack: nginx (2 workers) -> gunicorn (2 sync workers), mix / 8, /slow?ms=50 1, /error 1."
  echo
  echo "rps: per whole second of load, median (min–max). sent/answered/errors: stacktop's generator totals."
  echo "nginx log (stacktop): requests the tailer counted + stacktop's /health probes; nginx log (file): the same counted with"
  echo "grep in the run dir. gunicorn log: tailer / file. Latency p50/p99 ms: at the client (from the scheduled time, open"
  echo "loop), p99 of nginx's \$request_time, p99 of gunicorn's own time."
  echo
  echo "| load rps | s | rps achieved | sent | answered | errors | nginx log (stacktop) | nginx log (file) | gunicorn log | client p50/p99 | nginx p99 | gunicorn p99 |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
  printf "%s" "$rows"
} | python3 benchmarks/write-results.py "Request flow (up --load)"
sed -n '/^## Request flow/,/^## /p' benchmarks/RESULTS.md
