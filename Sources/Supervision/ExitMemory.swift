/// A bounded memory of processes known to have exited, oldest forgotten first.
///
/// A process killed under an init that reaps late stays a zombie in /proc for a while; if a scan
/// lists it after its pidfd exit, this memory keeps it from being taken for a new process.
struct ExitMemory: Sendable, Equatable {
    let capacity: Int
    private var order: [ProcessIdentity] = []
    private var members: Set<ProcessIdentity> = []
    private var next = 0

    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    func contains(_ identity: ProcessIdentity) -> Bool { members.contains(identity) }

    mutating func remember(_ identity: ProcessIdentity) {
        guard !members.contains(identity) else { return }
        if order.count < capacity {
            order.append(identity)
        } else {
            members.remove(order[next])
            order[next] = identity
            next = (next + 1) % capacity
        }
        members.insert(identity)
    }
}
