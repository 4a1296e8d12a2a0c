import Runtime
import Synchronization
import Traffic

/// Container pid → host pid of a container stack's processes, per component, from `spawned`
/// events (a `ContainerPidMap` shared between the event sink and the traffic threads).
public final class ContainerPids: Sendable {
    private let state = Mutex(ContainerPidMap())
    /// Each component's container root (host pid), once launched.
    private let roots = Mutex<[String: Int32]>([:])
    /// When /proc last had no process for a container pid: not looked up again for 50 ms (a
    /// pid that never resolves costs one small /proc walk per 50 ms, not one per request).
    private let misses = Mutex<[Int32: UInt64]>([:])

    public func record(component: String, inner: Int32, host: Int32) {
        state.withLock { $0.record(component: component, inner: inner, host: host) }
    }

    /// A copy of the map as it is now.
    public var map: ContainerPidMap { state.withLock { $0 } }

    /// Learns each component's container root from `stack` (a hosted component's is its host's).
    public func learnRoots(_ stack: RunningStack) {
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
    public func resolve(_ inner: Int32, among components: [String]) -> Int32 {
        let map = self.map
        for c in components { if let host = map.hostPid(of: inner, in: c) { return host } }
        let now = Stopwatch.nowNs()
        if let last = misses.withLock({ $0[inner] }), now &- last < 50_000_000 { return inner }
        let known = roots.withLock { $0 }
        for c in components {
            guard let root = known[c], let host = ContainerPid.hostPid(of: inner, under: root) else { continue }
            record(component: c, inner: inner, host: host)
            return host
        }
        misses.withLock { $0[inner] = now }
        return inner
    }
}
