/// Apache's configuration, read for what attaching needs: where it listens, which logs it
/// writes, its mod_wsgi daemon process groups and where `ProxyPass` forwards. Pure.
///
/// The files come from `apache2 -t -D DUMP_INCLUDES` run with the parent's own `-f`/`-d`/`-D`
/// (`files(dumpIncludes:)`), each then read as text; directives are read line by line
/// (continuation lines joined), sections ignored: enough for the directives above.
public struct ApacheConfig: Sendable, Equatable {
    /// One `WSGIDaemonProcess` group and the process title its daemons take.
    public struct DaemonGroup: Sendable, Equatable {
        public var name: String
        /// `display-name` expanded (`%{GROUP}` → `(wsgi:NAME)`); nil when the daemons keep
        /// Apache's command line.
        public var title: String?
        public var processes: Int
    }

    public var serverRoot: String
    public var listens: [Endpoint] = []
    public var accessLogs: [String] = []
    public var errorLogs: [String] = []
    public var daemons: [DaemonGroup] = []
    public var proxies: [Endpoint] = []

    /// The config files `DUMP_INCLUDES` lists, in order.
    public static func files(dumpIncludes text: String) -> [String] {
        text.split(separator: "\n").compactMap { line in
            guard line.contains(") /"), let slash = line.firstIndex(of: "/") else { return nil }
            return String(line[slash...]).trimmingCharacters(in: " ")
        }
    }

    /// Reads `texts` (path and contents, in include order); relative paths resolve against
    /// `ServerRoot` (or `serverRoot` when no file sets it).
    public static func parse(_ texts: [(path: String, text: String)], serverRoot: String) -> ApacheConfig {
        var config = ApacheConfig(serverRoot: serverRoot)
        var directives: [[String]] = []
        for (_, text) in texts {
            var pending = ""
            for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
                var line = String(raw).trimmingCharacters(in: " \t\r")
                if line.hasSuffix("\\") {
                    line.removeLast()
                    pending += line + " "
                    continue
                }
                line = pending + line
                pending = ""
                guard !line.isEmpty, !line.hasPrefix("#"), !line.hasPrefix("<") else { continue }
                directives.append(words(line))
            }
        }
        for d in directives where d.first?.lowercased() == "serverroot" && d.count > 1 { config.serverRoot = d[1] }
        func path(_ p: String) -> String { p.hasPrefix("/") ? p : NginxConfig.prefixJoin(config.serverRoot, p) }
        for d in directives where d.count > 1 {
            switch d[0].lowercased() {
            case "listen":
                if let e = Endpoint.parse(d[1], defaultHost: "0.0.0.0") { config.listens.append(e) }
            case "customlog", "transferlog":
                if !d[1].hasPrefix("|") { config.accessLogs.append(path(d[1])) }
            case "errorlog":
                if !d[1].hasPrefix("|") && !d[1].hasPrefix("syslog") { config.errorLogs.append(path(d[1])) }
            case "wsgidaemonprocess":
                let name = d[1]
                var title: String?
                var processes = 1
                for option in d.dropFirst(2) {
                    if option.hasPrefix("display-name=") {
                        let value = String(option.dropFirst("display-name=".count))
                        title = value == "%{GROUP}" ? "(wsgi:\(name))" : value
                    }
                    if option.hasPrefix("processes="), let n = Int(option.dropFirst("processes=".count)) {
                        processes = n
                    }
                }
                config.daemons.append(DaemonGroup(name: name, title: title, processes: processes))
            case "proxypass":
                if let target = d.dropFirst(2).first ?? (d.count == 2 ? d[1] : nil) {
                    // ProxyPass / unix:/run/app.sock|http://localhost/ or http://127.0.0.1:8000/
                    let socket = target.split(separator: "|").first.map(String.init) ?? target
                    if let e = Endpoint.parse(socket) { config.proxies.append(e) }
                }
            default:
                continue
            }
        }
        return config
    }

    /// Splits a directive line into words; double-quoted words keep their spaces.
    static func words(_ line: String) -> [String] {
        var out: [String] = []
        var current = ""
        var quoted = false
        var any = false
        for c in line {
            if c == "\"" { quoted.toggle(); any = true; continue }
            if (c == " " || c == "\t") && !quoted {
                if any { out.append(current) }
                current = ""
                any = false
                continue
            }
            current.append(c)
            any = true
        }
        if any { out.append(current) }
        return out
    }

    /// The arguments of `apache2 -t -D DUMP_INCLUDES` for a parent started with `args` (its
    /// `-f`, `-d`, `-C`, `-c` and `-D` kept), and the binary to run.
    public static func dumpInvocation(parentArgs args: [String]) -> [String] {
        var binary = args.first ?? "/usr/sbin/apache2"
        if !binary.hasPrefix("/") { binary = "/usr/sbin/" + binary }
        guard args.contains("-f") else { return ["/usr/sbin/apache2ctl", "-t", "-D", "DUMP_INCLUDES"] }
        var out = [binary]
        var i = 1
        while i < args.count {
            let a = args[i]
            if ["-f", "-d", "-C", "-c"].contains(a), i + 1 < args.count {
                out += [a, args[i + 1]]
                i += 2
                continue
            }
            if a == "-D", i + 1 < args.count {
                if args[i + 1] != "FOREGROUND" { out += [a, args[i + 1]] }
                i += 2
                continue
            }
            if a.hasPrefix("-D"), a.count > 2, a != "-DFOREGROUND" { out.append(a) }
            i += 1
        }
        return out + ["-t", "-D", "DUMP_INCLUDES"]
    }
}
