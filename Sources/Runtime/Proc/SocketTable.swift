import Glibc

/// The TCP sockets of /proc/net/tcp and /proc/net/tcp6, and which processes hold them.
public struct SocketTable: Sendable {
    /// One row of /proc/net/tcp{,6}.
    public struct Entry: Sendable, Equatable {
        public var localPort: Int
        /// Kernel TCP state: 0x0A is LISTEN, 0x01 ESTABLISHED, 0x06 TIME_WAIT.
        public var state: Int
        public var uid: UInt32
        public var inode: UInt64
        public var isListening: Bool { state == 0x0A }
    }

    /// A process holding a socket.
    public struct Holder: Sendable, Equatable, CustomStringConvertible {
        public var pid: Int32
        public var commandLine: String
        public var description: String { "pid \(pid) (\(commandLine))" }
    }

    public var procRoot: String
    public var table: any ProcessTable

    public init(procRoot: String = "/proc", table: (any ProcessTable)? = nil) {
        self.procRoot = procRoot
        self.table = table ?? LinuxProcessTable(procRoot: procRoot)
    }

    /// Parses the text of /proc/net/tcp or /proc/net/tcp6 (the header line is skipped).
    /// With `port`, only lines that mention it as `:PPPP ` are split into fields (a busy machine's
    /// table has thousands of sockets; the check for one port then costs little).
    public static func parse(_ text: String, port: Int? = nil) -> [Entry] {
        let mark = port.map { port -> String in
            let hex = String(port, radix: 16, uppercase: true)
            return ":" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex + " "
        }
        return text.split(separator: "\n").dropFirst().compactMap { line in
            if let mark, !line.contains(mark) { return nil }
            let f = line.split(separator: " ", omittingEmptySubsequences: true)
            guard f.count >= 10, let colon = f[1].lastIndex(of: ":"),
                let port = Int(f[1][f[1].index(after: colon)...], radix: 16),
                let state = Int(f[3], radix: 16), let uid = UInt32(f[7]), let inode = UInt64(f[9])
            else { return nil }
            return Entry(localPort: port, state: state, uid: uid, inode: inode)
        }
    }

    /// Listening sockets on `port` (any address, IPv4 and IPv6).
    public func listeners(port: Int) -> [Entry] {
        ["net/tcp", "net/tcp6"].flatMap { file -> [Entry] in
            guard let bytes = SmallFile.read("\(procRoot)/\(file)", limit: 8 << 20) else { return [] }
            return SocketTable.parse(String(decoding: bytes, as: UTF8.self), port: port)
        }.filter { $0.localPort == port && $0.isListening && $0.inode != 0 }
    }

    /// The processes holding a listening socket on `port`, found by matching the sockets'
    /// inodes with the `socket:[INODE]` links of /proc/PID/fd/*.
    public func holders(ofPort port: Int) -> [Holder] {
        let inodes = Set(listeners(port: port).map(\.inode))
        guard !inodes.isEmpty else { return [] }
        let fds = LinuxSystemView(procRoot: procRoot)
        var found: [Holder] = []
        for pid in table.pids() where !(fds.socketInodes(of: pid) ?? []).isDisjoint(with: inodes) {
            found.append(Holder(pid: pid, commandLine: table.commandLine(of: pid) ?? "?"))
        }
        return found
    }
}
