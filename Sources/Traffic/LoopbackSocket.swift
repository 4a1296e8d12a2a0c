#if canImport(Glibc)
    import Glibc
#endif
import Supervision

/// A loopback target's socket address, and the few socket calls the closed loop makes on it:
/// nonblocking connect with TCP_NODELAY, send without SIGPIPE, the pending connect's error.
struct LoopbackSocketAddress: Sendable {
    private let storage: sockaddr_storage
    private let length: socklen_t
    let family: Int32

    /// The address of `target` (its host is already a loopback literal: `127.x.x.x` or `::1`).
    init(_ target: LoopbackTarget) throws(LoadTargetError) {
        var storage = sockaddr_storage()
        if target.host.contains(":") {
            var a = sockaddr_in6()
            a.sin6_family = sa_family_t(AF_INET6)
            a.sin6_port = in_port_t(UInt16(target.port).bigEndian)
            guard inet_pton(AF_INET6, target.host, &a.sin6_addr) == 1 else { throw .malformed(target.host) }
            withUnsafeBytes(of: a) { src in withUnsafeMutableBytes(of: &storage) { $0.copyMemory(from: src) } }
            family = AF_INET6
            length = socklen_t(MemoryLayout<sockaddr_in6>.size)
        } else {
            var a = sockaddr_in()
            a.sin_family = sa_family_t(AF_INET)
            a.sin_port = in_port_t(UInt16(target.port).bigEndian)
            guard inet_pton(AF_INET, target.host, &a.sin_addr) == 1 else { throw .malformed(target.host) }
            withUnsafeBytes(of: a) { src in withUnsafeMutableBytes(of: &storage) { $0.copyMemory(from: src) } }
            family = AF_INET
            length = socklen_t(MemoryLayout<sockaddr_in>.size)
        }
        self.storage = storage
    }

    /// Starts a nonblocking connect: the socket (close-on-exec, TCP_NODELAY) and whether the
    /// connect already completed; or the errno that failed it.
    func connect() -> Result<(fd: Int32, connected: Bool), Errno> {
        let type = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        let fd = socket(family, type, 0)
        guard fd >= 0 else { return .failure(Errno(errno)) }
        var one: Int32 = 1
        _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = storage
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, length) }
        }
        if rc == 0 { return .success((fd, true)) }
        let e = errno
        if e == EINPROGRESS || e == EINTR { return .success((fd, false)) }
        close(fd)
        return .failure(Errno(e))
    }
}

/// An errno value from a socket call.
struct Errno: Error, Equatable {
    let code: Int32
    init(_ code: Int32) { self.code = code }

    /// The error a nonblocking connect on `fd` ended with (0 when it succeeded).
    static func pendingError(of fd: Int32) -> Int32 {
        var e: Int32 = 0
        var size = socklen_t(MemoryLayout<Int32>.size)
        guard getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &size) == 0 else { return errno }
        return e
    }
}

/// The monotonic clock in nanoseconds (the clock `NIODeadline.now()` reads).
@inline(__always)
func monotonicNanos() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
}
