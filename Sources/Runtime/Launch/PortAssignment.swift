import StackModel

/// Picks the TCP port of every component that listens on TCP: fixed ports are checked to be
/// free, `auto` ones get a free loopback port distinct from all the others.
public struct PortAssignment: Sendable {
    public var allocator: PortAllocator

    public init(allocator: PortAllocator = PortAllocator()) { self.allocator = allocator }

    /// Ports by component name, for `LaunchContext.ports`. Throws the first busy fixed port,
    /// naming the process that holds it.
    public func assign(_ topology: Topology) throws(PortError) -> [String: Int] {
        let listeners = topology.components.filter { $0.transport == .tcp && $0.kind != .supervisord }
        var ports: [String: Int] = [:]
        var taken = Set(listeners.compactMap(\.port))
        for c in listeners {
            if let fixed = c.port {
                try allocator.checkFree(host: c.host, port: fixed)
                ports[c.name] = fixed
            }
        }
        for c in listeners where c.port == nil {
            let port = try allocator.freePort(host: c.host == "::1" ? "::1" : "127.0.0.1", avoiding: taken)
            taken.insert(port)
            ports[c.name] = port
        }
        return ports
    }

    /// The components whose port was chosen automatically (so `config` can say so).
    public static func automatic(_ topology: Topology) -> [String] {
        topology.components.filter { $0.transport == .tcp && $0.kind != .supervisord && $0.port == nil }.map(\.name)
    }
}
