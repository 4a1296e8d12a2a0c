/// A place a server listens or a front server forwards to: a TCP address or a unix socket.
public enum Endpoint: Sendable, Hashable, CustomStringConvertible {
    /// `host` is the address as written ("127.0.0.1", "::1", "0.0.0.0", "localhost").
    case tcp(host: String, port: Int)
    case unix(path: String)

    public var description: String {
        switch self {
        case let .tcp(host, port): return host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        case let .unix(path): return "unix:\(path)"
        }
    }

    /// Parses an address as servers write it: `unix:/p`, `/p`, `HOST:PORT`, `:PORT`, `PORT`,
    /// `[::1]:PORT`, with an optional `http://` scheme and a path after it.
    public static func parse(_ text: String, defaultHost: String = "127.0.0.1") -> Endpoint? {
        var t = Substring(text)
        for scheme in ["http://", "https://", "uwsgi://", "fastcgi://"] where t.hasPrefix(scheme) {
            t = t.dropFirst(scheme.count)
        }
        if t.hasPrefix("unix:") {
            var path = t.dropFirst(5)
            // nginx: proxy_pass http://unix:/run/app.sock:/uri
            if let colon = path.dropFirst().firstIndex(of: ":") { path = path[..<colon] }
            return path.isEmpty ? nil : .unix(path: String(path))
        }
        if t.hasPrefix("/") { return .unix(path: String(t)) }
        if let slash = t.firstIndex(of: "/") { t = t[..<slash] }
        if let port = Int(t) { return (1...65535).contains(port) ? .tcp(host: defaultHost, port: port) : nil }
        guard let colon = t.lastIndex(of: ":"), let port = Int(t[t.index(after: colon)...]),
            (1...65535).contains(port)
        else { return nil }
        var host = String(t[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return .tcp(host: host.isEmpty || host == "*" ? "0.0.0.0" : host, port: port)
    }

    /// The port, for TCP.
    public var port: Int? {
        if case let .tcp(_, port) = self { return port }
        return nil
    }
}
