/// nginx's configuration as `nginx -T` prints it, read for what attaching needs: where a server
/// listens, where it forwards requests, and which logs it writes.
///
/// Pure. `nginx -T` prints every file of the configuration after a `# configuration file PATH:`
/// line, with `include` directives left in place; `parse(dump:prefix:)` expands them (globs
/// included) from the printed files, so the result is the configuration nginx runs with.
public struct NginxConfig: Sendable, Equatable {
    /// One directive: its name, arguments, and block (nil for a simple directive).
    public struct Directive: Sendable, Equatable {
        public var name: String
        public var args: [String]
        public var block: [Directive]?
        public init(name: String, args: [String], block: [Directive]? = nil) {
            self.name = name
            self.args = args
            self.block = block
        }
    }

    /// What one `server { }` block says.
    public struct Server: Sendable, Equatable {
        public var listens: [Endpoint]
        /// Where its locations forward to, resolved through `upstream` blocks; in order.
        public var forwards: [Forward]
        public var accessLogs: [String]
        public var errorLogs: [String]
    }

    /// One forwarding target: the protocol (`proxy_pass` http, `uwsgi_pass`, `fastcgi_pass`) and where.
    public struct Forward: Sendable, Equatable, Hashable {
        public var proto: String
        public var endpoint: Endpoint
    }

    public var directives: [Directive]
    /// Relative paths resolve against it (nginx's `-p`, ending in `/`).
    public var prefix: String

    /// The main file (the first `nginx -T` printed).
    public var mainFile: String

    public init(directives: [Directive], prefix: String, mainFile: String = "") {
        self.directives = directives
        self.prefix = prefix
        self.mainFile = mainFile
    }

    /// Parses `nginx -T` output whose main file is `mainPath`. Errors name the file and line.
    public static func parse(dump: String, mainPath: String, prefix: String) throws(DiscoveryError) -> NginxConfig {
        var files: [(path: String, text: String)] = []
        var current: (path: String, lines: [Substring])?
        for line in dump.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("# configuration file "), line.hasSuffix(":") {
                if let c = current { files.append((c.path, c.lines.joined(separator: "\n"))) }
                current = (String(line.dropFirst(21).dropLast()), [])
            } else {
                current?.lines.append(line)
            }
        }
        if let c = current { files.append((c.path, c.lines.joined(separator: "\n"))) }
        guard !files.isEmpty else {
            throw DiscoveryError(target: mainPath, "nginx -T printed no configuration file")
        }
        var parsed: [String: [Directive]] = [:]
        for f in files { parsed[f.path] = try parse(text: f.text, file: f.path) }
        let main = parsed[mainPath] != nil ? mainPath : files[0].path
        var seen = Set<String>()
        func expand(_ list: [Directive]) -> [Directive] {
            list.flatMap { d -> [Directive] in
                if d.name == "include", let pattern = d.args.first {
                    let full = pattern.hasPrefix("/") ? pattern : prefixJoin(configDir(main), pattern)
                    return files.map(\.path).filter { Glob.matches(full, $0) && !seen.contains($0) }.flatMap {
                        p -> [Directive] in
                        seen.insert(p)
                        defer { seen.remove(p) }
                        return expand(parsed[p] ?? [])
                    }
                }
                var e = d
                if let block = d.block { e.block = expand(block) }
                return [e]
            }
        }
        return NginxConfig(directives: expand(parsed[main] ?? []), prefix: prefix, mainFile: main)
    }

    /// Tokenizes and nests one file's text.
    public static func parse(text: String, file: String) throws(DiscoveryError) -> [Directive] {
        var stack: [[Directive]] = [[]]
        var openers: [(name: String, args: [String], line: Int)] = []
        var words: [String] = []
        var line = 1
        var chars = Array(text.unicodeScalars)[...]
        func fail(_ why: String) -> DiscoveryError { DiscoveryError(target: file, "line \(line): \(why)") }
        while let c = chars.first {
            switch c {
            case "\n":
                line += 1
                chars = chars.dropFirst()
            case " ", "\t", "\r":
                chars = chars.dropFirst()
            case "#":
                while let d = chars.first, d != "\n" { chars = chars.dropFirst() }
            case ";":
                chars = chars.dropFirst()
                guard let name = words.first else { throw fail("unexpected \";\"") }
                stack[stack.count - 1].append(Directive(name: name, args: Array(words.dropFirst())))
                words = []
            case "{":
                chars = chars.dropFirst()
                guard let name = words.first else { throw fail("unexpected \"{\"") }
                openers.append((name, Array(words.dropFirst()), line))
                stack.append([])
                words = []
            case "}":
                chars = chars.dropFirst()
                guard let opener = openers.popLast(), words.isEmpty else { throw fail("unexpected \"}\"") }
                let block = stack.removeLast()
                stack[stack.count - 1].append(Directive(name: opener.name, args: opener.args, block: block))
            case "\"", "'":
                chars = chars.dropFirst()
                var word = ""
                while let d = chars.first, d != c {
                    if d == "\\", chars.count > 1 { chars = chars.dropFirst() }
                    if d == "\n" { line += 1 }
                    word.unicodeScalars.append(chars.first!)
                    chars = chars.dropFirst()
                }
                guard !chars.isEmpty else { throw fail("unterminated quote") }
                chars = chars.dropFirst()
                words.append(word)
            default:
                var word = ""
                while let d = chars.first, !" \t\r\n;{}".unicodeScalars.contains(d) {
                    word.unicodeScalars.append(d)
                    chars = chars.dropFirst()
                }
                words.append(word)
            }
        }
        if let open = openers.last { throw DiscoveryError(target: file, "line \(open.line): \"{\" is never closed") }
        return stack[0]
    }

    /// Every `server` block of `http`, with the `http`-level logs inherited where it sets none.
    public var servers: [Server] {
        let http = directives.filter { $0.name == "http" }.flatMap { $0.block ?? [] }
        let upstreams = Dictionary(
            http.filter { $0.name == "upstream" && !$0.args.isEmpty }.map { u in
                (
                    u.args[0],
                    (u.block ?? []).filter { $0.name == "server" }.compactMap { $0.args.first }.compactMap {
                        Endpoint.parse($0)
                    }
                )
            }, uniquingKeysWith: { a, _ in a })
        let httpAccess = logs("access_log", in: http)
        let mainError = logs("error_log", in: directives)
        let httpError = logs("error_log", in: http)
        return http.filter { $0.name == "server" }.map { server in
            let body = server.block ?? []
            let listens = body.filter { $0.name == "listen" }.compactMap { $0.args.first }.compactMap {
                Endpoint.parse($0, defaultHost: "0.0.0.0")
            }
            var forwards: [Forward] = []
            func visit(_ list: [Directive]) {
                for d in list {
                    if let proto = Self.passProtocols[d.name], let target = d.args.first {
                        forwards += resolve(target, proto: proto, upstreams: upstreams)
                    }
                    if let block = d.block, d.name != "server" { visit(block) }
                }
            }
            visit(body)
            let access = logs("access_log", in: body)
            let error = logs("error_log", in: body)
            return Server(
                listens: listens.isEmpty ? [.tcp(host: "0.0.0.0", port: 80)] : listens,
                forwards: unique(forwards),
                accessLogs: access.isEmpty ? (httpAccess.isEmpty ? ["/var/log/nginx/access.log"] : httpAccess) : access,
                errorLogs: error.isEmpty ? (httpError.isEmpty ? mainError : httpError) : error)
        }
    }

    /// The server blocks that listen on `port`.
    public func servers(listeningOn port: Int) -> [Server] {
        servers.filter { $0.listens.contains { $0.port == port } }
    }

    static let passProtocols = [
        "proxy_pass": "http", "uwsgi_pass": "uwsgi", "fastcgi_pass": "fastcgi", "scgi_pass": "scgi",
    ]

    private func resolve(_ target: String, proto: String, upstreams: [String: [Endpoint]]) -> [Forward] {
        var name = Substring(target)
        for scheme in ["http://", "https://", "uwsgi://", "suwsgi://"] where name.hasPrefix(scheme) {
            name = name.dropFirst(scheme.count)
        }
        let bare = String(name.prefix { $0 != "/" })
        if let pool = upstreams[bare] { return pool.map { Forward(proto: proto, endpoint: $0) } }
        return Endpoint.parse(target).map { [Forward(proto: proto, endpoint: $0)] } ?? []
    }

    /// Log paths named by `name` directives (absolute; `off` and syslog skipped).
    private func logs(_ name: String, in list: [Directive]) -> [String] {
        list.filter { $0.name == name }.compactMap { $0.args.first }
            .filter { $0 != "off" && !$0.hasPrefix("syslog:") && $0 != "stderr" && !$0.hasPrefix("memory:") }
            .map { $0.hasPrefix("/") ? $0 : Self.prefixJoin(prefix, $0) }
    }

    private func unique(_ forwards: [Forward]) -> [Forward] {
        var seen = Set<Forward>()
        return forwards.filter { seen.insert($0).inserted }
    }

    static func prefixJoin(_ dir: String, _ path: String) -> String {
        dir.hasSuffix("/") ? dir + path : dir + "/" + path
    }

    static func configDir(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "./" }
        return String(path[...slash])
    }
}

/// Shell-style glob matching for `include` patterns (`*`, `?`; `/` not special beyond literal).
enum Glob {
    static func matches(_ pattern: String, _ text: String) -> Bool {
        let p = Array(pattern.unicodeScalars), t = Array(text.unicodeScalars)
        var pi = 0, ti = 0, star = -1, mark = 0
        while ti < t.count {
            if pi < p.count && (p[pi] == "?" || p[pi] == t[ti]) {
                pi += 1; ti += 1
            } else if pi < p.count && p[pi] == "*" {
                star = pi; mark = ti; pi += 1
            } else if star >= 0 {
                pi = star + 1; mark += 1; ti = mark
            } else {
                return false
            }
        }
        while pi < p.count && p[pi] == "*" { pi += 1 }
        return pi == p.count
    }
}
