#if canImport(Glibc)
    import Glibc
#endif

/// TCP sockets on 127.0.0.1 for tests: a listener on a given or free port, a connect, a port
/// nothing listens on. Loopback only.
public enum Loopback {
    /// The IPv4 address 127.0.0.1:`port` (0: any free port when bound).
    public static func address(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }

    /// Binds `fd` to 127.0.0.1:`port`; bind's return value (0 on success).
    @discardableResult
    public static func bind(_ fd: Int32, port: Int) -> Int32 {
        var address = address(port: port)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
    }

    /// Connects `fd` to 127.0.0.1:`port`; connect's return value (0 on success, errno set otherwise).
    @discardableResult
    public static func connect(_ fd: Int32, port: Int) -> Int32 {
        var address = address(port: port)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
    }

    /// The local port `fd` is bound to, nil if it is not bound.
    public static func boundPort(_ fd: Int32) -> Int? {
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) == 0 }
        }
        return ok ? Int(UInt16(bigEndian: address.sin_port)) : nil
    }

    /// A new TCP socket (`flags` or-ed into the type, e.g. SOCK_CLOEXEC).
    public static func tcpSocket(flags: Int32 = 0) -> Int32 {
        socket(AF_INET, Int32(SOCK_STREAM.rawValue) | flags, 0)
    }

    /// A socket listening on 127.0.0.1:`port` (0: a free port the kernel picks) and its port;
    /// nil when the port cannot be bound. The caller closes it.
    public static func listener(port: Int = 0, backlog: Int32 = 4, flags: Int32 = 0, reuseAddress: Bool = false)
        -> (fd: Int32, port: Int)?
    {
        let fd = tcpSocket(flags: flags)
        guard fd >= 0 else { return nil }
        if reuseAddress {
            var one: Int32 = 1
            setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        }
        guard bind(fd, port: port) == 0, listen(fd, backlog) == 0, let bound = boundPort(fd) else {
            close(fd)
            return nil
        }
        return (fd, bound)
    }

    /// Whether something accepts connections on 127.0.0.1:`port` now.
    public static func isOpen(_ port: Int) -> Bool {
        let fd = tcpSocket()
        guard fd >= 0 else { return false }
        defer { close(fd) }
        return connect(fd, port: port) == 0
    }

    /// A loopback port nothing listens on (bound, then closed), nil if none could be bound.
    public static func closedPort() -> Int? {
        let fd = tcpSocket()
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        guard bind(fd, port: 0) == 0 else { return nil }
        return boundPort(fd)
    }
}
