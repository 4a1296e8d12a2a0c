import Runtime
import Synchronization
import Traffic

/// Container pid → host pid of a container stack's processes, per component, from `spawned`
/// events (a `ContainerPidMap` shared between the event sink and the traffic threads).
final class ContainerPids: Sendable {
    private let state = Mutex(ContainerPidMap())
    /// Each component's container root (host pid), once launched.
    private let roots = Mutex<[String: Int32]>([:])

    func record(component: String, inner: Int32, host: Int32) {
        state.withLock { $0.record(component: component, inner: inner, host: host) }
    }

    /// A copy of the map as it is now.
    var map: ContainerPidMap { state.withLock { $0 } }

    /// Learns each component's container root from `stack` (a hosted component's is its host's).
    func learnRoots(_ stack: RunningStack) {
        var found: [String: Int32] = [:]
        for c in stack.components { if let pid = c.process?.pid { found[c.spec.component] = pid } }
        for c in stack.components where c.process == nil {
            if let host = c.spec.launchedBy, let pid = found[host] { found[c.spec.component] = pid }
        }
        roots.withLock { $0 = found }
    }

    /// The host pid of container pid `inner` of one of `components`; a pid the watcher has not
    /// reported yet (a replacement's first requests) is looked up under the components'
    /// container roots in /proc and remembered. Else `inner` itself.
    func resolve(_ inner: Int32, among components: [String]) -> Int32 {
        let map = self.map
        for c in components { if let host = map.hostPid(of: inner, in: c) { return host } }
        let known = roots.withLock { $0 }
        for c in components {
            guard let root = known[c], let host = ContainerPid.hostPid(of: inner, under: root) else { continue }
            record(component: c, inner: inner, host: host)
            return host
        }
        return inner
    }
}
