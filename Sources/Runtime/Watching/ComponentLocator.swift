import StackRecipes

/// Finds the processes of a component that another component started (supervisord's programs,
/// Apache's mod_wsgi daemons, lighttpd's flup backends) by the command lines its spec claims.
public struct ComponentLocator: Sendable {
    public var table: any ProcessTable

    public init(table: any ProcessTable = LinuxProcessTable()) { self.table = table }

    /// The live processes of `session` whose command line `spec` claims.
    public func claimed(by spec: ProcessSpec, inSession session: Int32) -> [ProcessRecord] {
        guard !spec.claimMarkers.isEmpty else { return [] }
        return table.liveMembers(ofSessions: [session]).filter { record in
            table.commandLine(of: record.pid).map { spec.claims(commandLine: $0) } ?? false
        }
    }

    /// The component's root: the one claimed process whose parent is not claimed too; nil when
    /// there is none or several (mod_wsgi daemons are siblings under Apache).
    public func root(of spec: ProcessSpec, inSession session: Int32) -> Int32? {
        let claimed = claimed(by: spec, inSession: session)
        let pids = Set(claimed.map(\.pid))
        let roots = claimed.filter { !pids.contains($0.ppid) }
        return roots.count == 1 ? roots[0].pid : nil
    }
}
