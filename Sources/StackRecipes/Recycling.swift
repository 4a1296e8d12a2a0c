import StackModel

/// How the recycle drill turns on worker recycling in one app server: which config file it
/// rewrites, the lines it changes, and the server's own log line for one recycle.
///
/// The change takes effect at the next reload (gunicorn re-reads its config on SIGHUP, uWSGI's
/// FIFO `r` re-execs it with its ini, Apache's graceful restart re-reads httpd.conf). Measured
/// behaviour behind the choices is in the project's notes (reload-scale.md): uWSGI ignores
/// max-requests until a worker is `min-worker-lifetime` old (60 s by default), so the drill
/// sets it to 1 s.
public struct RecycleSetup: Sendable, Equatable {
    public var kind: ServerKind
    /// The app server recycled.
    public var component: String
    /// The config file rewritten, relative to the run dir.
    public var configFile: String
    /// The log the server says each recycle in, relative to the run dir.
    public var logFile: String
    /// The words of that log line.
    public var marker: String
    /// Whether the line may come several times per recycle (mod_wsgi: once per thread that
    /// saw the limit), so recycles are the distinct `pid=N` among the lines.
    public var distinctPids = false
    public var maxRequests: Int
    /// gunicorn's `max_requests_jitter` (the others have none).
    public var jitter: Int?
    /// A few words: "max_requests = 200, max_requests_jitter = 50 in gunicorn.conf.py".
    public var how: String

    /// The config text with recycling on; nil when the text is not the one stacktop wrote (the
    /// line to change is missing).
    public func edit(_ text: String) -> String? {
        let note = "drill 'recycle' (stacktop): recycle workers after \(maxRequests) requests"
        switch kind {
        case .gunicorn:
            return text + "\n# \(note)\nmax_requests = \(maxRequests)\nmax_requests_jitter = \(jitter ?? 0)\n"
        case .uwsgi:
            guard text.contains("[uwsgi]") else { return nil }
            return text + "\n; \(note)\nmax-requests = \(maxRequests)\nmin-worker-lifetime = 1\n"
        case .modWSGI:
            let directive = "WSGIDaemonProcess \(component) "
            guard text.contains(directive), text.contains("LogLevel notice") else { return nil }
            // mod_wsgi says "Maximum requests reached" at level info only.
            return text.replacingFirst(directive, with: directive + "maximum-requests=\(maxRequests) ")
                .replacingFirst("LogLevel notice", with: "LogLevel notice wsgi:info")
        case .waitress, .werkzeug, .flup, .nginx, .apache, .lighttpd, .supervisord:
            return nil
        }
    }
}

/// Which app servers can recycle their workers, and how the drill turns it on.
public enum Recycling {
    /// Low enough that a few seconds at 100 requests/s recycle every worker more than once.
    public static let maxRequests = 200
    public static let jitter = 50

    /// The setup for app server `name` of `topology`, or why it cannot recycle.
    public static func setup(component name: String, topology: Topology) -> Result<RecycleSetup, RecycleRefusal> {
        guard let c = topology.component(name) else {
            return .failure(RecycleRefusal("there is no component '\(name)'"))
        }
        switch c.kind {
        case .gunicorn:
            return .success(
                RecycleSetup(
                    kind: c.kind, component: name, configFile: RunDirLayout.config(name, "gunicorn.conf.py"),
                    logFile: RunDirLayout.log(name, "out"), marker: "Autorestarting worker after current request",
                    maxRequests: maxRequests, jitter: jitter,
                    how: "max_requests = \(maxRequests), max_requests_jitter = \(jitter) in \(name)'s gunicorn.conf.py")
            )
        case .uwsgi:
            return .success(
                RecycleSetup(
                    kind: c.kind, component: name, configFile: RunDirLayout.config(name, "uwsgi.ini"),
                    logFile: RunDirLayout.log(name, "log"), marker: "The work of process",
                    maxRequests: maxRequests, jitter: nil,
                    how:
                        "max-requests = \(maxRequests), min-worker-lifetime = 1 in \(name)'s uwsgi.ini (uWSGI 2.0 has no jitter)"
                ))
        case .modWSGI:
            guard let host = c.inside else { return .failure(RecycleRefusal("mod_wsgi runs inside an Apache")) }
            return .success(
                RecycleSetup(
                    kind: c.kind, component: name, configFile: RunDirLayout.config(host, "httpd.conf"),
                    logFile: RunDirLayout.log(host, "error.log"), marker: "Maximum requests reached",
                    distinctPids: true,
                    maxRequests: maxRequests, jitter: nil,
                    how:
                        "maximum-requests=\(maxRequests) on WSGIDaemonProcess \(name) in \(host)'s httpd.conf (no jitter)"
                ))
        case .waitress:
            return .failure(RecycleRefusal("waitress has no max-requests: its one process never recycles"))
        case .werkzeug:
            return .failure(
                RecycleRefusal("the Werkzeug dev server has no max-requests: its one process never recycles"))
        case .flup:
            return .failure(RecycleRefusal("flup has no max-requests: its processes never recycle"))
        case .nginx, .apache, .lighttpd, .supervisord:
            return .failure(RecycleRefusal("'\(name)' is \(c.kind.rawValue), not an app server"))
        }
    }
}

/// Why an app server cannot recycle its workers.
public struct RecycleRefusal: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

extension String {
    /// The text with the first occurrence of `target` replaced.
    func replacingFirst(_ target: String, with replacement: String) -> String {
        guard let r = firstRange(of: target) else { return self }
        var copy = self
        copy.replaceSubrange(r, with: replacement)
        return copy
    }
}
