#!/usr/bin/env bash
# Runs nginx, Apache, lighttpd and gunicorn with stacktop's access log formats (copied from
# StackRecipes/AccessLogFormat.swift) on 127.0.0.1:19210-19214, sends a few requests (200, 404,
# 500 from the app, 502/503 from a dead upstream) and prints the access log lines each wrote.
# The lines are the fixtures of Tests/TrafficTests/AccessLogParserTests.swift.
# Usage: benchmarks/capture-log-lines.sh [VENV]   (default: the .venv of the checkout it is in)
set -euo pipefail
HERE=$(cd "$(dirname "$0")/.." && pwd)
VENV=${1:-$HERE/.venv}
APP=$HERE/topologies/apps/demo
D=$(mktemp -d /tmp/stacktop-capture-XXXXXX); chmod 755 "$D"; mkdir -p "$D/tmp" "$D/logs" "$D/run"
echo "hello static" > "$D/index.html"
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill -TERM -- "-$p" 2>/dev/null || true; done; sleep 1
            for p in "${PIDS[@]}"; do kill -KILL -- "-$p" 2>/dev/null || true; done; }
trap cleanup EXIT

# gunicorn on TCP 19213 (for Apache and lighttpd) and on a unix socket (for nginx).
cat > "$D/gunicorn.conf.py" <<PY
workers = 2
accesslog = '$D/gunicorn-access.log'
access_log_format = 'time=%(t)s status=%(s)s request_time_us=%(D)s worker_pid=%(p)s request="%(r)s"'
control_socket = '$D/gunicorn.ctl'
pidfile = '$D/gunicorn.pid'
PY
setsid "$VENV/bin/gunicorn" -c "$D/gunicorn.conf.py" --chdir "$APP" \
  --bind 127.0.0.1:19213 --bind "unix:$D/gunicorn.sock" app:app 2>"$D/gunicorn.err" & PIDS+=($!)

cat > "$D/nginx.conf" <<NG
worker_processes 2; pid nginx.pid; error_log nginx-error.log info;
events { worker_connections 1024; }
http {
  client_body_temp_path tmp/body; proxy_temp_path tmp/proxy; fastcgi_temp_path tmp/fastcgi;
  uwsgi_temp_path tmp/uwsgi; scgi_temp_path tmp/scgi;
  log_format stacktop 'msec=\$msec status=\$status request_time=\$request_time nginx_pid=\$pid upstream_time="\$upstream_response_time" upstream_status="\$upstream_status" upstream_addr="\$upstream_addr" worker_pid="\$upstream_http_x_worker_pid" request="\$request"';
  access_log nginx-access.log stacktop;
  upstream app { server unix:$D/gunicorn.sock; }
  upstream dead { server unix:$D/nothing.sock; }
  upstream pool { server unix:$D/nothing.sock; server unix:$D/gunicorn.sock; }
  server { listen 127.0.0.1:19210; root $D;
    location = /index.html { }
    location /dead { proxy_pass http://dead; }
    location /pool { proxy_pass http://pool/; }
    location /timeout { proxy_read_timeout 1s; proxy_pass http://app/slow; }
    location / { proxy_pass http://app; } } }
NG
setsid /usr/sbin/nginx -p "$D/" -c nginx.conf -g 'daemon off;' & PIDS+=($!)

cat > "$D/httpd.conf" <<AP
ServerRoot "$D"
ServerName 127.0.0.1
Listen 127.0.0.1:19211
PidFile run/apache2.pid
DefaultRuntimeDir run
ErrorLog logs/error.log
LogFormat "msec=%{sec}t.%{msec_frac}t status=%>s request_time_us=%D apache_pid=%P worker_pid=\"%{X-Worker-Pid}o\" request=\"%r\"" stacktop
CustomLog logs/apache-access.log stacktop
LoadModule mpm_event_module /usr/lib/apache2/modules/mod_mpm_event.so
LoadModule authz_core_module /usr/lib/apache2/modules/mod_authz_core.so
LoadModule proxy_module /usr/lib/apache2/modules/mod_proxy.so
LoadModule proxy_http_module /usr/lib/apache2/modules/mod_proxy_http.so
User www-data
Group www-data
StartServers 1
ServerLimit 2
ThreadsPerChild 25
MaxRequestWorkers 50
MinSpareThreads 25
DocumentRoot "$D"
ProxyPass /dead http://127.0.0.1:19299/
ProxyPass /app/ http://127.0.0.1:19213/
<Directory "$D">
    Require all granted
</Directory>
AP
setsid /usr/sbin/apache2 -f "$D/httpd.conf" -DFOREGROUND & PIDS+=($!)

cat > "$D/lighttpd.conf" <<LT
server.modules = ( "mod_access", "mod_accesslog", "mod_proxy" )
server.bind = "127.0.0.1"
server.port = 19212
server.document-root = "$D"
server.pid-file = "$D/lighttpd.pid"
server.errorlog = "$D/lighttpd-error.log"
server.upload-dirs = ( "$D" )
accesslog.filename = "$D/lighttpd-access.log"
accesslog.format = "msec=%{sec}t.%{msec_frac}t status=%>s request_time_us=%D worker_pid=\"%{X-Worker-Pid}o\" request=\"%r\""
\$HTTP["url"] =~ "^/app/" { proxy.server = ( "" => (( "host" => "127.0.0.1", "port" => 19213 )) )
  proxy.header = ( "map-urlpath" => ( "/app/" => "/" ) ) }
\$HTTP["url"] =~ "^/dead" { proxy.server = ( "" => (( "host" => "127.0.0.1", "port" => 19299 )) ) }
LT
setsid /usr/sbin/lighttpd -D -f "$D/lighttpd.conf" & PIDS+=($!)

# uWSGI (Debian's, python3 + http plugins) on 19214 with its request logger.
setsid /usr/bin/uwsgi-core --plugin python3,logfile,http --virtualenv "$VENV" --http 127.0.0.1:19214 \
  --socket "$D/uwsgi.sock" --master --processes 2 --chdir "$APP" --module app:app --need-app \
  --die-on-term --logto "$D/uwsgi.log" --req-logger "file:$D/uwsgi-access.log" \
  --log-format 'epoch_ms=%(tmsecs) status=%(status) request_time_us=%(micros) worker_pid=%(pid) request="%(method) %(uri) %(proto)"' & PIDS+=($!)

for i in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:19213/health" && break; sleep 0.1; done
sleep 0.3
get() { curl -s -o /dev/null -w '' "$1" || true; }
for u in / /error /slow?ms=30 /nope /index.html /dead /pool/ /timeout?ms=1500 '/quote?q="x"'; do get "http://127.0.0.1:19210$u"; done
for u in /app/ /app/error /app/slow?ms=30 /index.html /nope /dead; do get "http://127.0.0.1:19211$u"; done
for u in /app/ /app/error /app/slow?ms=30 /index.html /nope /dead; do get "http://127.0.0.1:19212$u"; done
for i in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:19214/health" && break; sleep 0.1; done
for u in / /error /nope; do get "http://127.0.0.1:19214$u"; done
curl -s -o /dev/null -X POST "http://127.0.0.1:19213/health" || true
sleep 0.5
cleanup; trap - EXIT   # lighttpd buffers its access log until it exits
for f in nginx-access.log logs/apache-access.log lighttpd-access.log gunicorn-access.log uwsgi-access.log; do
  echo "== $f"; cat "$D/$f"; done
rm -rf "$D"
