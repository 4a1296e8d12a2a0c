/// Parses the kernel's socket tables: /proc/net/tcp, tcp6 and unix.
public enum ProcNet {
    /// One listening TCP socket.
    public struct TCPListener: Sendable, Equatable {
        /// The local address in text ("127.0.0.1", "0.0.0.0", "::1", "::").
        public var host: String
        public var port: Int
        public var inode: UInt64
        public var uid: UInt32
    }

    /// One unix socket with a path.
    public struct UnixSocket: Sendable, Equatable {
        public var path: String
        public var inode: UInt64
        /// In the listening state (`__SO_ACCEPTCON` flag set, state 01 unconnected).
        public var isListening: Bool
    }

    /// The listening sockets of /proc/net/tcp or tcp6 text.
    public static func tcpListeners(_ text: String) -> [TCPListener] {
        text.split(separator: "\n").dropFirst().compactMap { line in
            let f = line.split(separator: " ", omittingEmptySubsequences: true)
            guard f.count >= 10, f[3] == "0A", let colon = f[1].lastIndex(of: ":"),
                let port = Int(f[1][f[1].index(after: colon)...], radix: 16),
                let uid = UInt32(f[7]), let inode = UInt64(f[9]), inode != 0
            else { return nil }
            return TCPListener(host: address(hex: f[1][..<colon]), port: port, inode: inode, uid: uid)
        }
    }

    /// The inodes of connected TCP sockets (ESTABLISHED, CLOSE_WAIT) whose local port is one of
    /// `ports`: on a server, the connections it accepted on those ports.
    public static func acceptedTCP(_ text: String, localPorts ports: Set<Int>) -> Set<UInt64> {
        var out = Set<UInt64>()
        // Only lines that mention a wanted port as `:PPPP ` are split (a busy machine has thousands).
        let marks = ports.map { port -> String in
            let hex = String(port, radix: 16, uppercase: true)
            return ":" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex + " "
        }
        for line in text.split(separator: "\n").dropFirst() where marks.contains(where: { line.contains($0) }) {
            let f = line.split(separator: " ", omittingEmptySubsequences: true)
            guard f.count >= 10, f[3] == "01" || f[3] == "08", let colon = f[1].lastIndex(of: ":"),
                let port = Int(f[1][f[1].index(after: colon)...], radix: 16), ports.contains(port),
                let inode = UInt64(f[9]), inode != 0
            else { continue }
            out.insert(inode)
        }
        return out
    }

    /// The inodes of connected (not listening) unix sockets bound to one of `paths`: on a
    /// server, the connections it accepted there. Only lines ending in a wanted path are split.
    public static func acceptedUnix(_ text: String, paths: Set<String>) -> Set<UInt64> {
        var out = Set<UInt64>()
        for line in text.split(separator: "\n").dropFirst() where paths.contains(where: { line.hasSuffix(" " + $0) }) {
            if let s = unixSockets("header\n" + line).first, !s.isListening, paths.contains(s.path) {
                out.insert(s.inode)
            }
        }
        return out
    }

    /// The unix sockets with a filesystem path in /proc/net/unix text.
    public static func unixSockets(_ text: String) -> [UnixSocket] {
        text.split(separator: "\n").dropFirst().compactMap { line in
            let f = line.split(separator: " ", maxSplits: 7, omittingEmptySubsequences: true)
            guard f.count == 8, let flags = Int(f[3], radix: 16), let inode = UInt64(f[6]) else { return nil }
            let path = String(f[7])
            guard path.hasPrefix("/") else { return nil }
            return UnixSocket(path: path, inode: inode, isListening: flags & 0x10000 != 0)
        }
    }

    /// The text form of a /proc/net address (IPv4: 8 hex digits, little-endian; IPv6: 32, four
    /// little-endian words).
    static func address(hex: Substring) -> String {
        let bytes = stride(from: 0, to: hex.count - 1, by: 2).compactMap { i -> UInt8? in
            let a = hex.index(hex.startIndex, offsetBy: i)
            return UInt8(hex[a..<hex.index(a, offsetBy: 2)], radix: 16)
        }
        if bytes.count == 4 { return bytes.reversed().map(String.init).joined(separator: ".") }
        guard bytes.count == 16 else { return String(hex) }
        var ordered: [UInt8] = []
        for word in 0..<4 { ordered += bytes[(word * 4)..<(word * 4 + 4)].reversed() }
        // IPv4-mapped (::ffff:a.b.c.d)
        if ordered[0..<10].allSatisfy({ $0 == 0 }) && ordered[10] == 0xff && ordered[11] == 0xff {
            return ordered[12...].map(String.init).joined(separator: ".")
        }
        let groups = stride(from: 0, to: 16, by: 2).map {
            String(Int(ordered[$0]) << 8 | Int(ordered[$0 + 1]), radix: 16)
        }
        if groups.allSatisfy({ $0 == "0" }) { return "::" }
        if groups.dropLast().allSatisfy({ $0 == "0" }) { return "::" + groups.last! }
        return groups.joined(separator: ":")
    }

    /// Whether a listener on `host` accepts connections meant for `wanted` (nil: any).
    public static func address(_ host: String, serves wanted: String?) -> Bool {
        guard let wanted else { return true }
        let w = wanted == "localhost" ? "127.0.0.1" : wanted
        return host == w || host == "0.0.0.0" || host == "::"
    }
}
