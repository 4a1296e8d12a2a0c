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

    /// Of `workers`, those holding an accepted connection now (the rest are idle).
    public func busy(_ workers: [Int32]) -> Set<Int32> {
        guard !isEmpty, !workers.isEmpty else { return [] }
        var accepted = Set<UInt64>()
        if !unixPaths.isEmpty, let bytes = SmallFile.read("\(system.procRoot)/net/unix", limit: 16 << 20) {
            accepted.formUnion(ProcNet.acceptedUnix(String(decoding: bytes, as: UTF8.self), paths: unixPaths))
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
