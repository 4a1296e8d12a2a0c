import Glibc

/// Chooses free loopback ports for `port: auto` and checks fixed ports before a launch.
public struct PortAllocator: Sendable {
    public var sockets: SocketTable

    public init(sockets: SocketTable = SocketTable()) { self.sockets = sockets }

    /// A port the kernel considers free on `host` right now (bind to port 0, read it back),
    /// different from every port in `avoiding`.
    public func freePort(host: String = "127.0.0.1", avoiding: Set<Int> = []) throws(PortError) -> Int {
        for _ in 0..<20 {
            let port = try bind(host: host, port: 0)
            if !avoiding.contains(port) { return port }
        }
        throw PortError(host: host, port: 0, reason: "no free port found", holders: [])
    }

    /// Throws a `PortError` naming the holders when `port` on `host` cannot be bound.
    public func checkFree(host: String, port: Int) throws(PortError) {
        do {
            _ = try bind(host: host, port: port)
        } catch {
            var e = error
            e.holders = sockets.holders(ofPort: port)
            throw e
        }
    }

    /// Binds a TCP socket like a server would (SO_REUSEADDR, so TIME_WAIT leftovers do not count),
    /// returns the bound port and closes the socket.
    func bind(host: String, port: Int) throws(PortError) -> Int {
        let address = host == "localhost" ? "127.0.0.1" : host
        let v6 = address.contains(":")
        let fd = socket(v6 ? AF_INET6 : AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else {
            throw PortError(host: host, port: port, reason: String(cString: strerror(errno)), holders: [])
        }
        defer { close(fd) }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        let result: Int32
        let boundPort: Int
        if v6 {
            var sa = sockaddr_in6()
            sa.sin6_family = sa_family_t(AF_INET6)
            sa.sin6_port = in_port_t(UInt16(port).bigEndian)
            guard inet_pton(AF_INET6, address, &sa.sin6_addr) == 1 else {
                throw PortError(host: host, port: port, reason: "not an IPv6 address", holders: [])
            }
            (result, boundPort) = PortAllocator.bindReadingPort(fd, &sa) { $0.sin6_port }
        } else {
            var sa = sockaddr_in()
            sa.sin_family = sa_family_t(AF_INET)
            sa.sin_port = in_port_t(UInt16(port).bigEndian)
            guard inet_pton(AF_INET, address, &sa.sin_addr) == 1 else {
                throw PortError(host: host, port: port, reason: "not an IPv4 address", holders: [])
            }
            (result, boundPort) = PortAllocator.bindReadingPort(fd, &sa) { $0.sin_port }
        }
        guard result == 0, listen(fd, 1) == 0 else {
            throw PortError(host: host, port: port, reason: String(cString: strerror(errno)), holders: [])
        }
        return boundPort
    }

    /// bind(2) to `address` (a sockaddr_in or sockaddr_in6), then getsockname(2) for the port
    /// the kernel chose; the port is 0 when either call failed.
    private static func bindReadingPort<A>(
        _ fd: Int32, _ address: inout A,
        port: (A) -> in_port_t
    ) -> (result: Int32, port: Int) {
        let size = socklen_t(MemoryLayout<A>.size)
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.bind(fd, $0, size) }
        }
        var length = size
        guard result == 0,
            withUnsafeMutablePointer(
                to: &address,
                {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
                }) == 0
        else { return (result, 0) }
        return (result, Int(UInt16(bigEndian: port(address))))
    }
}

/// A port that cannot be used, with the processes holding it when they can be seen.
public struct PortError: Error, Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var port: Int
    public var reason: String
    public var holders: [SocketTable.Holder]

    public var description: String {
        let who = holders.isEmpty ? "" : ": held by " + holders.map(\.description).joined(separator: ", ")
        return "port \(port) on \(host) is not available (\(reason))\(who)"
    }
}
