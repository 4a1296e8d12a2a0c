/// What `stacktop attach TARGET` was pointed at: a listening port, a process, or a unix socket.
public enum AttachTarget: Sendable, Equatable, CustomStringConvertible {
    /// `:PORT` (any address) or `HOST:PORT`.
    case port(host: String?, port: Int)
    /// A pid of any process of the deploy.
    case pid(Int32)
    /// The path of a listening unix socket.
    case unixSocket(path: String)

    /// Parses TARGET; the error says what forms are accepted.
    public static func parse(_ text: String) throws(DiscoveryError) -> AttachTarget {
        let t = text.trimmingCharacters(in: " ")
        if t.hasPrefix("/") || t.hasPrefix("./") || t.hasPrefix("unix:") {
            let path = t.hasPrefix("unix:") ? String(t.dropFirst(5)) : t
            return .unixSocket(path: path)
        }
        if let pid = Int32(t), pid > 0 { return .pid(pid) }
        if let colon = t.lastIndex(of: ":") {
            var host = String(t[..<colon])
            if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
            if let port = Int(t[t.index(after: colon)...]), (1...65535).contains(port) {
                return .port(host: host.isEmpty ? nil : host, port: port)
            }
        }
        throw DiscoveryError(
            target: text,
            """
            not a target: give :PORT, HOST:PORT, a pid, or the path of a unix socket \
            (e.g. :8080, 127.0.0.1:8080, 4242, /run/app.sock)
            """)
    }

    public var description: String {
        switch self {
        case let .port(host, port): return "\(host ?? ""):\(port)"
        case let .pid(pid): return "pid \(pid)"
        case let .unixSocket(path): return path
        }
    }
}

/// Why a target could not be attached to: names the target and what was found instead.
public struct DiscoveryError: Error, Sendable, Equatable, CustomStringConvertible {
    public var target: String
    public var message: String
    public init(target: String, _ message: String) {
        self.target = target
        self.message = message
    }
    public var description: String { "\(target): \(message)" }
}

extension String {
    func trimmingCharacters(in set: String) -> String {
        var s = Substring(self)
        while let f = s.first, set.contains(f) { s = s.dropFirst() }
        while let l = s.last, set.contains(l) { s = s.dropLast() }
        return String(s)
    }
}
