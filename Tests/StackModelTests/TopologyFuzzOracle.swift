@testable import StackModel

/// Judges one fuzz case: what the loader must hold to for any input, however broken.
///
/// A successful load yields a stack with a front door that speaks HTTP over TCP and a start
/// order that lists every component once. A failed load yields at least one diagnostic, each in
/// the given file, at a line and column that exist in the text (1-based; one past the last line
/// or column allowed for "at the end"), with a non-empty message.
enum TopologyFuzzOracle {
    /// The problems with `outcome` for `text` loaded as `path`; empty when all is well.
    static func problems(_ outcome: Result<Topology, TopologyErrors>, text: String, path: String) -> [String] {
        switch outcome {
        case .success(let topology):
            return problems(topology)
        case .failure(let errors):
            if errors.diagnostics.isEmpty { return ["the load failed with no diagnostic"] }
            let shape = TextShape(text)
            return errors.diagnostics.flatMap { problems($0, shape: shape, path: path) }
        }
    }

    static func problems(_ topology: Topology) -> [String] {
        var found: [String] = []
        if let door = topology.frontDoor {
            if door.transport != .tcp || door.proto != .http {
                found.append("front door '\(door.name)' listens on \(door.transport) speaking \(door.proto)")
            }
        } else {
            found.append("loaded a topology with no front door: \(topology.components.map(\.name))")
        }
        let order = topology.startOrder.map(\.name)
        if order.sorted() != topology.components.map(\.name).sorted() {
            found.append("start order \(order) does not list each of \(topology.components.map(\.name)) once")
        }
        if topology.description.isEmpty { found.append("loaded a topology with an empty description") }
        return found
    }

    static func problems(_ diagnostic: Diagnostic, shape: TextShape, path: String) -> [String] {
        var found: [String] = []
        let location = diagnostic.location
        if location.file != path { found.append("diagnostic names file '\(location.file)', not '\(path)'") }
        if location.line < 1 || location.line > shape.lineCount + 1 {
            found.append("line \(location.line) is outside 1...\(shape.lineCount + 1)")
        }
        if location.column < 1 || location.column > shape.longestLine + 2 {
            found.append("column \(location.column) is outside 1...\(shape.longestLine + 2)")
        }
        if diagnostic.message.allSatisfy(\.isWhitespace) { found.append("empty message") }
        if !found.isEmpty { found.append("in diagnostic: \(diagnostic)") }
        return found
    }

    /// Line count and longest line of a text, counting line breaks as YAML does: "\n", "\r\n",
    /// a lone "\r", NEL, and the Unicode line and paragraph separators; lengths in scalars.
    struct TextShape {
        var lineCount = 1
        var longestLine = 0

        init(_ text: String) {
            var text = text
            var (lines, longest) = (1, 0)
            text.withUTF8 { bytes in
                var length = 0
                var i = 0
                while i < bytes.count {
                    let byte = bytes[i]
                    var isBreak = byte == 0x0A || byte == 0x0D
                    if byte == 0x0D, i + 1 < bytes.count, bytes[i + 1] == 0x0A { i += 1 }
                    if byte == 0xC2, i + 1 < bytes.count, bytes[i + 1] == 0x85 { isBreak = true; i += 1 }
                    if byte == 0xE2, i + 2 < bytes.count, bytes[i + 1] == 0x80,
                        bytes[i + 2] == 0xA8 || bytes[i + 2] == 0xA9
                    {
                        isBreak = true
                        i += 2
                    }
                    if isBreak {
                        lines += 1
                        length = 0
                    } else if byte & 0xC0 != 0x80 {
                        length += 1
                        longest = max(longest, length)
                    }
                    i += 1
                }
            }
            lineCount = lines
            longestLine = longest
        }
    }
}
