import TestSupport

/// Makes broken variants of a topology file: line edits, stray bytes and wrong values.
///
/// Each call applies one to four mutations, chosen from text-level edits (this file) and
/// structure-level edits (`TopologyFuzzMutator+Structure.swift`), and names them, so a failure
/// report says what was done to the seed file.
struct TopologyFuzzMutator {
    /// One kind of edit.
    enum Mutation: String, CaseIterable {
        // Text level: the file as lines and characters.
        case deleteLine, duplicateLine, swapLines, reindent, insertToken, replaceCharacter
        case longLine, deepNesting, truncate, joinLines, splitLine, lineEndings
        // Structure level: keys and values as YAML sees them.
        case retypeValue, misspellKey, unknownKind, badNumber, shellValue, renameComponent
        case brokenReference, addComponent, unknownTopKey, anchorsAndTags
    }

    /// Every mutation three times, except the costly long lines and deep nesting (once each).
    static let weighted = Mutation.allCases.flatMap { mutation in
        Array(repeating: mutation, count: mutation == .longLine || mutation == .deepNesting ? 1 : 3)
    }

    var random: SeededGenerator
    /// The file being edited, split at "\n" (a "\r" stays inside its line).
    var lines: [String] = []

    init(random: SeededGenerator) {
        self.random = random
    }

    /// A mutated copy of `text` and the names of the mutations applied, in order.
    mutating func mutate(_ text: String) -> (text: String, applied: [Mutation]) {
        lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var applied: [Mutation] = []
        for _ in 0..<random.int(in: 1...4) {
            let mutation = random.pick(Self.weighted)
            apply(mutation)
            applied.append(mutation)
        }
        return (lines.joined(separator: "\n"), applied)
    }

    private mutating func apply(_ mutation: Mutation) {
        switch mutation {
        case .deleteLine: if !lines.isEmpty { lines.remove(at: anyLine()) }
        case .duplicateLine: if !lines.isEmpty { let i = anyLine(); lines.insert(lines[i], at: i + random.below(2)) }
        case .swapLines: if !lines.isEmpty { lines.swapAt(anyLine(), anyLine()) }
        case .reindent: reindent()
        case .insertToken: insert(token())
        case .replaceCharacter: replaceCharacter()
        case .longLine: longLine()
        case .deepNesting: deepNesting()
        case .truncate: truncate()
        case .joinLines: joinLines()
        case .splitLine: splitLine()
        case .lineEndings: lineEndings()
        case .retypeValue: retypeValue()
        case .misspellKey: misspellKey()
        case .unknownKind: unknownKind()
        case .badNumber: badNumber()
        case .shellValue: shellValue()
        case .renameComponent: renameComponent()
        case .brokenReference: brokenReference()
        case .addComponent: addComponent()
        case .unknownTopKey: unknownTopKey()
        case .anchorsAndTags: anchorsAndTags()
        }
    }

    /// The index of a random line (the file has at least one line while it is being edited).
    mutating func anyLine() -> Int {
        if lines.isEmpty { lines = [""] }
        return random.below(lines.count)
    }

    /// Tokens that mean something to a YAML scanner, plus characters it must reject or count.
    static let tokens: [String] = [
        "\t", "\0", "\"", "'", ":", ": ", "-", "- ", "{", "}", "[", "]", ",", "?", "? ", "#", "|", ">",
        "|-", ">+", "&anchor ", "*alias", "&a ", "*a", "!!tag ", "!!str ", "!!int ", "!!map ", "!local ",
        "!<tag:yaml.org,2002:str> ", "%YAML 1.2", "%TAG ! tag:x,2000:", "---", "...", "@", "`", "\\",
        "\\x", "\"\\u", "\"\\U0010FFFF\"", "\"\\xZZ\"", "\r", "\r\n", "\u{85}", "\u{2028}", "\u{2029}",
        "\u{FEFF}", "\u{1}", "\u{7F}", "\u{9F}", "é", "e\u{301}", "\u{202E}", "漢字", "🙂", "👩‍👩‍👧",
        "\u{FFFD}", "\u{FFFF}", "~", "null", " ", "  ",
    ]

    /// A token, a random scalar or a run of random scalars.
    mutating func token() -> String {
        switch random.below(4) {
        case 0, 1: return random.pick(Self.tokens)
        case 2: return String(Character(random.scalar()))
        default:
            var scalars = String.UnicodeScalarView()
            for _ in 0..<random.int(in: 2...12) { scalars.append(random.scalar()) }
            return String(scalars)
        }
    }

    /// Inserts `text` at a random character position of a random line.
    mutating func insert(_ text: String) {
        let i = anyLine()
        var line = lines[i]
        let at = line.index(line.startIndex, offsetBy: random.below(line.count + 1))
        line.insert(contentsOf: text, at: at)
        lines[i] = line
    }

    private mutating func reindent() {
        let i = anyLine()
        let body = lines[i].drop { $0 == " " }
        let indents = ["", " ", "   ", "\t", "  \t", String(repeating: " ", count: random.int(in: 0...12))]
        lines[i] = random.pick(indents) + body
    }

    private mutating func replaceCharacter() {
        let i = anyLine()
        guard !lines[i].isEmpty else { lines[i] = token(); return }
        var line = lines[i]
        let at = line.index(line.startIndex, offsetBy: random.below(line.count))
        line.replaceSubrange(at...at, with: token())
        lines[i] = line
    }

    private mutating func longLine() {
        let length = random.chance(90) ? random.int(in: 500...4_000) : random.int(in: 4_000...40_000)
        let unit = random.pick(["x", "a: ", "- ", "é", "漢", "\\", "'", " ", "#", "9"])
        let body = String(repeating: unit, count: max(1, length / unit.count))
        switch random.below(3) {
        case 0: insert(body)
        case 1: lines.insert(body, at: random.below(lines.count + 1))
        default: lines.insert("description: " + body, at: random.below(lines.count + 1))
        }
    }

    private mutating func deepNesting() {
        let depth = random.chance(90) ? random.int(in: 10...200) : random.int(in: 200...2_000)
        let (open, close) = random.pick([("[", "]"), ("{", "}"), ("- ", ""), ("{a: ", "}"), ("[", "")])
        insert(String(repeating: open, count: depth) + "x" + String(repeating: close, count: depth))
    }

    private mutating func truncate() {
        let text = lines.joined(separator: "\n")
        let cut = text.prefix(random.below(text.count + 1))
        lines = cut.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    private mutating func joinLines() {
        guard lines.count >= 2 else { return }
        let i = random.below(lines.count - 1)
        lines[i] += random.pick(["", " ", ", ", ": "]) + lines.remove(at: i + 1)
    }

    private mutating func splitLine() {
        let i = anyLine()
        let line = lines[i]
        let at = line.index(line.startIndex, offsetBy: random.below(line.count + 1))
        lines[i] = String(line[..<at])
        lines.insert(String(line[at...]), at: i + 1)
    }

    /// Ends some lines (or all) with "\r\n", a lone "\r", NEL or a Unicode line separator.
    private mutating func lineEndings() {
        let ending = random.pick(["\r", "\u{85}", "\u{2028}", "\u{2029}"])
        let all = random.chance(50)
        for i in lines.indices where all || random.chance(20) { lines[i] += ending }
    }
}
