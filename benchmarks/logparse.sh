#!/usr/bin/env bash
# Parse rate of stacktop's access-log parser on a generated 1,000,000-line nginx log (stacktop's
# format), read through LogTail (the path the dashboard uses), vs `wc -l` on the same file.
# Release build. Writes the "Access-log parse rate" section of benchmarks/RESULTS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp)
load=$(cut -d" " -f1-3 /proc/loadavg)
STACKTOP_BENCH=1 swift test -c release --scratch-path .build-bench -Xswiftc -enable-testing --filter TrafficBenchmarks/testAccessLogParseRate 2>&1 | tee "$out" | grep -E "^BENCH|error|failed" || true
grep -q "^BENCH parse_lines_per_s_1=" "$out" || { echo "benchmark failed; see $out" >&2; exit 1; }
get() { grep "^BENCH $1=" "$out" | head -1 | cut -d= -f2-; }

# The reference that reads the same kind of input: goaccess (Debian's; `install-components --bench`)
# on 1,000,000 requests written in nginx's "combined" format (goaccess cannot read stacktop's
# key=value lines), report to JSON, 3 rounds, page cache warm.
goaccess_rates=()
if command -v goaccess >/dev/null; then
  combined=$(mktemp --suffix=.log)
  python3 - "$combined" <<'PY'
import sys
paths = ["/", "/slow?ms=50", "/error", "/health", "/static/app.css"]
with open(sys.argv[1], "w") as f:
    for i in range(1_000_000):
        s = i % 86400
        f.write(f'127.0.0.1 - - [26/Nov/2026:{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d} +0000] '
                f'"GET {paths[i % 5]} HTTP/1.1" {502 if i % 10 == 0 else 200} {612 + i % 50} "-" "stacktop-bench"\n')
PY
  cat "$combined" >/dev/null
  for r in 1 2 3; do
    t0=$(date +%s.%N)
    goaccess "$combined" --log-format=COMBINED --no-global-config --no-progress -o "$combined.json" >/dev/null 2>&1
    t1=$(date +%s.%N)
    goaccess_rates+=("$(python3 -c "print(round(1_000_000 / ($t1 - $t0)))")")
  done
  rm -f "$combined" "$combined.json"
fi
{
  echo "Date: $(date -u '+%Y-%m-%d %H:%M UTC'); machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')."
  echo "Load average before the run: $load."
  echo "Input: 1,000,000 generated nginx lines in stacktop's format ($(get log_bytes) bytes, page cache warm),"
  echo "parsed to AccessLogFields by LogTail.pollFields (read, split, parse), one thread; the references:"
  echo "\`wc -l\` on the same file (the I/O floor) and goaccess $(goaccess --version 2>/dev/null | head -1 | sed -e 's/^GoAccess - //' -e 's/\.$//') on 1,000,000 requests in nginx's combined format."
  echo
  echo "| round | stacktop parser lines/s | wc -l lines/s (whole process) | goaccess lines/s (whole process) |"
  echo "|---|---|---|---|"
  for r in 1 2 3; do echo "| $r | $(get parse_lines_per_s_$r) | $(get wc_lines_per_s_$r) | ${goaccess_rates[$((r - 1))]:-not installed} |"; done
} | python3 benchmarks/write-results.py "Access-log parse rate"
rm -f "$out"
sed -n '/^## Access-log parse rate/,/^## /p' benchmarks/RESULTS.md
