/// A key that repeats an earlier key of the same mapping.
struct DuplicateKey: Equatable {
    /// The unique plain word that replaced the repeated key in the text handed to Yams.
    let marker: String
    let key: String
    /// Where the repeated key was written (1-based).
    let line: Int
    let column: Int
    /// The line of the first occurrence.
    let firstLine: Int
}

/// Renames repeated mapping keys in block-style YAML so Yams can compose the rest of the file.
///
/// Yams stops at the first mapping with a repeated key and reports only the first occurrence.
/// Given the position of one key of that mapping, this finds the mapping's sibling keys by
/// indentation, keeps the first of each name and replaces every repeat with a marker word.
/// Only text on the repeated key's own line moves, and that line's value is skipped anyway.
struct DuplicateKeyRewriter {
    private(set) var lines: [String]
    private(set) var found: [DuplicateKey] = []

    init(text: String) {
        lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    var text: String { lines.joined(separator: "\n") }

    /// Rewrites the repeats of `names` in the mapping that has a key at `line`:`column`.
    /// Returns false when nothing could be rewritten (e.g. a flow-style `{a: 1, a: 2}`).
    mutating func rewrite(names: [String], line: Int, column: Int) -> Bool {
        let indent = column - 1
        guard line >= 1, line <= lines.count else { return false }
        var keyLines = [line - 1]
        var index = line - 2
        while index >= 0 {
            let (spaces, content) = Self.split(lines[index])
            if content.isEmpty || content.hasPrefix("#") || spaces > indent { index -= 1; continue }
            if spaces == indent { keyLines.insert(index, at: 0); index -= 1; continue }
            if Self.itemContentColumn(lines[index]) == indent { keyLines.insert(index, at: 0) }
            break
        }
        index = line
        while index < lines.count {
            let (spaces, content) = Self.split(lines[index])
            if content.isEmpty || content.hasPrefix("#") || spaces > indent { index += 1; continue }
            if spaces < indent || content.hasPrefix("-") { break }
            keyLines.append(index)
            index += 1
        }
        var firstLine: [String: Int] = [:]
        var rewritten = false
        for lineIndex in keyLines {
            guard let (key, length) = Self.key(in: lines[lineIndex], at: indent) else { continue }
            guard names.contains(key) else { continue }
            guard let first = firstLine[key] else { firstLine[key] = lineIndex + 1; continue }
            let marker = "__stacktop_duplicate_\(found.count)__"
            var scalars = Array(lines[lineIndex].unicodeScalars)
            scalars.replaceSubrange(indent..<(indent + length), with: marker.unicodeScalars)
            lines[lineIndex] = String(String.UnicodeScalarView(scalars))
            found.append(DuplicateKey(marker: marker, key: key, line: lineIndex + 1, column: column, firstLine: first))
            rewritten = true
        }
        return rewritten
    }

    /// Leading spaces and the rest of a line.
    private static func split(_ line: String) -> (Int, Substring) {
        let spaces = line.prefix { $0 == " " }.count
        return (spaces, line.dropFirst(spaces).drop { $0 == " " || $0 == "\t" })
    }

    /// For a sequence item line (`  - key: v`), the column (0-based) where the item's content starts.
    private static func itemContentColumn(_ line: String) -> Int? {
        let scalars = Array(line.unicodeScalars)
        var i = 0
        var sawDash = false
        while i < scalars.count, scalars[i] == " " || scalars[i] == "-" {
            if scalars[i] == "-" {
                if i + 1 < scalars.count, scalars[i + 1] != " " { return nil }
                sawDash = true
            }
            i += 1
        }
        return sawDash && i < scalars.count ? i : nil
    }

    /// The key written at 0-based scalar column `column` of `line` and its length as written.
    private static func key(in line: String, at column: Int) -> (String, Int)? {
        let scalars = Array(line.unicodeScalars)
        guard column < scalars.count else { return nil }
        let rest = Array(scalars[column...])
        if let quote = rest.first, quote == "\"" || quote == "'" {
            guard let close = rest.dropFirst().firstIndex(of: quote) else { return nil }
            let inner = String(String.UnicodeScalarView(rest[1..<close]))
            return (inner, close + 1)
        }
        var end = 0
        while end < rest.count {
            if rest[end] == ":", end + 1 == rest.count || rest[end + 1] == " " || rest[end + 1] == "\t" { break }
            end += 1
        }
        guard end < rest.count, end > 0 else { return nil }
        var keyEnd = end
        while keyEnd > 0, rest[keyEnd - 1] == " " { keyEnd -= 1 }
        return (String(String.UnicodeScalarView(rest[0..<keyEnd])), keyEnd)
    }
}
