import Yams

/// One key of a YAML mapping with where it was written and its value.
struct Entry {
    let key: String
    let keyLocation: SourceLocation
    let value: Node
}

/// A name a component refers to (in `upstream`, `inside`, `supervises`) and where it was written.
struct NameRef: Equatable {
    let name: String
    let location: SourceLocation
}

/// Reads typed values out of a composed YAML tree, recording a diagnostic for every mismatch.
///
/// Each accessor returns nil after recording the problem, so callers keep going and the file's
/// problems are all reported at once.
struct NodeReader {
    let file: String
    /// Keys that repeated an earlier key of their mapping, by the marker that replaced them.
    let duplicates: [String: DuplicateKey]
    private(set) var diagnostics: [Diagnostic] = []

    init(file: String, duplicates: [DuplicateKey]) {
        self.file = file
        self.duplicates = Dictionary(duplicates.map { ($0.marker, $0) }, uniquingKeysWith: { a, _ in a })
    }

    mutating func error(_ location: SourceLocation, _ message: String) {
        diagnostics.append(Diagnostic(location, message))
    }

    /// Where `node` starts (1:1 when Yams has no mark for it).
    func location(_ node: Node) -> SourceLocation {
        let mark = node.mark
        return SourceLocation(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1)
    }

    /// True for an empty value, `~` or `null`.
    static func isNull(_ node: Node) -> Bool {
        guard let scalar = node.scalar, scalar.style == .plain || scalar.style == .any else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    /// A short description of what a node is, for "got ..." in messages.
    static func describe(_ node: Node) -> String {
        switch node {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        case .scalar(let scalar):
            if isNull(node) { return "nothing" }
            if scalar.style == .singleQuoted || scalar.style == .doubleQuoted { return "\"\(scalar.string)\"" }
            return "'\(scalar.string)'"
        }
    }

    /// The entries of a mapping, in file order. Duplicate keys are reported with
    /// `duplicateMessage(key, firstLine)` and left out. Records an error when `node` is no mapping.
    mutating func entries(
        of node: Node, named what: String,
        duplicateMessage: (String, Int) -> String
    ) -> [Entry]? {
        guard let mapping = node.mapping else {
            error(location(node), "'\(what)' must be a mapping, got \(Self.describe(node))")
            return nil
        }
        var result: [Entry] = []
        for (keyNode, value) in mapping {
            guard let key = keyNode.scalar?.string else {
                error(location(keyNode), "keys in '\(what)' must be plain words, got \(Self.describe(keyNode))")
                continue
            }
            if let duplicate = duplicates[key] {
                let first = SourceLocation(file: file, line: duplicate.line, column: duplicate.column)
                error(first, duplicateMessage(duplicate.key, duplicate.firstLine))
                continue
            }
            result.append(Entry(key: key, keyLocation: location(keyNode), value: value))
        }
        return result
    }

    /// Keeps the entries whose key is in `allowed`; reports the others with a did-you-mean hint.
    mutating func known(_ entries: [Entry], allowed: [String], context: String) -> [Entry] {
        entries.filter { entry in
            if allowed.contains(entry.key) { return true }
            let hint = Suggestions.hint(for: entry.key, among: allowed)
            error(entry.keyLocation, "unknown key '\(entry.key)'\(context)\(hint)")
            return false
        }
    }

    /// The value as a string; any non-empty scalar counts.
    mutating func string(_ entry: Entry) -> String? {
        if Self.isNull(entry.value) {
            error(entry.keyLocation, "'\(entry.key)' needs a value")
            return nil
        }
        guard let scalar = entry.value.scalar else {
            error(location(entry.value), "'\(entry.key)' must be a string, got \(Self.describe(entry.value))")
            return nil
        }
        return scalar.string
    }

    /// The value as a YAML boolean (`true`/`false`, unquoted); anything else is reported.
    mutating func bool(_ entry: Entry) -> Bool? {
        guard string(entry) != nil else { return nil }
        if let scalar = entry.value.scalar, scalar.style == .plain || scalar.style == .any {
            switch scalar.string {
            case "true", "True", "TRUE": return true
            case "false", "False", "FALSE": return false
            default: break
            }
        }
        error(location(entry.value), "'\(entry.key)' must be true or false, got \(Self.describe(entry.value))")
        return nil
    }

    /// The value as a plain decimal integer (quoted digits, floats and words are rejected).
    mutating func int(_ entry: Entry) -> Int? {
        guard string(entry) != nil else { return nil }
        if let value = Self.plainInt(entry.value) { return value }
        error(location(entry.value), "'\(entry.key)' must be an integer, got \(Self.describe(entry.value))")
        return nil
    }

    /// A plain (unquoted) scalar of optional '-' and decimal digits, as an Int.
    static func plainInt(_ node: Node) -> Int? {
        guard let scalar = node.scalar, scalar.style == .plain || scalar.style == .any else { return nil }
        var digits = Substring(scalar.string)
        let negative = digits.first == "-"
        if negative || digits.first == "+" { digits = digits.dropFirst() }
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        guard let magnitude = Int(digits) else { return negative ? Int.min : Int.max }
        return negative ? -magnitude : magnitude
    }

    /// A list of component names; a single name is accepted as a list of one.
    mutating func names(_ entry: Entry) -> [NameRef]? {
        if Self.isNull(entry.value) {
            error(entry.keyLocation, "'\(entry.key)' needs a value")
            return nil
        }
        let items: [Node]
        switch entry.value {
        case .sequence(let sequence): items = Array(sequence)
        case .scalar: items = [entry.value]
        default:
            error(
                location(entry.value),
                "'\(entry.key)' must be a list of component names, got \(Self.describe(entry.value))")
            return nil
        }
        var refs: [NameRef] = []
        for item in items {
            guard let name = item.scalar?.string, !Self.isNull(item) else {
                error(location(item), "'\(entry.key)' must list component names, got \(Self.describe(item))")
                continue
            }
            refs.append(NameRef(name: name, location: location(item)))
        }
        return refs
    }
}
