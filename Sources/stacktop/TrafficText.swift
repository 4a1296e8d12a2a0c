import Supervision

/// The human lines of `traffic` events for `stacktop up`: one compact line a second
/// (`traffic 20.0 rps p50 3.1 ms p99 12 ms 200×20 · workers 4311×10 4312×10 · front (nginx) 20 req`)
/// and the totals before `stopped`.
enum TrafficText {
    /// The line for `t`; "" for a second in which nothing happened (no load, no request logged).
    static func text(for t: StackEvent.Traffic) -> String {
        t.final ? totals(t) : second(t)
    }

    static func second(_ t: StackEvent.Traffic) -> String {
        let front = t.logs.first { $0.frontDoor }
        let g = t.requests
        let ours = t.load || g.samples > 0
        guard ours || (front?.window.requests ?? 0) > 0 else { return "" }
        var parts: [String] = []
        if ours {
            var head = "traffic \(one(g.rps)) rps"
            if let p50 = g.p50Ms { head += " p50 \(ms(p50))" }
            if let p99 = g.p99Ms { head += " p99 \(ms(p99))" }
            head += counts(g.byStatus, prefix: " ")
            head += counts(g.byError, prefix: " no answer ")
            parts.append(head)
            if !g.byWorker.isEmpty { parts.append("workers" + counts(g.byWorker, prefix: " ")) }
            if !g.byVersion.isEmpty {
                parts.append(
                    "app version "
                        + g.byVersion.sorted { $0.key < $1.key }.map { "v\($0.key)×\($0.value)" }.joined(separator: " ")
                )
            }
        } else {
            parts.append("traffic (other clients)")
        }
        if let front { parts.append(log(front, showWorkers: !ours)) }
        return parts.joined(separator: " · ") + "\n"
    }

    /// `front (nginx) 20 req p99 12 ms upstream p99 11 ms 200×18 502×2 (2 by nginx itself)`.
    static func log(_ log: StackEvent.Traffic.Log, showWorkers: Bool) -> String {
        let l = log.window
        var s = "\(log.component) (\(log.server)) \(l.requests) req"
        if let p99 = l.p99Ms { s += " p99 \(ms(p99))" }
        if let up = l.upstreamP99Ms { s += " upstream p99 \(ms(up))" }
        s += counts(l.byStatus, prefix: " ")
        if l.frontErrors > 0 { s += " (\(l.frontErrors) by \(log.server) itself)" }
        if showWorkers && !l.byWorker.isEmpty { s += " · workers" + counts(l.byWorker, prefix: " ") }
        return s
    }

    /// The run's totals, one line for the generator and one per access log.
    static func totals(_ t: StackEvent.Traffic) -> String {
        var lines: [String] = []
        let g = t.requests
        if g.samples > 0 {
            var s = "traffic totals: sent \(g.samples), answered \(g.byStatus.values.reduce(0, +))"
            s += counts(g.byStatus, prefix: " ")
            let errors = g.byError.values.reduce(0, +)
            s += errors == 0 ? ", no errors" : ", \(errors) without answer" + counts(g.byError, prefix: " ")
            if let p50 = g.p50Ms, let p99 = g.p99Ms { s += ", p50 \(ms(p50)) p99 \(ms(p99))" }
            if let max = g.maxMs { s += " max \(ms(max))" }
            lines.append(s)
        }
        for log in t.logs {
            let l = log.window
            var s = "access log \(log.component) (\(log.server)): \(l.lines) lines, \(l.requests) requests"
            s += counts(l.byStatus, prefix: " ")
            if l.frontErrors > 0 { s += ", \(l.frontErrors) 5xx by \(log.server) itself" }
            if l.appErrors > 0 { s += ", \(l.appErrors) 5xx by the app" }
            if l.probes > 0 { s += ", \(l.probes) stacktop probes" }
            lines.append(s)
        }
        return lines.isEmpty ? "" : lines.joined(separator: "\n") + "\n"
    }

    /// ` 200×18 502×2` (keys sorted), "" when empty.
    static func counts<K: Comparable & CustomStringConvertible>(_ d: [K: Int], prefix: String) -> String {
        guard !d.isEmpty else { return "" }
        return prefix + d.sorted { $0.key < $1.key }.map { "\($0.key)×\($0.value)" }.joined(separator: " ")
    }

    /// `3.1 ms` under 10 ms, `12 ms` above.
    static func ms(_ v: Double) -> String {
        v < 10 ? "\(one(v)) ms" : "\(Int(v.rounded())) ms"
    }

    /// One decimal: `20.0`.
    static func one(_ v: Double) -> String {
        let tenths = Int((v * 10).rounded())
        return "\(tenths / 10).\(abs(tenths % 10))"
    }
}
