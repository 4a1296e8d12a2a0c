import Foundation
import Yams

/// Reads the top level of a topology file: name, description, app, components and traffic.
struct DocumentReader {
    static let topKeys = ["name", "description", "app", "components", "traffic", "container"]

    var name: String
    var description = ""
    var app: AppSpec
    var traffic = TrafficSpec()
    var components: [ComponentDraft] = []
    /// `container: true` (one container image) or `container: pod` (one container per component).
    var container: ContainerLayout?
    /// Where `container:` was written, for the container rules' messages.
    var containerLocation: SourceLocation?
    /// Where `components:` was written (1:1 when missing), for stack-wide messages.
    var componentsLocation: SourceLocation

    /// Reads `root` (the composed document, nil for an empty file) of the file at `path`.
    init(root: Node?, path: String, demoAppDirectory: String, reader: inout NodeReader) {
        let start = SourceLocation(file: path, line: 1, column: 1)
        let fileURL = URL(fileURLWithPath: path)
        name = fileURL.deletingPathExtension().lastPathComponent
        app = AppSpec(module: "app:app", directory: Self.standardized(demoAppDirectory), isDemo: true)
        componentsLocation = start
        guard let root, !NodeReader.isNull(root) else {
            reader.error(start, "the file is empty: a topology needs 'description' and 'components'")
            return
        }
        guard root.mapping != nil else {
            reader.error(
                reader.location(root),
                "a topology must be a mapping with 'description' and 'components', got \(NodeReader.describe(root))")
            return
        }
        guard
            let raw = reader.entries(
                of: root, named: "the top level",
                duplicateMessage: { key, line in
                    "duplicate key '\(key)' (first on line \(line))"
                })
        else { return }
        let entries = reader.known(raw, allowed: Self.topKeys, context: "")
        let byKey = Dictionary(entries.map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
        if let e = byKey["name"], let value = reader.string(e) {
            if Self.isValidTopologyName(value) {
                name = value
            } else {
                reader.error(reader.location(e.value), "bad name '\(value)': use letters, digits, '.', '_' and '-'")
            }
        }
        if let e = byKey["description"] {
            if let value = reader.string(e) {
                if value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                    reader.error(
                        e.keyLocation,
                        "'description' must not be empty: say what the stack is, why people pick it and what happens when its parts die"
                    )
                } else {
                    description = value.trimmingCharacters(in: .whitespacesAndNewlines)
                }
            }
        } else {
            reader.error(
                reader.location(root),
                "missing 'description': say what the stack is, why people pick it and what happens when its parts die")
        }
        if let e = byKey["app"] {
            readApp(e, baseDirectory: fileURL.deletingLastPathComponent(), demo: demoAppDirectory, reader: &reader)
        }
        if let e = byKey["traffic"] { readTraffic(e, reader: &reader) }
        if let e = byKey["container"] {
            containerLocation = e.keyLocation
            container = Self.containerLayout(e, reader: &reader)
        }
        guard let e = byKey["components"] else {
            reader.error(reader.location(root), "missing 'components': a topology needs at least one server")
            return
        }
        componentsLocation = e.keyLocation
        guard
            let list = reader.entries(
                of: e.value, named: "components",
                duplicateMessage: { key, line in
                    "duplicate component '\(key)' (first declared on line \(line))"
                })
        else { return }
        if list.isEmpty { reader.error(e.keyLocation, "'components' must list at least one server") }
        components = list.map { ComponentDraft(entry: $0, reader: &reader) }
    }

    /// Reads `container:`: true, false or pod (a misspelt word gets a did-you-mean hint).
    private static func containerLayout(_ e: Entry, reader: inout NodeReader) -> ContainerLayout? {
        guard let text = reader.string(e) else { return nil }
        if let scalar = e.value.scalar, scalar.style == .plain || scalar.style == .any {
            switch text {
            case "true", "True", "TRUE": return .single
            case "false", "False", "FALSE": return nil
            case "pod": return .pod
            default: break
            }
        }
        let hint = Suggestions.hint(for: text, among: ContainerLayout.words)
        reader.error(
            reader.location(e.value),
            "'container' must be true, false or pod, got \(NodeReader.describe(e.value))\(hint)")
        return nil
    }

    /// Reads `app:` — module, dir, venv and health. A `module` without `dir` lives in the
    /// topology file's own directory (never in the demo app's); neither means the demo app.
    private mutating func readApp(_ e: Entry, baseDirectory: URL, demo: String, reader: inout NodeReader) {
        app.locations.section = e.keyLocation
        guard
            let raw = reader.entries(
                of: e.value, named: "app",
                duplicateMessage: { key, line in
                    "duplicate key '\(key)' in 'app' (first on line \(line))"
                })
        else { return }
        let entries = reader.known(raw, allowed: ["module", "dir", "venv", "health"], context: " in 'app'")
        var sawDirectory = false
        var sawModule = false
        for item in entries {
            guard let value = reader.string(item) else { continue }
            let at = reader.location(item.value)
            switch item.key {
            case "module":
                sawModule = true
                app.locations.module = at
                if Self.isValidModule(value) {
                    app.module = value
                } else {
                    reader.error(
                        at,
                        "app module '\(value)' must look like module:callable (e.g. app:app or mypkg.wsgi:application)")
                }
            case "health":
                if let problem = AppSpec.problem(withHealthPath: value) {
                    reader.error(at, "app health path '\(value)' \(problem) (e.g. health: /healthz)")
                } else {
                    app.healthPath = value
                }
            case "dir":
                sawDirectory = true
                app.locations.directory = at
                app.directory = Self.resolve(value, against: baseDirectory)
            default:
                app.locations.venv = at
                app.venv = Self.resolve(value, against: baseDirectory)
            }
        }
        if sawModule && !sawDirectory {
            app.directory = Self.standardized(baseDirectory.path)
        }
        app.isDemo = app.directory == Self.standardized(demo)
    }

    /// Reads `traffic:` — rate and mix.
    private mutating func readTraffic(_ e: Entry, reader: inout NodeReader) {
        guard
            let raw = reader.entries(
                of: e.value, named: "traffic",
                duplicateMessage: { key, line in
                    "duplicate key '\(key)' in 'traffic' (first on line \(line))"
                })
        else { return }
        for item in reader.known(raw, allowed: ["rate", "mix"], context: " in 'traffic'") {
            if item.key == "rate" {
                guard let rate = reader.int(item) else { continue }
                if (1...10000).contains(rate) {
                    traffic.rate = rate
                } else {
                    reader.error(
                        reader.location(item.value), "traffic rate must be between 1 and 10000 requests/s, got \(rate)")
                }
                continue
            }
            guard
                let paths = reader.entries(
                    of: item.value, named: "mix",
                    duplicateMessage: { key, line in
                        "duplicate path '\(key)' in traffic mix (first on line \(line))"
                    })
            else { continue }
            if paths.isEmpty { reader.error(item.keyLocation, "traffic mix must list at least one path") }
            var mix: [WeightedPath] = []
            for path in paths {
                if !path.key.hasPrefix("/") {
                    reader.error(path.keyLocation, "traffic path '\(path.key)' must start with '/'")
                    continue
                }
                guard let weight = NodeReader.plainInt(path.value), weight >= 1 else {
                    reader.error(
                        reader.location(path.value),
                        "weight of '\(path.key)' must be a positive integer, got \(NodeReader.describe(path.value))")
                    continue
                }
                mix.append(WeightedPath(path: path.key, weight: weight))
            }
            if !mix.isEmpty { traffic.mix = mix }
        }
    }

    /// `value` as an absolute, standardized path (relative paths resolve against `base`).
    static func resolve(_ value: String, against base: URL) -> String {
        URL(fileURLWithPath: value, relativeTo: base).standardizedFileURL.path
    }

    static func standardized(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.path
    }

    /// `module:callable` with Python identifiers; the module may be dotted.
    static func isValidModule(_ text: String) -> Bool {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return false }
        let modules = parts[0].split(separator: ".", omittingEmptySubsequences: false)
        return modules.allSatisfy(isIdentifier) && isIdentifier(parts[1])
    }

    private static func isIdentifier(_ text: Substring) -> Bool {
        guard let first = text.unicodeScalars.first, first == "_" || first.properties.isXIDStart else { return false }
        return text.unicodeScalars.allSatisfy { $0 == "_" || $0.properties.isXIDContinue }
    }

    /// A topology name usable in a run directory's name.
    static func isValidTopologyName(_ text: String) -> Bool {
        func alnum(_ c: Unicode.Scalar) -> Bool {
            ("a"..."z").contains(c) || ("A"..."Z").contains(c) || ("0"..."9").contains(c)
        }
        guard let first = text.unicodeScalars.first, alnum(first) else { return false }
        return text.unicodeScalars.allSatisfy { alnum($0) || "._-".unicodeScalars.contains($0) }
    }
}
