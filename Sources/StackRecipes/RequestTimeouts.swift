import StackModel

/// The request timeout each hop of a launched stack enforces, declared once: what stacktop's
/// configs set (or leave at the server's default), and where there is none. Measured facts
/// behind them are in the project's notes (reload-scale.md: gunicorn `--timeout`, uWSGI
/// `--harakiri`, nginx `proxy_read_timeout`).
public enum RequestTimeouts {
    /// gunicorn's `timeout` as stacktop's gunicorn.conf.py writes it (gunicorn's own default):
    /// the master kills (SIGABRT) a worker silent this long; gunicorn 27 answers that request 500.
    public static let gunicornSeconds = 30
    /// nginx's `proxy_read_timeout` / `uwsgi_read_timeout` / `fastcgi_read_timeout`: stacktop's
    /// nginx.conf leaves nginx's default.
    public static let nginxReadSeconds = 60

    /// One hop's timeout, or why a request longer than anything cannot be cut there.
    public enum Limit: Sendable, Equatable {
        /// Requests are cut after `seconds`; `how` says by what and what the client gets.
        case seconds(Int, how: String)
        /// No timeout to hit: why.
        case none(String)
    }

    /// The app server's own timeout for component `c`.
    public static func appServer(_ c: Component) -> Limit {
        switch c.kind {
        case .gunicorn:
            return .seconds(
                gunicornSeconds,
                how:
                    "gunicorn's timeout (\(gunicornSeconds) s, its default, written in stacktop's gunicorn.conf.py): the master kills the silent worker (WORKER TIMEOUT) and starts another"
            )
        case .uwsgi:
            return .none("stacktop's uWSGI config sets no harakiri, so a slow request runs to its end")
        case .waitress:
            return .none("waitress has no request timeout (channel_timeout only closes idle connections)")
        case .werkzeug:
            return .none("the Werkzeug dev server has no request timeout")
        case .flup:
            return .none("flup has no request timeout")
        case .modWSGI:
            return .none(
                "stacktop's WSGIDaemonProcess sets no request-timeout, and Apache's own Timeout (60 s) is no shorter than the longest request the demo app makes (60 s)"
            )
        case .nginx, .apache, .lighttpd, .supervisord:
            return .none("\(c.kind.rawValue) is no app server")
        }
    }
}
