/// Lays out rows of text in aligned columns for `doctor` and `list`.
///
/// Every column but the last is padded to its widest cell; the last is left as is, so a long
/// path or description does not widen the others. Notes are indented lines under a row.
public struct DoctorTable: Sendable, Equatable {
    /// One line of cells, plus free-text lines printed under it.
    public struct Row: Sendable, Equatable {
        public var cells: [String]
        public var notes: [String]
        public init(_ cells: [String], notes: [String] = []) {
            self.cells = cells
            self.notes = notes
        }
    }

    public var header: [String]
    public var rows: [Row]
    /// Spaces between columns.
    public var gap: Int = 2
    /// Indentation of notes.
    public var noteIndent: Int = 4
    /// Notes are word-wrapped to this many columns, indentation included.
    public var width: Int = 100

    public init(header: [String], rows: [Row]) {
        self.header = header
        self.rows = rows
    }

    /// The table as lines of text, each ending in a newline, without trailing spaces.
    public func render() -> String {
        let all = [header] + rows.map(\.cells)
        let columns = all.map(\.count).max() ?? 0
        var widths = [Int](repeating: 0, count: columns)
        for cells in all {
            for (i, cell) in cells.enumerated() where i < columns - 1 {
                widths[i] = max(widths[i], cell.count)
            }
        }
        func line(_ cells: [String]) -> String {
            var text = ""
            for (i, cell) in cells.enumerated() {
                let isLast = i == cells.count - 1
                text += isLast ? cell : cell.padded(to: widths[i] + gap)
            }
            return text.trimmingTrailingSpaces() + "\n"
        }
        var out = line(header)
        let indent = String(repeating: " ", count: noteIndent)
        for row in rows {
            out += line(row.cells)
            for note in row.notes {
                for part in Self.wrap(note, width: max(20, width - noteIndent)) { out += indent + part + "\n" }
            }
        }
        return out
    }
}

extension DoctorTable {
    /// `text` broken into lines of at most `width` characters at spaces (a longer word stays whole).
    static func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ") {
            if !line.isEmpty, line.count + 1 + word.count > width {
                lines.append(line)
                line = ""
            }
            line += (line.isEmpty ? "" : " ") + word
        }
        return lines + [line]
    }
}

extension String {
    /// This string padded with spaces to `length` characters (never truncated).
    func padded(to length: Int) -> String {
        count >= length ? self : self + String(repeating: " ", count: length - count)
    }

    /// This string without spaces at its end.
    func trimmingTrailingSpaces() -> String {
        var s = Substring(self)
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}
