/// The access log formats stacktop sets, exactly as written into each server's config.
///
/// Every line is `key=value` pairs separated by single spaces, in the order shown; values that
/// may hold spaces are double-quoted (the server escapes quotes inside them). `-` means "none".
/// Times: `msec` is seconds since the epoch with millisecond fraction (`1718000000.123`),
/// `epoch_ms` milliseconds since the epoch, `request_time` seconds with ms fraction,
/// `request_time_us` microseconds. `worker_pid` is the pid of the app process that served the
/// request (from the demo app's `X-Worker-Pid` header where the server is a proxy).
public enum AccessLogFormat {
    /// nginx `log_format stacktop`. Upstream fields list one value per upstream tried
    /// (`"0.004, 0.002"`), `upstream_addr` is `unix:/path` or `127.0.0.1:PORT`.
    public static let nginx =
        #"msec=$msec status=$status request_time=$request_time nginx_pid=$pid "#
        + #"upstream_time="$upstream_response_time" upstream_status="$upstream_status" "#
        + #"upstream_addr="$upstream_addr" worker_pid="$upstream_http_x_worker_pid" request="$request""#

    /// Apache `LogFormat … stacktop`. `%P` is the MPM child that handled the connection.
    public static let apache =
        #"msec=%{sec}t.%{msec_frac}t status=%>s request_time_us=%D apache_pid=%P "#
        + #"worker_pid="%{X-Worker-Pid}o" request="%r""#

    /// lighttpd `accesslog.format` (a single process: no server pid).
    public static let lighttpd =
        #"msec=%{sec}t.%{msec_frac}t status=%>s request_time_us=%D "#
        + #"worker_pid="%{X-Worker-Pid}o" request="%r""#

    /// gunicorn `access_log_format`. gunicorn writes `%(t)s` as `[10/Oct/2000:13:55:36 +0000]`
    /// (second resolution) and `%(p)s` as `<PID>` of the worker.
    public static let gunicorn =
        #"time=%(t)s status=%(s)s request_time_us=%(D)s worker_pid=%(p)s request="%(r)s""#

    /// uWSGI `log-format` (request log written by `req-logger`); `%(pid)` is the worker.
    public static let uwsgi =
        #"epoch_ms=%(tmsecs) status=%(status) request_time_us=%(micros) worker_pid=%(pid) "#
        + #"request="%(method) %(uri) %(proto)""#

    /// The private path of nginx's `stub_status`, answered to loopback clients only.
    public static let nginxStatusPath = "/__stacktop/nginx_status"
}
