#!/usr/bin/env bash
# Profiles stacktop's closed-loop load and wrk against one private nginx with `perf record -g`
# (or callgrind, with STACKTOP_PROFILE=callgrind) and prints each one's top symbols.
# Needs the release test build that loadgen.sh makes. The test fixture's nginx (port 19252)
# serves ours; a private nginx on 127.0.0.1:19253 (same config, killed by pid) serves wrk.
# Env: STACKTOP_BENCH_SECONDS (5), STACKTOP_BENCH_THREADS (2), STACKTOP_PROFILE_DIR (a temp dir).
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${STACKTOP_BENCH_SECONDS:-5}
bin=.build/release/stacktopPackageTests.xctest
[ -x "$bin" ] || swift build -c release -Xswiftc -enable-testing --build-tests
dir=${STACKTOP_PROFILE_DIR:-$(mktemp -d)}
mkdir -p "$dir"
# Flat profile of the given threads (comma-separated comms), relative to their own samples.
flat() { perf report -i "$1" --comms "$2" --no-children --percentage relative -g none --sort sym --stdio 2>/dev/null | grep '%' || true; }
# Self time grouped: kernel, Swift refcounting, exclusivity checks, runtime metadata/casts, NIOHTTP1.
groups() {
  awk '{p=$1; sub("%","",p); if ($2=="[k]") k+=p; else u+=p
        if ($0 ~ /swift_(retain|release)|swift_bridgeObject|RefCounts|swift_isUniquely/) rc+=p
        if ($0 ~ /(begin|end)Access|AccessSet|tls_get_addr|SwiftTLSContext/) acc+=p
        if ($0 ~ /Metadata|tryCast|getCache|WitnessTable|dynamicCast|instantiateConcrete/) meta+=p
        if ($0 ~ /llhttp|NIOHTTP1/) http+=p
        if ($0 ~ /malloc|cfree|free@|_int_free|_int_malloc/) mal+=p}
       END {printf "kernel %.1f%%, user %.1f%% (of which refcounting %.1f%%, exclusivity checks %.1f%%, metadata/casts %.1f%%, NIOHTTP1+llhttp %.1f%%, malloc/free %.1f%%)\n", k, u, rc, acc, meta, http, mal}'
}

if [ "${STACKTOP_PROFILE:-perf}" = callgrind ]; then
  STACKTOP_BENCH=1 STACKTOP_BENCH_SECONDS=$secs valgrind --tool=callgrind --callgrind-out-file="$dir/callgrind.out" \
    "$bin" TrafficTests.TrafficBenchmarks/testClosedLoopAlone 2>&1 | grep -E "^BENCH|Collected" || true
  callgrind_annotate --inclusive=no "$dir/callgrind.out" 2>/dev/null | head -60 || true
  exit 0
fi

echo "== stacktop closed loop ($secs s, ${STACKTOP_BENCH_THREADS:-2} loops) =="
STACKTOP_BENCH=1 STACKTOP_BENCH_SECONDS=$secs perf record -F 1999 -g -o "$dir/ours.data" -- \
  "$bin" TrafficTests.TrafficBenchmarks/testClosedLoopAlone 2>&1 | grep -E "^BENCH" || true
echo "-- share of samples by thread (client event loops are NIO-ELT-*)"
perf report -i "$dir/ours.data" --no-children -g none --sort comm --stdio 2>/dev/null | grep '%' | head -6 || true
loops=$(perf report -i "$dir/ours.data" --no-children -g none --sort comm --stdio 2>/dev/null | grep -o 'NIO-ELT-[^ ]*' | sort -u | paste -sd, -)
echo "-- the client's event loop threads: $(flat "$dir/ours.data" "$loops" | groups)"
flat "$dir/ours.data" "$loops" | head -30 | cut -c1-160

echo "== wrk -t2 -c32 ($secs s) =="
ng="$dir/nginx"
mkdir -p "$ng/tmp"
chmod 755 "$dir" "$ng"
for i in $(seq 64); do echo "stacktop static file"; done > "$ng/index.html"
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
perf record -F 1999 -g -o "$dir/wrk.data" -- wrk -t2 -c32 -d"${secs}s" http://127.0.0.1:19253/ | grep -E "Requests/sec|Latency"
echo "-- wrk's threads: $(flat "$dir/wrk.data" wrk | groups)"
flat "$dir/wrk.data" wrk | head -20 | cut -c1-160
echo "profiles in $dir"
