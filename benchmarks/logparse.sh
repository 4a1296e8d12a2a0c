#!/usr/bin/env bash
# Parse rate of stacktop's access-log parser on a generated 1,000,000-line nginx log (stacktop's
# format), read through LogTail (the path the dashboard uses), vs `wc -l` on the same file.
# Release build. Writes the "Access-log parse rate" section of benchmarks/RESULTS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp)
load=$(cut -d" " -f1-3 /proc/loadavg)
STACKTOP_BENCH=1 swift test -c release -Xswiftc -enable-testing --filter TrafficBenchmarks/testAccessLogParseRate 2>&1 | tee "$out" | grep -E "^BENCH|error|failed" || true
grep -q "^BENCH parse_lines_per_s_1=" "$out" || { echo "benchmark failed; see $out" >&2; exit 1; }
get() { grep "^BENCH $1=" "$out" | head -1 | cut -d= -f2-; }
{
  echo "Date: $(date -u '+%Y-%m-%d %H:%M UTC'); machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')."
  echo "Load average before the run: $load."
  echo "Input: 1,000,000 generated nginx lines in stacktop's format ($(get log_bytes) bytes, page cache warm),"
  echo "parsed to AccessLogFields by LogTail.pollFields (read, split, parse), one thread. goaccess publishes 87,816 lines/s."
  echo
  echo "| round | stacktop parser lines/s | wc -l lines/s (whole process) |"
  echo "|---|---|---|"
  for r in 1 2 3; do echo "| $r | $(get parse_lines_per_s_$r) | $(get wc_lines_per_s_$r) |"; done
} | python3 benchmarks/write-results.py "Access-log parse rate"
rm -f "$out"
sed -n '/^## Access-log parse rate/,/^## /p' benchmarks/RESULTS.md
