import StackModel

/// Tells from a process's command line which server it is, and reads the options attaching
/// needs from it (binds, logs, config). Pure.
public enum ServerIdentity {
    /// The server kind of a process, or nil for anything stacktop does not know.
    /// `commandLine` is /proc/PID/cmdline with NULs as spaces; `comm` is /proc/PID/comm.
    public static func kind(commandLine: String, comm: String) -> ServerKind? {
        let words = commandLine.split(separator: " ").map(String.init)
        let program = words.first.map(basename) ?? ""
        let scriptish = words.prefix(3).map(basename)
        func shows(_ mark: ProcessMark) -> Bool {
            switch mark {
            case let .titlePrefix(p): return commandLine.hasPrefix(p)
            case let .program(name): return program == name
            case let .programPrefix(p): return program.hasPrefix(p)
            case let .comm(name): return comm == name
            case let .commPrefix(p): return comm.hasPrefix(p)
            case let .script(name): return scriptish.contains(name)
            case let .argument(text): return commandLine.contains(text)
            case let .pythonWith(texts):
                return program.hasPrefix("python") && texts.contains { commandLine.contains($0) }
            }
        }
        return matchOrder.first { $0.facts.processMarks.contains(where: shows) }
    }

    /// The order kinds are tried in: supervisord (a Python script) before the app servers its
    /// command line may name, the script-launched Python servers last.
    static let matchOrder: [ServerKind] = [
        .nginx, .apache, .lighttpd, .supervisord, .uwsgi, .gunicorn, .waitress, .werkzeug, .modWSGI, .flup,
    ]

    /// The value of the first of `names` in `args` (`--name value`, `--name=value`, `-n value`).
    public static func option(_ names: [String], in args: [String]) -> String? {
        var i = 0
        while i < args.count {
            let a = args[i]
            for n in names {
                if a == n, i + 1 < args.count { return args[i + 1] }
                if n.hasPrefix("--"), a.hasPrefix(n + "=") { return String(a.dropFirst(n.count + 1)) }
            }
            i += 1
        }
        return nil
    }

    /// Every value of `names` in `args` (options that may repeat, like gunicorn's `--bind`).
    public static func options(_ names: [String], in args: [String]) -> [String] {
        var out: [String] = []
        var i = 0
        while i < args.count {
            let a = args[i]
            for n in names {
                if a == n, i + 1 < args.count { out.append(args[i + 1]) }
                if n.hasPrefix("--"), a.hasPrefix(n + "=") { out.append(String(a.dropFirst(n.count + 1))) }
            }
            i += 1
        }
        return out
    }

    /// The logs an app server's command line names: (access, error), paths as given.
    public static func appLogs(kind: ServerKind, args: [String]) -> (access: [String], error: [String]) {
        switch kind {
        case .gunicorn:
            let access = options(["--access-logfile"], in: args).filter { $0 != "-" }
            let error = options(["--error-logfile", "--log-file"], in: args).filter { $0 != "-" }
            return (access, error)
        case .uwsgi:
            return ([], options(["--logto", "--daemonize", "--logto2"], in: args))
        default:
            return ([], [])
        }
    }

    /// nginx's `-p` and `-c` from its master's title (`nginx: master process /usr/sbin/nginx -p D/ -c nginx.conf`).
    public static func nginxInvocation(commandLine: String) -> (
        binary: String, prefix: String?, config: String?, globals: String?
    ) {
        var text = Substring(commandLine)
        if let r = text.range(of: "master process ") { text = text[r.upperBound...] }
        let words = text.split(separator: " ").map(String.init)
        let binary = words.first.flatMap { $0.hasPrefix("/") ? $0 : nil } ?? "/usr/sbin/nginx"
        var globals: String?
        if let g = words.firstIndex(of: "-g"), g + 1 < words.count {
            globals = words[(g + 1)...].joined(separator: " ")
        }
        return (binary, option(["-p"], in: words), option(["-c"], in: words), globals)
    }

    static func basename(_ path: String) -> String {
        String(path.split(separator: "/").last ?? Substring(path))
    }
}
