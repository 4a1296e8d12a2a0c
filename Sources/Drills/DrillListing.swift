import Live
import Live
import Runtime
import StackFiles
import StackModel
import StackRecipes
import Supervision

/// `drill --list [TOPOLOGY]` (and `compare --list`): the scenarios, and with a topology which
/// of them apply to it and, for the others, why not.
public enum DrillListing {
    /// The scenarios of the project (built-in, then topologies/scenarios/*.yaml).
    public static func catalog() throws -> [DrillScenario] {
        guard let paths = ProjectPaths.discover() else {
            throw CLIError(TopologySourceError.noProject.description)
        }
        do {
            return try DrillScenarios.all(scenariosDir: paths.topologies + "/scenarios")
        } catch {
            throw CLIError("\(error)")
        }
    }

    /// The listing as printed: one line per scenario (JSON Lines with `json`), newline-ended.
    public static func text(topology: String?, json: Bool) throws -> String {
        let all = try catalog()
        var verdicts: [String: String] = [:]  // scenario -> refusal reason
        var stackName: String?
        if let topology {
            let (loaded, plan) = try planOnly(topology)
            stackName = loaded.name
            let shape = expectedShape(loaded, plan: plan)
            for s in all {
                if case let .failure(refusal) = DrillPlan.resolve(s, topology: loaded, components: shape) {
                    verdicts[s.name] = refusal.reason
                }
            }
        }
        if json {
            var lines = ""
            for s in all {
                var fields: [(String, JSONValue)] = [
                    ("type", .string("scenario")), ("name", .string(s.name)),
                    ("action", .string(s.action.name)),
                    ("built_in", .bool(s.isBuiltIn)),
                    ("description", .string(s.description)),
                ]
                if let stackName {
                    fields.append(("topology", .string(stackName)))
                    fields.append(("applies", .bool(verdicts[s.name] == nil)))
                    if let why = verdicts[s.name] { fields.append(("refused", .string(why))) }
                }
                lines += JSONValue.object(fields).encoded + "\n"
            }
            return lines
        }
        var out: [String] = [stackName.map { "Scenarios for \($0):" } ?? "Scenarios:"]
        for s in all {
            var head = "  " + s.name
            if !s.isBuiltIn { head += " (topologies/scenarios)" }
            if stackName != nil { head += verdicts[s.name].map { ": refused, \($0)" } ?? ": applies" }
            out.append(head)
            out += wrap(s.description, width: 74).map { "      " + $0 }
        }
        out.append(
            "Run one: stacktop drill TOPOLOGY --scenario NAME   (compare: stacktop compare T1 T2 --scenario NAME)")
        return out.joined(separator: "\n") + "\n"
    }

    /// What the stack's components look like once launched, from its plan: each component's
    /// root with its role and, for kinds with workers, its worker processes, as the observer
    /// would see them (placeholder pids: only whether a scenario applies is read, never a pid).
    public static func expectedShape(_ topology: Topology, plan: Plan) -> [ComponentView] {
        var nextPid: Int32 = 1_000_000
        var processes: [ObservedProcess] = []
        func add(_ component: String, _ role: ProcessRole, depth: Int, ppid: Int32) -> Int32 {
            nextPid += 1
            processes.append(
                ObservedProcess(
                    pid: nextPid, ppid: ppid, startTime: UInt64(nextPid), component: component,
                    role: role, depth: depth, commandLine: component))
            return nextPid
        }
        for c in topology.components {
            let root = plan.processes.first { $0.component == c.name }?.roles.root ?? .master
            let workers = c.kind.hasWorkers ? (c.workers ?? 2) : 0
            if root == .worker {
                // Single-process servers and hosted daemons: each worker is a root of its own.
                for _ in 0..<max(1, workers) { _ = add(c.name, .worker, depth: 0, ppid: 1) }
            } else {
                let top = add(c.name, root, depth: 0, ppid: 1)
                for _ in 0..<workers { _ = add(c.name, .worker, depth: 1, ppid: top) }
            }
        }
        var observer = StackObserver(components: topology.components.map(\.name))
        _ = observer.handle(.scanned(ProcessSnapshot(processes)), at: 0)
        return observer.components
    }

    /// Why `scenario` cannot apply to `topology` judging by its plan alone (before launching
    /// it); nil when it may apply, or when the topology does not load (the launch says why).
    public static func refusal(of scenario: DrillScenario, topology: String) -> DrillRefusal? {
        guard let (loaded, plan) = try? planOnly(topology) else { return nil }
        if case let .failure(refusal) = DrillPlan.resolve(
            scenario, topology: loaded,
            components: expectedShape(loaded, plan: plan))
        {
            return refusal
        }
        return nil
    }

    /// The topology and its plan, rendered for a directory that is never created (nothing is
    /// written, nothing launched).
    private static func planOnly(_ nameOrPath: String) throws -> (Topology, Plan) {
        let loaded: TopologySource
        do { loaded = try TopologySource.load(nameOrPath) } catch { throw CLIError("\(error)") }
        do {
            let context = try LaunchPreparation(paths: loaded.paths)
                .configContext(loaded.topology, directory: "/nonexistent/stacktop-drill-list")
            return (loaded.topology, try Recipes.plan(for: loaded.topology, context: context))
        } catch {
            throw CLIError("\(loaded.topology.name): \(error)")
        }
    }

    private static func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ") {
            if !line.isEmpty && line.count + 1 + word.count > width {
                lines.append(line)
                line = ""
            }
            line += (line.isEmpty ? "" : " ") + word
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }
}
