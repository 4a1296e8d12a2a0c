import Foundation
import Live
import StackModel
import StackRecipes
import Supervision
import Traffic

/// slow-request-timeout: which hop answered the slow request, from the servers' own access
/// logs (the front's status and, for nginx, the status it got upstream; the app server's line).
public enum SlowRequestHops {
    /// `slow` with the access logs' statuses and the app server's timeout filled in.
    public static func fill(_ slow: DrillReport.SlowRequest, live: LiveStack, plan: DrillPlan)
        -> DrillReport.SlowRequest
    {
        var out = slow
        if let c = live.topology.component(plan.component), case let .seconds(s, _) = RequestTimeouts.appServer(c) {
            out.timeoutSeconds = s
        }
        if plan.frontDoor != plan.component, let line = lastLine(live, component: plan.frontDoor, path: slow.path) {
            let fields = AccessLogParser.parse(line)
            out.frontStatus = fields.map { String($0.status) } ?? "unreadable line"
            if live.topology.component(plan.frontDoor)?.kind == .nginx {
                out.upstreamStatus = fields?.upstreamStatus.map(String.init) ?? "-"
            }
        } else if plan.frontDoor != plan.component {
            out.frontStatus = "no line"
        }
        if hasAccessLog(live, plan.component) {
            if let line = lastLine(live, component: plan.component, path: slow.path) {
                out.appStatus = AccessLogParser.parse(line).map { String($0.status) } ?? "unreadable line"
            } else {
                out.appStatus = "no line (the worker logged nothing for it)"
            }
        }
        return out
    }

    private static func accessLogPath(_ live: LiveStack, _ component: String) -> String? {
        guard let rel = live.prepared?.plan.processes.first(where: { $0.component == component })?.accessLog else {
            return nil
        }
        return rel.hasPrefix("/") ? rel : live.runDir + "/" + rel
    }

    private static func hasAccessLog(_ live: LiveStack, _ component: String) -> Bool {
        accessLogPath(live, component) != nil
    }

    /// The last line of `component`'s access log that names `path` (the log's last 256 KiB).
    private static func lastLine(_ live: LiveStack, component: String, path: String) -> String? {
        guard let file = accessLogPath(live, component), let handle = FileHandle(forReadingAtPath: file) else {
            return nil
        }
        defer { try? handle.close() }
        let size = (try? handle.seekToEnd()) ?? 0
        try? handle.seek(toOffset: size > 262_144 ? size - 262_144 : 0)
        guard let data = try? handle.readToEnd(), let text = String(data: data, encoding: .utf8) else { return nil }
        let needle = "GET " + path + " "
        return text.split(separator: "\n").last { $0.contains(needle) }.map(String.init)
    }
}
