/// The front door a load generator may send to: `http://HOST:PORT` with a loopback HOST.
public struct LoopbackTarget: Sendable, Equatable {
    /// The literal address to connect to (`127.x.x.x` or `::1`; `localhost` becomes `127.0.0.1`).
    public var host: String
    public var port: Int
    /// The `Host` header value.
    public var authority: String

    /// Parses `http://127.0.0.1:8080` (a trailing `/` is allowed; paths come from the mix).
    /// Refuses other schemes, missing ports and every non-loopback host.
    public init(url: String) throws(LoadTargetError) {
        let prefix = "http://"
        guard url.hasPrefix(prefix) else { throw .unsupportedScheme(url) }
        var rest = Substring(url.dropFirst(prefix.count))
        if rest.hasSuffix("/") { rest = rest.dropLast() }
        guard !rest.contains("/") else { throw .pathNotAllowed(url) }
        let host: Substring
        let portText: Substring
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else { throw .malformed(url) }
            host = rest[rest.index(after: rest.startIndex)..<close]
            let after = rest[rest.index(after: close)...]
            guard after.hasPrefix(":") else { throw .missingPort(url) }
            portText = after.dropFirst()
        } else {
            guard let colon = rest.lastIndex(of: ":") else { throw .missingPort(url) }
            host = rest[..<colon]
            portText = rest[rest.index(after: colon)...]
        }
        guard let port = Int(portText), (1...65535).contains(port) else { throw .missingPort(url) }
        guard let literal = Self.loopbackLiteral(String(host)) else { throw .notLoopback(String(host)) }
        self.host = literal
        self.port = port
        self.authority = literal.contains(":") ? "[\(literal)]:\(port)" : "\(literal):\(port)"
    }

    /// The connectable literal for a loopback host name, or nil when `host` is not loopback.
    static func loopbackLiteral(_ host: String) -> String? {
        if host == "localhost" { return "127.0.0.1" }
        if host == "::1" { return host }
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == "127",
            parts.allSatisfy({ p in p.count <= 3 && UInt8(p) != nil })
        else { return nil }
        return host
    }
}

/// Why a URL cannot be a load target.
public enum LoadTargetError: Error, Equatable, CustomStringConvertible {
    case unsupportedScheme(String)
    case pathNotAllowed(String)
    case missingPort(String)
    case malformed(String)
    case notLoopback(String)

    public var description: String {
        switch self {
        case .unsupportedScheme(let u): return "load target \(u): only http:// URLs are supported"
        case .pathNotAllowed(let u):
            return "load target \(u): give only http://HOST:PORT; paths come from the traffic mix"
        case .missingPort(let u): return "load target \(u): needs an explicit port in 1...65535"
        case .malformed(let u): return "load target \(u): malformed address"
        case .notLoopback(let h):
            return "load target host \(h) is not loopback: stacktop sends traffic only to 127.0.0.0/8 or ::1"
        }
    }
}
