import Discovery
import StackRecipes

/// Tells which app-server workers are in a request right now, from the kernel alone: a worker
/// is busy while it holds a connection accepted on its server's listening socket (a unix socket
/// the accepted end shares the path of, or a TCP port), idle otherwise. Works for servers that
/// take one connection per worker at a time (gunicorn sync, uWSGI, flup fork, mod_wsgi's
/// daemons hold theirs too); a sample, like top's, taken at each scan.
public struct BusyProbe: Sendable {
    public let unixPaths: Set<String>
    public let tcpPorts: Set<Int>
    let system: LinuxSystemView

    public init(unixPaths: Set<String>, tcpPorts: Set<Int>, procRoot: String = "/proc") {
        self.unixPaths = unixPaths
        self.tcpPorts = tcpPorts
        system = LinuxSystemView(procRoot: procRoot)
    }

    /// The app servers' own sockets of `plan` (the front door is not an app server's: a
    /// front's client connections say nothing about a worker's request).
    public init(plan: Plan, procRoot: String = "/proc") {
        var paths = Set<String>(), ports = Set<Int>()
        for spec in plan.processes where spec.kind.role == .app {
            switch spec.readiness {
            case let .unixSocket(path): paths.insert(path)
            case let .tcp(_, port), let .http(_, port, _): ports.insert(port)
            case .withParent: break
            }
        }
        self.init(unixPaths: paths, tcpPorts: ports, procRoot: procRoot)
    }

    public var isEmpty: Bool { unixPaths.isEmpty && tcpPorts.isEmpty }

    /// The lines of /proc/net/unix `bytes` that end with " PATH" for one of `paths`, joined by
    /// newlines, found without making a String per line: the machine's other sockets (hundreds of
    /// lines, read once a second) are skipped with a byte compare of each line's end.
    static func lines(of bytes: [UInt8], endingWithAnyOf paths: Set<String>) -> String {
        let wanted = paths.map { Array(" \($0)".utf8) }
        var out = ""
        bytes.withUnsafeBufferPointer { buf in
            var start = 0
            while start < buf.count {
                var end = start
                while end < buf.count && buf[end] != 10 { end += 1 }
                let line = UnsafeBufferPointer(rebasing: buf[start..<end])
                if wanted.contains(where: { w in line.count >= w.count && line.suffix(w.count).elementsEqual(w) }) {
                    if !out.isEmpty { out += "\n" }
                    out += String(decoding: line, as: UTF8.self)
                }
                start = end + 1
            }
        }
        return out
    }

    /// Of `workers`, those holding an accepted connection now (the rest are idle).
    public func busy(_ workers: [Int32]) -> Set<Int32> {
        guard !isEmpty, !workers.isEmpty else { return [] }
        var accepted = Set<UInt64>()
        if !unixPaths.isEmpty, let bytes = SmallFile.read("\(system.procRoot)/net/unix", limit: 16 << 20) {
            let lines = Self.lines(of: bytes, endingWithAnyOf: unixPaths)
            if !lines.isEmpty { accepted.formUnion(ProcNet.acceptedUnix("header\n" + lines, paths: unixPaths)) }
        }
        if !tcpPorts.isEmpty {
            for file in ["net/tcp", "net/tcp6"] {
                guard let bytes = SmallFile.read("\(system.procRoot)/\(file)", limit: 16 << 20) else { continue }
                accepted.formUnion(ProcNet.acceptedTCP(String(decoding: bytes, as: UTF8.self), localPorts: tcpPorts))
            }
        }
        guard !accepted.isEmpty else { return [] }
        return Set(workers.filter { pid in !(system.socketInodes(of: pid) ?? []).isDisjoint(with: accepted) })
    }
}
