#!/usr/bin/env bash
# Max throughput of stacktop's closed-loop load (32 connections, 2 epoll threads) vs
# `wrk -t2 -c32 -d5s`, alternating, on one private nginx serving a static file on 127.0.0.1:19250
# (2 workers, access log off). Release build. Writes the "Load generator vs wrk" section of
# benchmarks/RESULTS.md; then the open-loop generator at the rate cap (10,000 rps, 30,000
# requests, port 19251) for the "Open loop at the rate cap" section. Env: STACKTOP_BENCH_SECONDS (5),
# STACKTOP_BENCH_ROUNDS (5), STACKTOP_BENCH_THREADS (2 epoll threads). The profile behind the figures:
# benchmarks/loadgen-profile.sh (perf) and STACKTOP_PROFILE=callgrind benchmarks/loadgen-profile.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp)
rounds=${STACKTOP_BENCH_ROUNDS:-5}
load=$(cut -d" " -f1-3 /proc/loadavg)
STACKTOP_BENCH=1 STACKTOP_BENCH_ROUNDS=$rounds swift test -c release --scratch-path .build-bench -Xswiftc -enable-testing --filter 'TrafficBenchmarks/test(LoadGeneratorVersusWrk|OpenLoopAtRateCap)' 2>&1 | tee "$out" | grep -E "^BENCH|error|failed" || true
grep -q "^BENCH openloop_rps=" "$out" || { echo "benchmark failed; see $out" >&2; exit 1; }
grep -q "^BENCH ratio_1=" "$out" || { echo "benchmark failed; see $out" >&2; exit 1; }
get() { grep "^BENCH $1=" "$out" | head -1 | cut -d= -f2-; }
# The median over the rounds of BENCH KEY_N.
median() { grep "^BENCH $1_[0-9]*=" "$out" | cut -d= -f2 | sort -g | awk '{v[NR]=$1} END {print (NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2)}'; }
{
  echo "Date: $(date -u '+%Y-%m-%d %H:%M UTC'); machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); $(nginx -v 2>&1); $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2)."
  echo "Load average before the run: $load (other work on the machine competes for the 2 CPUs)."
  echo "Target: nginx, 2 workers, static 1.3 KB file, access log off, keepalive_requests 100000; both clients"
  echo "on the same 2 CPUs as nginx; ${STACKTOP_BENCH_SECONDS:-5} s per run, runs alternate (odd rounds wrk first, even rounds stacktop first)."
  echo
  echo "CPU µs/req: the client's own user+system CPU time per response (wrk: RUSAGE_CHILDREN; stacktop: RUSAGE_SELF)."
  echo
  echo "| round | wrk -t2 -c32 req/s | stacktop closed loop (32 conns, ${STACKTOP_BENCH_THREADS:-2} threads) req/s | ratio | wrk CPU µs/req | stacktop CPU µs/req | wrk latency | stacktop mean / p99 ms | stacktop errors |"
  echo "|---|---|---|---|---|---|---|---|---|"
  for r in $(seq "$rounds"); do
    echo "| $r | $(get wrk_rps_$r) | $(get stacktop_rps_$r) | $(get ratio_$r)× | $(get wrk_cpu_us_$r) | $(get stacktop_cpu_us_$r) | $(get wrk_latency_$r) | $(get stacktop_mean_ms_$r) / $(get stacktop_p99_ms_$r) | $(get stacktop_errors_$r) |"
  done
  echo "| median | $(median wrk_rps) | $(median stacktop_rps) | $(median ratio)× | $(median wrk_cpu_us) | $(median stacktop_cpu_us) | | | |"
} | python3 benchmarks/write-results.py "Load generator vs wrk"
{
  echo "Date: $(date -u '+%Y-%m-%d %H:%M UTC'); machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); load average before: $load."
  echo "LoadGenerator (open loop, 32 connections max) at 10,000 requests/s for $(get openloop_requests) requests against nginx"
  echo "(2 workers, static file, access log off); latency from each request's scheduled time."
  echo
  echo "| requests | seconds | responses/s | p50 ms | p99 ms | max ms | errors |"
  echo "|---|---|---|---|---|---|---|"
  echo "| $(get openloop_requests) | $(get openloop_seconds) | $(get openloop_rps) | $(get openloop_p50_ms) | $(get openloop_p99_ms) | $(get openloop_max_ms) | $(get openloop_errors) |"
} | python3 benchmarks/write-results.py "Open loop at the rate cap"
rm -f "$out"
sed -n '/^## Load generator vs wrk/,$p' benchmarks/RESULTS.md
