import Foundation
import Yams

/// The keys of one scenario file, read and checked one by one (see `ScenarioLoader`).
struct ScenarioFields {
    private(set) var nameAt: SourceLocation
    private var name: String
    private var description: String?
    private var actionName: String?
    private var actionAt: SourceLocation
    private var byKey: [String: Entry] = [:]

    init(path: String, root: Node, entries: [Entry], reader: inout NodeReader) {
        nameAt = SourceLocation(file: path, line: 1, column: 1)
        actionAt = reader.location(root)
        name = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        byKey = Dictionary(entries.map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
        if let e = byKey["name"] {
            nameAt = reader.location(e.value)
            if let value = reader.string(e) { name = value }
        }
        if !ScenarioLoader.isValidName(name) {
            let what =
                byKey["name"] == nil ? "the file name gives the scenario name '\(name)'" : "bad scenario name '\(name)'"
            reader.error(nameAt, "\(what): use lowercase letters, digits and single '-', starting with a letter")
        } else if DrillScenario.builtIn.contains(where: { $0.name == name }) {
            reader.error(nameAt, "'\(name)' is a built-in scenario: give yours another name")
        }
        if let e = byKey["description"] {
            if let value = reader.string(e) {
                let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
                if trimmed.isEmpty {
                    reader.error(
                        e.keyLocation, "'description' must not be empty: say what the drill does and what to look for")
                } else {
                    description = trimmed
                }
            }
        } else {
            reader.error(reader.location(root), "missing 'description': say what the drill does and what to look for")
        }
        if let e = byKey["action"] {
            actionAt = reader.location(e.value)
            if let value = reader.string(e) {
                if DrillScenario.Action.names.contains(value) {
                    actionName = value
                } else {
                    reader.error(
                        actionAt,
                        "unknown action '\(value)'\(Suggestions.hint(for: value, among: DrillScenario.Action.names))")
                }
            }
        } else {
            reader.error(
                reader.location(root), "missing 'action': one of \(DrillScenario.Action.names.joined(separator: ", "))")
        }
    }

    /// The scenario, or nil when a required part is missing (already reported).
    mutating func build(reader: inout NodeReader) -> DrillScenario? {
        let action = readAction(reader: &reader)
        var target: String?
        if let e = byKey["target"], let value = reader.string(e) {
            if ComponentDraft.isValidName(value) {
                target = value
            } else {
                reader.error(
                    reader.location(e.value),
                    "bad target '\(value)': a component name (lowercase letters, digits and '-')")
            }
        }
        // recycle compares against a window before the reload: its warm-up holds that window.
        let warmup =
            ms("warmup_ms", 0...600_000, reader: &reader)
            ?? (action == .recycle ? DrillScenario.recycleWarmupMs : DrillScenario.defaultWarmupMs)
        // slow-request-timeout waits for an answer past gunicorn's 30 s timeout by default.
        let timeout =
            ms("timeout_ms", 1_000...600_000, reader: &reader)
            ?? (action == .slowRequestTimeout ? DrillScenario.slowRequestTimeoutMs : DrillScenario.defaultTimeoutMs)
        let quiet = ms("quiet_ms", 100...60_000, reader: &reader) ?? DrillScenario.defaultQuietMs
        if quiet >= timeout, let e = byKey["quiet_ms"] ?? byKey["timeout_ms"] {
            reader.error(reader.location(e.value), "quiet_ms (\(quiet)) must be shorter than timeout_ms (\(timeout))")
        }
        guard let action, let description else { return nil }
        return DrillScenario(
            name: name, description: description, action: action, target: target,
            warmupMs: warmup, timeoutMs: timeout, quietMs: quiet)
    }

    /// The action with its parameters; keys that do not apply to it are reported.
    private mutating func readAction(reader: inout NodeReader) -> DrillScenario.Action? {
        let applies: [String: [String]] = [
            "signal": ["kill-worker", "kill-all-workers", "kill-master", "kill-front", "kill-supervisor"],
            "seconds": ["stop-worker"],
            "requests": ["crash-inside"],
        ]
        for (key, actions) in applies.sorted(by: { $0.key < $1.key }) {
            guard let e = byKey[key], let name = actionName, !actions.contains(name) else { continue }
            reader.error(
                e.keyLocation, "'\(key)' does not apply to \(name): it is for \(actions.joined(separator: ", "))")
            byKey[key] = nil
        }
        var signal = DrillSignal.kill
        if let e = byKey["signal"], let text = reader.string(e) {
            if let number = DrillSignal.number(text) {
                signal = number
            } else if [DrillSignal.stop, DrillSignal.cont].contains(DrillSignal.anyNumber(text) ?? 0) {
                reader.error(
                    reader.location(e.value),
                    "signal '\(text)' freezes or continues a process instead of ending it: use 'action: stop-worker'")
            } else {
                let hint = Suggestions.hint(
                    for: text.uppercased().replacingOccurrences(of: "SIG", with: ""),
                    among: DrillSignal.usableNames)
                reader.error(reader.location(e.value), "unknown signal '\(text)'\(hint)")
            }
        }
        var seconds = 5.0
        if let e = byKey["seconds"], reader.string(e) != nil {
            if let value = Self.plainNumber(e.value), value > 0, value <= 600 {
                seconds = value
            } else {
                reader.error(
                    reader.location(e.value),
                    "seconds must be a number above 0 and at most 600, got \(NodeReader.describe(e.value))")
            }
        }
        var requests = 1
        if let e = byKey["requests"], let value = reader.int(e) {
            if (1...100).contains(value) {
                requests = value
            } else {
                reader.error(reader.location(e.value), "requests must be between 1 and 100, got \(value)")
            }
        }
        switch actionName {
        case "kill-worker": return .killWorker(signal: signal)
        case "kill-all-workers": return .killAllWorkers(signal: signal)
        case "kill-master": return .killMaster(signal: signal)
        case "kill-front": return .killFront(signal: signal)
        case "kill-supervisor": return .killSupervisor(signal: signal)
        case "stop-worker": return .stopWorker(seconds: seconds)
        case "crash-inside": return .crashInside(requests: requests)
        case "crash-loop": return .crashLoop
        case "reload-app": return .reloadApp
        case "reload-front": return .reloadFront
        case "restart-app": return .restartApp
        case "deploy": return .deploy
        case "scale-up": return .scaleUp
        case "scale-down": return .scaleDown
        case "slow-request-timeout": return .slowRequestTimeout
        case "recycle": return .recycle
        default: return nil
        }
    }

    /// An integer number of ms in `range`, or nil (absent, or reported).
    private func ms(_ key: String, _ range: ClosedRange<Int>, reader: inout NodeReader) -> Int? {
        guard let e = byKey[key], let value = reader.int(e) else { return nil }
        guard range.contains(value) else {
            reader.error(
                reader.location(e.value),
                "\(key) must be between \(range.lowerBound) and \(range.upperBound), got \(value)")
            return nil
        }
        return value
    }

    /// A plain (unquoted) decimal number such as `5` or `0.5`.
    static func plainNumber(_ node: Node) -> Double? {
        guard let scalar = node.scalar, scalar.style == .plain || scalar.style == .any else { return nil }
        let text = scalar.string
        guard !text.isEmpty, text.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }),
            text.filter({ $0 == "." }).count <= 1
        else { return nil }
        return Double(text)
    }
}
