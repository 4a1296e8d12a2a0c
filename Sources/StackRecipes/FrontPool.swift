import StackModel

/// The app servers a front server forwards to: one pool speaking one protocol, with the
/// address of each member (or the fact that it runs inside the front server).
struct FrontPool: Sendable {
    let front: Component
    let members: [Component]
    let proto: HopProtocol
    /// The address of each member, in `members` order.
    let addresses: [Endpoint]

    init(_ front: Component, _ input: RecipeInput) throws(RecipeError) {
        guard front.name == input.front.name else {
            throw .unsupported(
                front.name,
                "stacktop runs a front server (\(front.kind.rawValue)) only as the stack's front door, which is '\(input.front.name)'"
            )
        }
        guard !front.upstream.isEmpty else {
            throw .inconsistent(front.name, "a front server needs at least one app server in `upstream`")
        }
        var members: [Component] = []
        for name in front.upstream {
            let m = try input.component(name, from: front.name)
            guard m.kind.role == .app else {
                throw .unsupported(
                    front.name,
                    "forwards to '\(m.name)', a \(m.kind.rawValue), but upstream members must be app servers")
            }
            if let host = m.inside, host != front.name {
                throw .inconsistent(front.name, "forwards to '\(m.name)', which runs inside '\(host)'")
            }
            members.append(m)
        }
        let protos = Set(members.map(\.proto))
        guard protos.count == 1, let proto = protos.first else {
            let list = members.map { "\($0.name): \($0.proto.rawValue)" }.joined(separator: ", ")
            throw .unsupported(front.name, "all members of a pool must speak one protocol; found \(list)")
        }
        guard front.kind.forwardedProtocols.contains(proto) else {
            let can = front.kind.forwardedProtocols.map(\.rawValue).joined(separator: ", ")
            throw .unsupported(
                front.name, "\(front.kind.rawValue) cannot forward \(proto.rawValue) (it forwards \(can))")
        }
        for m in members {
            guard m.kind.servedProtocols.contains(m.proto) else {
                throw .unsupported(m.name, "\(m.kind.rawValue) cannot speak \(m.proto.rawValue) to '\(front.name)'")
            }
            if m.proto == .embedded && m.inside == nil {
                throw .unsupported(m.name, "\(m.kind.rawValue) must run inside '\(front.name)' to be served embedded")
            }
        }
        var addresses: [Endpoint] = []
        for m in members { addresses.append(try input.endpoint(of: m)) }
        self.front = front
        self.members = members
        self.proto = proto
        self.addresses = addresses
    }
}
