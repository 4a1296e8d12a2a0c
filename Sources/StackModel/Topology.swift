/// A validated stack: its components in file order, the app they serve, and its default traffic.
public struct Topology: Sendable, Equatable {
    /// Short name, from `name:` or the file's stem.
    public var name: String
    /// What the stack is, why people pick it, what happens when its parts die.
    public var description: String
    /// The path the topology was read from ("" when built in code).
    public var sourcePath: String
    public var app: AppSpec
    /// Components in the order the file lists them.
    public var components: [Component]
    public var traffic: TrafficSpec
    /// `container: true` (the whole stack in one container image built by stacktop, the
    /// deployment guide's recommendation) or `container: pod` (one container per component in
    /// a podman pod); nil on the host. Watched from the host like any stack either way.
    public var containerLayout: ContainerLayout?
    /// Whether the stack runs in containers (either layout).
    public var container: Bool { containerLayout != nil }

    public init(
        name: String, description: String, sourcePath: String, app: AppSpec,
        components: [Component], traffic: TrafficSpec, container: Bool = false,
        containerLayout: ContainerLayout? = nil
    ) {
        self.containerLayout = containerLayout ?? (container ? .single : nil)
        self.name = name
        self.description = description
        self.sourcePath = sourcePath
        self.app = app
        self.components = components
        self.traffic = traffic
    }

    /// The component with this name, if any.
    public func component(_ name: String) -> Component? {
        components.first { $0.name == name }
    }

    /// The component that receives the client's requests: the one no other component forwards to
    /// and that runs inside no other.
    public var frontDoor: Component? {
        let reached = Set(components.flatMap { $0.upstream } + components.filter { $0.inside != nil }.map(\.name))
        return components.first { $0.kind.role != .supervisor && !reached.contains($0.name) }
    }

    /// The supervisord component that supervises `name`, if any.
    public func supervisor(of name: String) -> Component? {
        components.first { $0.kind == .supervisord && $0.supervises.contains(name) }
    }

    /// The components whose processes serve app requests (app servers).
    public var appServers: [Component] {
        components.filter { $0.kind.role == .app }
    }

    /// Components in start order: app servers before the front servers that forward to them,
    /// a component hosted inside another started with it, supervisord before (as the owner of)
    /// what it supervises. Supervised components are listed right after their supervisor.
    public var startOrder: [Component] {
        var order: [Component] = []
        var placed = Set<String>()
        func place(_ c: Component) {
            guard !placed.contains(c.name) else { return }
            placed.insert(c.name)
            for up in c.upstream { if let u = component(up), u.inside == nil { place(u) } }
            order.append(c)
        }
        for c in components where c.kind == .supervisord { placed.insert(c.name); order.append(c) }
        for c in components where c.kind != .supervisord && c.inside == nil { place(c) }
        for c in components where !placed.contains(c.name) { placed.insert(c.name); order.append(c) }
        return order
    }
}
