import Glibc

/// Minimal blocking client for probing local servers: TCP and unix-socket connects, and one
/// HTTP/1.0 GET whose status line and headers are read back. Every call is bounded by a timeout.
public struct LoopbackClient: Sendable {
    public var timeoutMs: Int

    public init(timeoutMs: Int = 1000) { self.timeoutMs = timeoutMs }

    /// The status and headers of an HTTP response.
    public struct Response: Sendable, Equatable {
        public var status: Int
        /// Header names lowercased.
        public var headers: [String: String]
    }

    /// A connected socket to `host:port`, or nil.
    public func connectTCP(host: String, port: Int) -> Int32? {
        let address = host == "localhost" ? "127.0.0.1" : host
        if address.contains(":") {
            var sa = sockaddr_in6()
            sa.sin6_family = sa_family_t(AF_INET6)
            sa.sin6_port = in_port_t(UInt16(truncatingIfNeeded: port).bigEndian)
            guard inet_pton(AF_INET6, address, &sa.sin6_addr) == 1 else { return nil }
            return connect(family: AF_INET6, &sa, MemoryLayout<sockaddr_in6>.size)
        }
        var sa = sockaddr_in()
        sa.sin_family = sa_family_t(AF_INET)
        sa.sin_port = in_port_t(UInt16(truncatingIfNeeded: port).bigEndian)
        guard inet_pton(AF_INET, address, &sa.sin_addr) == 1 else { return nil }
        return connect(family: AF_INET, &sa, MemoryLayout<sockaddr_in>.size)
    }

    /// A connected socket to the unix socket at `path`, or nil.
    public func connectUnix(path: String) -> Int32? {
        var sa = sockaddr_un()
        sa.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: sa.sun_path) else { return nil }
        withUnsafeMutableBytes(of: &sa.sun_path) { raw in
            for (i, b) in bytes.enumerated() { raw[i] = b }
            raw[bytes.count] = 0
        }
        return connect(family: AF_UNIX, &sa, MemoryLayout<sockaddr_un>.size)
    }

    /// Sends `GET path` to `host:port` and reads the response head; nil if nothing answered.
    public func get(host: String, port: Int, path: String) -> Response? {
        guard let fd = connectTCP(host: host, port: port) else { return nil }
        defer { close(fd) }
        let hostHeader = host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        let request = Array(
            "GET \(path) HTTP/1.0\r\nHost: \(hostHeader)\r\nUser-Agent: stacktop-probe\r\nConnection: close\r\n\r\n"
                .utf8)
        guard sendAll(fd, request) else { return nil }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        let clock = Stopwatch()
        while received.count < 65536 {
            if let head = LoopbackClient.parseHead(received) { return head }
            let left = timeoutMs - clock.elapsedMs
            guard left > 0, waitFor(fd, events: Int16(POLLIN), ms: left) else { return nil }
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return LoopbackClient.parseHead(received + [13, 10, 13, 10]) }
            received.append(contentsOf: buffer[0..<n])
        }
        return nil
    }

    /// Parses `HTTP/1.x NNN ...` and the header lines once the blank line has arrived.
    public static func parseHead(_ bytes: [UInt8]) -> Response? {
        let text = String(decoding: bytes, as: UTF8.self)
        guard let end = text.range(of: "\r\n\r\n") else { return nil }
        let lines = text[..<end.lowerBound].components(separatedBy: "\r\n")
        let status = lines[0].split(separator: " ")
        guard status.count >= 2, status[0].hasPrefix("HTTP/"), let code = Int(status[1]) else { return nil }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let value = line[line.index(after: colon)...].drop { $0 == " " }
            headers[line[..<colon].lowercased()] = String(value)
        }
        return Response(status: code, headers: headers)
    }

    private func connect<A>(family: Int32, _ address: inout A, _ length: Int) -> Int32? {
        let fd = socket(
            family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        guard fd >= 0 else { return nil }
        let r = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(length)) }
        }
        if r == 0 { return fd }
        guard errno == EINPROGRESS, waitFor(fd, events: Int16(POLLOUT), ms: timeoutMs) else {
            close(fd)
            return nil
        }
        var soError: Int32 = 0
        var len = socklen_t(MemoryLayout<Int32>.size)
        guard getsockopt(fd, SOL_SOCKET, SO_ERROR, &soError, &len) == 0, soError == 0 else {
            close(fd)
            return nil
        }
        return fd
    }

    private func sendAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            guard waitFor(fd, events: Int16(POLLOUT), ms: timeoutMs) else { return false }
            let n = bytes[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n < 0 && (errno == EINTR || errno == EAGAIN) { continue }
            if n <= 0 { return false }
            offset += n
        }
        return true
    }

    private func waitFor(_ fd: Int32, events: Int16, ms: Int) -> Bool {
        var p = pollfd(fd: fd, events: events, revents: 0)
        let clock = Stopwatch()
        while true {
            let left = ms - clock.elapsedMs
            if left <= 0 { return false }
            let r = poll(&p, 1, Int32(left))
            if r < 0 && errno == EINTR { continue }
            return r > 0
        }
    }
}
