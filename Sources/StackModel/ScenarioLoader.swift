import Yams

/// Reads a user's drill scenario file (one scenario per YAML file), collecting every problem.
///
/// ```yaml
/// name: kill-worker-term          # optional; default: the file's stem (kebab-case)
/// description: >                  # required: what it does and what to look for
///   SIGTERM one worker: a graceful exit, so no request should fail.
/// action: kill-worker             # kill-worker kill-all-workers kill-master kill-front
///                                 # kill-supervisor stop-worker crash-inside crash-loop
///                                 # reload-app reload-front restart-app deploy scale-up scale-down
/// signal: TERM                    # kill-* only (default KILL): a name (TERM, SIGQUIT) or number
/// seconds: 5                      # stop-worker only (default 5): how long the worker stays stopped
/// requests: 3                     # crash-inside only (default 1): how many GET /crash
/// target: app                     # optional component name (default: per action)
/// warmup_ms: 3000                 # load before the fault (default 3000)
/// timeout_ms: 15000               # "did not recover within" (default 15000)
/// quiet_ms: 1000                  # no failed request this long = recovered (default 1000)
/// ```
/// Problems are `Diagnostic`s at FILE:LINE:COL, thrown together as `TopologyErrors`.
public enum ScenarioLoader {
    static let keys = [
        "name", "description", "action", "signal", "seconds", "requests", "target",
        "warmup_ms", "timeout_ms", "quiet_ms",
    ]

    /// Parses `text`, the contents of `path`.
    public static func load(text: String, path: String) throws(TopologyErrors) -> DrillScenario {
        try loadLocated(text: text, path: path).scenario
    }

    /// The scenario and where its name comes from (the `name:` value, else 1:1).
    package static func loadLocated(text: String, path: String) throws(TopologyErrors) -> (
        scenario: DrillScenario, nameAt: SourceLocation
    ) {
        let start = SourceLocation(file: path, line: 1, column: 1)
        let (root, duplicates, syntaxError) = TopologyLoader.compose(text, path: path)
        if let syntaxError { throw TopologyErrors([syntaxError]) }
        var reader = NodeReader(file: path, duplicates: duplicates)
        guard let root, !NodeReader.isNull(root) else {
            throw TopologyErrors([Diagnostic(start, "the file is empty: a scenario needs 'description' and 'action'")])
        }
        guard root.mapping != nil else {
            throw TopologyErrors([
                Diagnostic(
                    reader.location(root),
                    "a scenario must be a mapping with 'description' and 'action', got \(NodeReader.describe(root))")
            ])
        }
        guard
            let raw = reader.entries(
                of: root, named: "the top level",
                duplicateMessage: { key, line in
                    "duplicate key '\(key)' (first on line \(line))"
                })
        else { throw TopologyErrors(reader.diagnostics) }
        let entries = reader.known(raw, allowed: keys, context: "")
        var fields = ScenarioFields(path: path, root: root, entries: entries, reader: &reader)
        let scenario = fields.build(reader: &reader)
        if !reader.diagnostics.isEmpty { throw TopologyErrors(reader.diagnostics) }
        guard let scenario else { throw TopologyErrors([Diagnostic(start, "not a scenario")]) }
        return (scenario, fields.nameAt)
    }

    /// Whether `name` is kebab-case: `[a-z][a-z0-9-]*`.
    public static func isValidName(_ name: String) -> Bool {
        ComponentDraft.isValidName(name) && !name.hasSuffix("-") && !name.contains("--")
    }
}
