import StackModel
import Supervision
import StackRecipes

/// The event timeline: what happened to the stack and what the operator did, newest last.
///
/// An action is written the moment its key is pressed (pending); the `fault` event the wiring
/// sends after carrying it out confirms that entry instead of adding a second one.
public struct Timeline: Sendable, Equatable {
    /// One line of the timeline.
    public struct Entry: Sendable, Equatable {
        public var tMs: Int
        public var text: String
        public var tone: Tone
        public var pid: Int32?
        /// The fault action ("SIGKILL") of an operator entry not yet confirmed by a `fault` event.
        public var pendingAction: String?
        /// Set on the lines of a drill report: drawn as one block, kept when older lines are dropped.
        public var block: Block?
    }

    /// Where a line sits in a drill report's block.
    public enum Block: Sendable, Equatable {
        /// The report's title line ("drill kill-worker: recovered in 412 ms").
        case head
        /// One of the report's text lines under it.
        case body
    }

    public let capacity: Int
    public private(set) var entries: [Entry] = []

    public init(capacity: Int = 500) {
        self.capacity = max(1, capacity)
    }

    /// Writes an operator action at once: `action` like "SIGKILL", `target` like "app worker 4313".
    public mutating func recordAction(_ action: String, target: String, pid: Int32?, at now: Int) {
        append(
            Entry(tMs: now, text: "\(action) → \(target)", tone: .accent, pid: pid, pendingAction: action, block: nil))
    }

    /// Writes a note (a refused key, a rate change).
    public mutating func note(_ text: String, tone: Tone = .plain, at now: Int) {
        append(Entry(tMs: now, text: text, tone: tone, pid: nil, pendingAction: nil, block: nil))
    }

    /// Writes a drill report as one block: `title` on the first line, then `lines`, all at `now`.
    public mutating func recordReport(title: String, lines: [String], tone: Tone, at now: Int) {
        append(Entry(tMs: now, text: title, tone: tone, pid: nil, pendingAction: nil, block: .head))
        for line in lines {
            append(Entry(tMs: now, text: line, tone: .plain, pid: nil, pendingAction: nil, block: .body))
        }
    }

    /// Writes one stack event; a `fault` matching a pending action confirms it instead.
    public mutating func record(_ event: StackEvent) {
        if case let .fault(action, detail) = event.kind,
            let i = entries.lastIndex(where: { $0.pendingAction == action && $0.pid == event.pid })
        {
            entries[i].pendingAction = nil
            if !detail.isEmpty { entries[i].text += " (\(detail))" }
            return
        }
        guard let (text, tone) = Self.describe(event) else { return }
        append(Entry(tMs: event.tMs, text: text, tone: tone, pid: event.pid, pendingAction: nil, block: nil))
    }

    /// Appends a line; when over capacity the oldest line outside a report goes first, so drill
    /// reports stay (until reports alone fill the timeline).
    private mutating func append(_ entry: Entry) {
        entries.append(entry)
        while entries.count > capacity {
            entries.remove(at: entries.firstIndex { $0.block == nil } ?? 0)
        }
    }

    /// The line and tone for an event; nil for events the timeline leaves out.
    static func describe(_ e: StackEvent) -> (String, Tone)? {
        switch e.kind {
        case let .stack(topology, runDir, url):
            // An attached deploy has no run dir of stacktop's.
            return (
                runDir.isEmpty
                    ? "\(topology) at \(url): watching, q detaches and leaves it running"
                    : "launched \(topology) at \(url)", .accent
            )
        case let .starting(argv, _):
            let container = ContainerPlacement.name(inRunArgv: argv).map { " in container \($0)" } ?? ""
            return ("starting \(e.component ?? "?")\(container)", container.isEmpty ? .muted : .accent)
        case let .ready(afterMs, _):
            return ("\(e.component ?? "?") ready in \(afterMs) ms", .good)
        case let .stopped(clean, detail):
            return (
                "stack stopped" + (clean ? "" : " (forced)") + (detail.isEmpty ? "" : ": \(detail)"),
                clean ? .muted : .warn
            )
        case let .error(message, logTail):
            return ("error: \(message)" + (logTail.last.map { " — \($0)" } ?? ""), .bad)
        case .traffic:
            return nil  // once a second: the traffic panel shows it
        default:
            return EventText.sentence(for: e).map { ($0, tone(of: e.kind)) }
        }
    }

    /// The tone of an event written in `EventText`'s words.
    private static func tone(of kind: StackEvent.Kind) -> Tone {
        switch kind {
        case .building, .fault: return .accent
        case .spawned, .detached: return .muted
        case .exited, .orphaned: return .warn
        case .replaced: return .good
        case .crashLooping, .down: return .bad
        case let .health(_, answering, _): return answering ? .good : .bad
        default: return .plain
        }
    }
}
