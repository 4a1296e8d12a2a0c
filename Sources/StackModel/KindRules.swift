/// Which component keys apply to which server kinds, why not, and each kind's defaults (read
/// from each kind's `ServerFacts`).
///
/// Defaults: `workers` is 2 for every kind that has workers (nginx worker_processes, gunicorn and
/// uWSGI workers, mod_wsgi daemon processes, flup fork children, Apache MPM children); `threads`
/// is 1 for gunicorn and uWSGI (sync workers), 4 for waitress and mod_wsgi, 25 for Apache
/// (ThreadsPerChild); flup runs in `fork` mode. A threaded flup has no workers unless lighttpd
/// spawns it, where `workers` counts the backends lighttpd starts. Kinds without workers or threads get nil.
enum KindRules {
    /// Every key a component may have.
    static let componentKeys = [
        "server", "workers", "threads", "mode", "listen", "host", "port",
        "protocol", "upstream", "inside", "supervises",
    ]
    /// Sane upper bounds, stated in messages.
    static let maxWorkers = 64
    static let maxThreads = 256

    /// Why `key` does not apply to `kind`, or nil when it does. `inside` is the host a
    /// component runs inside, when it has one.
    static func reason(key: String, kind: ServerKind, inside: String?) -> String? {
        let k = kind.rawValue
        if kind == .supervisord, !["server", "supervises"].contains(key) {
            return "'\(key)' does not apply to supervisord: it runs other components and serves no requests"
        }
        switch key {
        case "workers":
            if case let .notApplicable(why) = kind.facts.workers { return "'workers' does not apply to \(k): \(why)" }
            return nil
        case "threads":
            if case let .notApplicable(why) = kind.facts.threads { return "'threads' does not apply to \(k): \(why)" }
            return nil
        case "mode" where kind != .flup:
            return "'mode' does not apply to \(k): only flup has a fork/threaded mode"
        case "upstream" where kind.role == .app:
            return "\(k) cannot be a front server: it serves a WSGI app itself and cannot forward requests"
        case "supervises" where kind != .supervisord:
            return "'supervises' does not apply to \(k): only supervisord supervises components"
        case "inside" where kind != .flup && kind != .modWSGI:
            return
                "'inside' does not apply to \(k): only mod_wsgi (in apache) and flup (spawned by lighttpd) run inside another server"
        case "listen" where kind.role == .front, "protocol" where kind.role == .front:
            return
                "'\(key)' does not apply to \(k): a front server takes HTTP over TCP from clients; set '\(key)' on the app servers behind it"
        case "listen", "host", "port", "protocol":
            if kind == .modWSGI {
                return "'\(key)' does not apply to mod_wsgi: it runs inside apache and is reached through it"
            }
            if let host = inside, key != "protocol" {
                return "'\(key)' does not apply to \(k) inside '\(host)': its host spawns it on a socket of its own"
            }
            return nil
        default:
            return nil
        }
    }

    /// The default worker count for a kind (nil where the kind has no workers).
    /// A threaded flup is one process, unless lighttpd spawns it (`inside`): then `workers` is
    /// how many copies lighttpd runs (its max-procs).
    static func defaultWorkers(_ kind: ServerKind, mode: ProcessModel?, inside: Bool) -> Int? {
        if kind == .flup, mode == .threaded, !inside { return nil }
        return kind.facts.workers.defaultCount
    }

    /// The default thread count for a kind (nil where the kind has no threads setting).
    static func defaultThreads(_ kind: ServerKind) -> Int? {
        kind.facts.threads.defaultCount
    }

    /// The protocol an app server speaks when the file does not say: flup FastCGI, mod_wsgi
    /// embedded, uWSGI its own protocol behind nginx, everything else HTTP.
    static func defaultProtocol(_ kind: ServerKind, behind front: ServerKind?) -> HopProtocol {
        front.flatMap { kind.facts.defaultProtocolBehind[$0] } ?? kind.facts.defaultProtocol
    }

    /// Whether `host` is a loopback address stacktop may bind: 127.x.x.x, ::1 or localhost.
    static func isLoopback(_ host: String) -> Bool {
        if host == "::1" || host == "localhost" { return true }
        let octets = host.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4, octets[0] == "127" else { return false }
        return octets.allSatisfy { octet in
            !octet.isEmpty && octet.count <= 3 && octet.allSatisfy(\.isNumber) && (Int(octet) ?? 256) <= 255
        }
    }
}
