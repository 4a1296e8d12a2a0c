import Foundation
import StackFiles
import StackModel
import Supervision

/// What `stacktop list` reports: each topology file, its components, the first sentence of its
/// description, and whether it can run on this machine (and if not, why and how to fix it).
public struct DoctorListing: Sendable, Equatable {
    /// A topology file and what loading it gave.
    public struct File: Sendable {
        public var path: String
        public var result: Result<Topology, TopologyErrors>
        public init(path: String, result: Result<Topology, TopologyErrors>) {
            self.path = path
            self.result = result
        }
    }

    /// One line of the listing.
    public struct Entry: Sendable, Equatable {
        public var name: String
        public var path: String
        /// Component names and their server kinds, in file order (empty for an invalid file).
        public var components: [(name: String, kind: ServerKind)]
        /// The description's first sentence ("" for an invalid file).
        public var summary: String
        /// The file's first diagnostic when it does not load.
        public var diagnostic: Diagnostic?
        /// What it needs that this machine lacks.
        public var missing: [InstallationComponent]
        /// The topology's own venv, when the listing probed it instead of the project's.
        public var ownVenv: String? = nil

        public var runnable: Bool { diagnostic == nil && missing.isEmpty }

        /// Why it cannot run here, nil when it can.
        public var reason: String? {
            if let diagnostic { return "invalid: \(diagnostic)" }
            if missing.isEmpty { return nil }
            return "needs " + missing.map(\.rawValue).joined(separator: ", ") + ": "
                + InstallationComponent.installCommands(for: missing, ownVenv: ownVenv).joined(separator: "; ")
        }

        public static func == (a: Entry, b: Entry) -> Bool {
            a.name == b.name && a.path == b.path && a.summary == b.summary && a.diagnostic == b.diagnostic
                && a.missing == b.missing && a.components.map(\.name) == b.components.map(\.name)
                && a.components.map(\.kind) == b.components.map(\.kind)
        }
    }

    public var entries: [Entry]

    /// The listing of `files` given what the probe found; `ownVenv` is the venv probed when it
    /// is a topology's own (not the project's).
    public init(files: [File], statuses: [InstallationStatus], ownVenv: String? = nil) {
        let absent = Set(statuses.filter { !$0.isPresent }.map(\.component))
        entries = files.map { file in
            let stem = URL(fileURLWithPath: file.path).deletingPathExtension().lastPathComponent
            switch file.result {
            case let .success(topology):
                return Entry(
                    name: topology.name, path: file.path,
                    components: topology.components.map { ($0.name, $0.kind) },
                    summary: Self.firstSentence(of: topology.description), diagnostic: nil,
                    missing: InstallationComponent.needed(by: topology).filter(absent.contains),
                    ownVenv: ownVenv)
            case let .failure(errors):
                let first =
                    errors.diagnostics.first
                    ?? Diagnostic(SourceLocation(file: file.path, line: 1, column: 1), "invalid topology")
                return Entry(name: stem, path: file.path, components: [], summary: "", diagnostic: first, missing: [])
            }
        }
    }

    /// Reads and loads each topology file (an unreadable file is a diagnostic at 1:1).
    public static func load(paths: [String], demoAppDirectory: String) -> [File] {
        paths.map { path in
            do throws(TopologyErrors) {
                return File(
                    path: path,
                    result: .success(try TopologyLoader.load(path: path, demoAppDirectory: demoAppDirectory)))
            } catch {
                return File(path: path, result: .failure(error))
            }
        }
    }

    /// The first sentence of `description`, whitespace collapsed: up to the first period that
    /// ends the text or is followed by a space and a capital letter.
    public static func firstSentence(of description: String) -> String {
        let words = description.split(whereSeparator: \.isWhitespace)
        var sentence: [Substring] = []
        for (i, word) in words.enumerated() {
            sentence.append(word)
            let next = i + 1 < words.count ? words[i + 1] : nil
            if word.hasSuffix("."), next.map({ $0.first?.isUppercase ?? false }) ?? true { break }
        }
        return sentence.joined(separator: " ")
    }

    /// 0: listing is informational; a topology that cannot run is not an error of `list`.
    public var exitCode: Int32 { 0 }

    /// Human output: one row per topology, its description and the reason it cannot run under it.
    public var text: String {
        let rows = entries.map { entry in
            DoctorTable.Row(
                [
                    entry.name, entry.runnable ? "yes" : "no",
                    entry.components.map(\.kind.rawValue).joined(separator: ", "),
                ],
                notes: [entry.summary, entry.reason ?? ""].filter { !$0.isEmpty })
        }
        let runnable = entries.filter(\.runnable).count
        return DoctorTable(header: ["TOPOLOGY", "RUNNABLE", "SERVERS"], rows: rows).render()
            + "\n\(runnable) of \(entries.count) topologies can run here.\n"
    }

    /// `--json` output: one object with a `topologies` array.
    public var json: JSONValue {
        func optional(_ s: String?) -> JSONValue { s.map(JSONValue.string) ?? .null }
        let items = entries.map { entry -> JSONValue in
            .object([
                ("name", .string(entry.name)),
                ("path", .string(entry.path)),
                (
                    "components",
                    .array(
                        entry.components.map {
                            .object([("name", .string($0.name)), ("server", .string($0.kind.rawValue))])
                        })
                ),
                ("description", .string(entry.summary)),
                ("runnable", .bool(entry.runnable)),
                ("reason", optional(entry.reason)),
                ("diagnostic", optional(entry.diagnostic?.description)),
                ("missing", .array(entry.missing.map { .string($0.rawValue) })),
                (
                    "install_commands",
                    .array(
                        InstallationComponent.installCommands(for: entry.missing, ownVenv: entry.ownVenv).map(
                            JSONValue.string))
                ),
            ])
        }
        return .object([("topologies", .array(items))])
    }
}
