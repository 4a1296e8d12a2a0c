import StackModel

/// Which host pid each container pid of a container stack is, per component.
///
/// A process in a container knows only its own PID namespace: the demo app's `X-Worker-Pid`
/// header and the servers' access logs (gunicorn's `%(p)s`, uWSGI's `%(pid)`, nginx's `$pid`)
/// carry the pid inside the container, while stacktop watches, signals and counts host pids.
/// The map is fed from what the host sees (`/proc/PID/status`'s `NSpid`, carried by `spawned`
/// events) and keyed by component, because in a pod each component's container has a PID
/// namespace of its own: the front's pid 2 and the app's pid 2 are different processes.
/// A replacement that gets the same container pid overwrites its predecessor's entry.
///
/// Every pid these carry is an app server's (a front server logs the `X-Worker-Pid` its upstream
/// answered with), so a log's pids are looked up among the app servers its component reaches.
public struct ContainerPidMap: Sendable, Equatable {
    private var byComponent: [String: [Int32: Int32]] = [:]

    public init() {}

    /// Records that `component`'s process `host` is `inner` in its container.
    public mutating func record(component: String, inner: Int32, host: Int32) {
        byComponent[component, default: [:]][inner] = host
    }

    /// The host pid of `component`'s container pid `inner`, else nil.
    public func hostPid(of inner: Int32, in component: String) -> Int32? {
        byComponent[component]?[inner]
    }

    /// The host pid of container pid `inner` in the first of `components` that has it, else
    /// `inner` itself (a pid seen before its `spawned` event, or a host stack's own pid).
    public func hostPid(of inner: Int32, among components: [String]) -> Int32 {
        for c in components { if let host = hostPid(of: inner, in: c) { return host } }
        return inner
    }

    /// The app servers whose pids `component`'s access log carries: itself if it is one, else
    /// those it forwards to, else every app server.
    public static func appServers(loggedBy component: String, in topology: Topology) -> [String] {
        let apps = topology.appServers.map(\.name)
        if apps.contains(component) { return [component] }
        let reached = (topology.component(component)?.upstream ?? []).filter { apps.contains($0) }
        return reached.isEmpty ? apps : reached
    }
}
