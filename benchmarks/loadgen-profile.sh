#!/usr/bin/env bash
# Profiles stacktop's closed-loop load and `wrk -t2 -c32` against one private nginx (2 workers,
# static file, access log off, 127.0.0.1:19253, killed by pid) with `perf record -g`, and prints
# each client's own threads' top symbols with the self time grouped (kernel, Swift refcounting,
# exclusivity checks, ...). With STACKTOP_PROFILE=callgrind it runs ours under callgrind instead
# (instructions per response). Uses the release test build that loadgen.sh makes.
# Env: STACKTOP_BENCH_SECONDS (5), STACKTOP_BENCH_THREADS (2), STACKTOP_PROFILE_DIR (a temp dir),
# STACKTOP_PROFILE_BIN (the test binary to profile).
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${STACKTOP_BENCH_SECONDS:-5}
bin=${STACKTOP_PROFILE_BIN:-.build-bench/release/stacktopPackageTests.xctest}
[ -x "$bin" ] || swift build -c release --scratch-path .build-bench -Xswiftc -enable-testing --build-tests
dir=${STACKTOP_PROFILE_DIR:-$(mktemp -d)}
mkdir -p "$dir"
url=http://127.0.0.1:19253

# Flat profile of the given threads (comma-separated comms), relative to their own samples.
flat() { perf report -i "$1" --comms "$2" --no-children --percentage relative -g none --sort sym --stdio 2>/dev/null | grep '%' || true; }
# Self time grouped: kernel, Swift refcounting, exclusivity checks, runtime metadata/casts, NIOHTTP1.
groups() {
  awk '{p=$1; sub("%","",p); if ($2=="[k]") k+=p; else u+=p
        if ($0 ~ /swift_(retain|release)|swift_bridgeObject|RefCounts|swift_isUniquely/) rc+=p
        if ($0 ~ /(begin|end)Access|AccessSet|tls_get_addr|SwiftTLSContext/) acc+=p
        if ($0 ~ /Metadata|tryCast|getCache|WitnessTable|dynamicCast|instantiateConcrete/) meta+=p
        if ($0 ~ /llhttp|NIOHTTP1/) http+=p
        if ($0 ~ /ResponseHead|HTTPResponseParser/) ours+=p}
       END {printf "kernel %.1f%%, user %.1f%% (of which refcounting %.1f%%, exclusivity checks %.1f%%, metadata/casts %.1f%%, NIOHTTP1+llhttp %.1f%%, stacktop parser %.1f%%)\n", k, u, rc, acc, meta, http, ours}'
}

ng="$dir/nginx"
mkdir -p "$ng/tmp"
chmod 755 "$dir" "$ng"
for _ in $(seq 64); do echo "stacktop static file"; done > "$ng/index.html"
cat > "$ng/nginx.conf" <<CONF
worker_processes 2; pid nginx.pid; error_log error.log notice;
events { worker_connections 1024; }
http {
  client_body_temp_path tmp/body; proxy_temp_path tmp/proxy; fastcgi_temp_path tmp/fastcgi;
  uwsgi_temp_path tmp/uwsgi; scgi_temp_path tmp/scgi;
  access_log off; keepalive_requests 100000;
  server { listen 127.0.0.1:19253; root $ng; location / { index index.html; } }
}
CONF
/usr/sbin/nginx -p "$ng/" -c nginx.conf -g "daemon off;" &
nginx_pid=$!
trap 'kill $nginx_pid 2>/dev/null || true; wait $nginx_pid 2>/dev/null || true' EXIT
for _ in $(seq 100); do (echo > /dev/tcp/127.0.0.1/19253) 2>/dev/null && break; sleep 0.05; done

if [ "${STACKTOP_PROFILE:-perf}" = callgrind ]; then
  # valgrind cannot read the Swift compiler's DWARF 5: profile a copy without debug info. Two runs
  # (1 s and 4 s): the difference over the difference in responses is the cost of one response
  # without the setup (process start, 32 histograms, connects).
  strip -g -o "$dir/bin" "$bin"
  for s in 1 4; do
    STACKTOP_BENCH=1 STACKTOP_BENCH_SECONDS=$s STACKTOP_BENCH_URL=$url valgrind --tool=callgrind \
      --callgrind-out-file="$dir/callgrind.$s.out" "$dir/bin" TrafficTests.TrafficBenchmarks/testClosedLoopAlone > "$dir/callgrind.$s.log" 2>&1 || true
  done
  r1=$(grep -o "alone_responses=[0-9]*" "$dir/callgrind.1.log" | cut -d= -f2)
  r4=$(grep -o "alone_responses=[0-9]*" "$dir/callgrind.4.log" | cut -d= -f2)
  i1=$(grep -o "Collected : [0-9]*" "$dir/callgrind.1.log" | awk '{print $3}')
  i4=$(grep -o "Collected : [0-9]*" "$dir/callgrind.4.log" | awk '{print $3}')
  echo "callgrind: $r1 responses in $i1 instructions (1 s), $r4 in $i4 (4 s): $(( (i4 - i1) / (r4 - r1) )) instructions per response"
  for s in 1 4; do
    valgrind --tool=callgrind --callgrind-out-file="$dir/wrk.$s.out" wrk -t2 -c32 -d${s}s $url/ > "$dir/wrk.$s.log" 2>&1 || true
  done
  w1=$(grep -o "[0-9]* requests in" "$dir/wrk.1.log" | cut -d' ' -f1); w4=$(grep -o "[0-9]* requests in" "$dir/wrk.4.log" | cut -d' ' -f1)
  j1=$(grep -o "Collected : [0-9]*" "$dir/wrk.1.log" | awk '{print $3}'); j4=$(grep -o "Collected : [0-9]*" "$dir/wrk.4.log" | awk '{print $3}')
  echo "callgrind wrk: $w1 responses in $j1 instructions (1 s), $w4 in $j4 (4 s): $(( (j4 - j1) / (w4 - w1) )) instructions per response"
  echo "-- functions of the 4 s run (self instructions)"
  callgrind_annotate --inclusive=no "$dir/callgrind.4.out" 2>/dev/null | grep -E "^ *[0-9,]+ " | head -30 | sed 's/\[[^]]*\]$//' | cut -c1-170 || true
  exit 0
fi

echo "== stacktop closed loop ($secs s, ${STACKTOP_BENCH_THREADS:-2} threads) =="
STACKTOP_BENCH=1 STACKTOP_BENCH_SECONDS=$secs STACKTOP_BENCH_URL=$url perf record -F 1999 -g -o "$dir/ours.data" -- \
  "$bin" TrafficTests.TrafficBenchmarks/testClosedLoopAlone 2>&1 | grep -E "^BENCH" || true
loops=$(perf report -i "$dir/ours.data" --no-children -g none --sort comm --stdio 2>/dev/null | grep -o 'stacktop-load[^ ]*' | sort -u | paste -sd, -)
echo "-- the client's load threads ($loops): $(flat "$dir/ours.data" "$loops" | groups)"
flat "$dir/ours.data" "$loops" | head -30 | cut -c1-160

echo "== wrk -t2 -c32 ($secs s) =="
perf record -F 1999 -g -o "$dir/wrk.data" -- wrk -t2 -c32 -d"${secs}s" $url/ 2>/dev/null | grep -E "Requests/sec|Latency" || true
echo "-- wrk's threads: $(flat "$dir/wrk.data" wrk | groups)"
flat "$dir/wrk.data" wrk | head -20 | cut -c1-160
echo "profiles in $dir"
