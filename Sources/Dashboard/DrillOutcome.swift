import Supervision

/// How a drill ended, as the dashboard shows it: a verdict, a one-line summary for the footer,
/// and the report's text lines for the timeline.
public struct DrillOutcome: Sendable, Equatable {
    /// The drill's verdict, which sets the tone of the summary and of the report's first line.
    public enum Verdict: String, Sendable, Equatable {
        /// Every slot serves again and no errors for the quiet period.
        case recovered
        /// Still broken when the timeout ran out (the report says what is wrong).
        case notRecovered = "did not recover"
        /// Ended early (quit, the stack stopped): the report says what was known then.
        case interrupted
        /// The scenario did not apply once resolved against the stack.
        case refused
        /// The drill could not run (an error before the fault).
        case failed

        var tone: Tone {
            switch self {
            case .recovered: return .good
            case .notRecovered, .refused, .failed: return .bad
            case .interrupted: return .warn
            }
        }
    }

    public var scenario: String
    public var verdict: Verdict
    /// One line: "recovered in 412 ms · 3 failed (502×3)"; shown until the next key.
    public var summary: String
    /// The human report, a dozen lines readable at 80 columns; it stays in the timeline.
    public var lines: [String]

    public init(scenario: String, verdict: Verdict, summary: String, lines: [String] = []) {
        self.scenario = scenario
        self.verdict = verdict
        self.summary = summary
        self.lines = lines
    }
}

extension DrillOutcome {
    /// The dashboard's view of a drill's report: the verdict (`stopped`: ended early by a quit),
    /// a one-line summary, and the report's lines unwrapped (the timeline wraps them).
    public init(_ report: DrillReport, stopped: Bool) {
        let verdict: Verdict = report.recovered ? .recovered : (stopped ? .interrupted : .notRecovered)
        var summary: String
        switch verdict {
        case .recovered: summary = "recovered in \(report.recoveredMs.map { "\($0) ms" } ?? "?")"
        case .interrupted: summary = "stopped before it recovered"
        default: summary = "did not recover within \(report.timeoutMs / 1000) s"
        }
        let failed = report.failedRequests
        summary += " · \(failed) failed"
        let kinds = DrillReport.orderedKinds(report.failures).map { "\($0.kind)×\($0.count)" }
        if !kinds.isEmpty { summary += " (" + kinds.joined(separator: " ") + ")" }
        if verdict == .notRecovered, let wrong = report.stillWrong.first { summary += " · " + wrong }
        self.init(
            scenario: report.scenario, verdict: verdict, summary: summary,
            lines: Array(report.textLines(width: Int.max / 2).dropFirst()))
    }
}
