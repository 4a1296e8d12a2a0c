/// A rectangle of styled cells that views draw into and the terminal copies to the screen.
///
/// Every write is clipped to the grid (and to an optional clip rectangle), so a view never
/// writes out of bounds whatever the size, down to 0×0. A wide character takes two cells: the
/// second is a continuation cell the terminal skips; a wide character that would straddle the
/// clip edge is written as a space.
public struct Grid: Sendable, Equatable {
    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]

    public init(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
        self.cells = Array(repeating: .blank, count: self.width * self.height)
    }

    /// The whole grid as a rectangle.
    public var bounds: Rect { Rect(row: 0, col: 0, width: width, height: height) }

    public subscript(row: Int, col: Int) -> Cell {
        guard contains(row: row, col: col) else { return .blank }
        return cells[row * width + col]
    }

    public func contains(row: Int, col: Int) -> Bool {
        row >= 0 && row < height && col >= 0 && col < width
    }

    /// Sets one cell, keeping wide characters whole: overwriting half of one blanks the other half.
    public mutating func set(row: Int, col: Int, _ char: Character, _ style: CellStyle, continuation: Bool = false) {
        guard contains(row: row, col: col) else { return }
        let i = row * width + col
        if cells[i].isContinuation, col > 0, !continuation { cells[i - 1] = Cell(char: " ", style: cells[i - 1].style) }
        if col + 1 < width, cells[i + 1].isContinuation, TextWidth.of(cells[i].char) == 2 {
            cells[i + 1] = Cell(char: " ", style: cells[i + 1].style)
        }
        cells[i] = Cell(char: char, style: style, isContinuation: continuation)
    }

    /// Writes `text` from (row, col), clipped to `clip` (default: the grid); returns the columns used.
    @discardableResult
    public mutating func text(_ text: String, row: Int, col: Int, _ style: CellStyle = .plain, clip: Rect? = nil) -> Int
    {
        let area = (clip ?? bounds).intersection(bounds)
        guard row >= area.row, row < area.bottom else { return 0 }
        var x = col
        for c in text {
            let ch: Character =
                c.unicodeScalars.first.map { $0.value < 0x20 || (0x7F..<0xA0).contains($0.value) } == true
                ? (c == "\t" ? " " : "?") : c
            let w = TextWidth.of(ch)
            if w == 0 { continue }
            if x >= area.right { break }
            if x >= area.col {
                if w == 2 && x + 1 >= area.right {
                    set(row: row, col: x, " ", style)
                } else {
                    set(row: row, col: x, ch, style)
                    if w == 2 { set(row: row, col: x + 1, " ", style, continuation: true) }
                }
            }
            x += w
        }
        return max(0, min(x, area.right) - col)
    }

    /// Fills a rectangle with one character.
    public mutating func fill(_ rect: Rect, _ char: Character = " ", _ style: CellStyle = .plain) {
        let r = rect.intersection(bounds)
        for row in r.row..<r.bottom { for col in r.col..<r.right { set(row: row, col: col, char, style) } }
    }

    /// A horizontal line of `glyph` from (row, col), `length` cells long.
    public mutating func hline(row: Int, col: Int, length: Int, _ style: CellStyle = .muted, glyph: Character = "─") {
        for x in col..<(col + max(0, length)) { set(row: row, col: x, glyph, style) }
    }

    /// A vertical line from (row, col), `length` cells high.
    public mutating func vline(row: Int, col: Int, length: Int, _ style: CellStyle = .muted) {
        for y in row..<(row + max(0, length)) { set(row: y, col: col, "│", style) }
    }

    /// Draws a box frame on `rect` with an optional title in the top border; returns the inner rectangle.
    @discardableResult
    public mutating func box(
        _ rect: Rect, title: String = "", _ style: CellStyle = .muted,
        titleStyle: CellStyle = .title
    ) -> Rect {
        guard rect.width >= 2, rect.height >= 2 else { return Rect(row: rect.row, col: rect.col, width: 0, height: 0) }
        hline(row: rect.row, col: rect.col + 1, length: rect.width - 2, style)
        hline(row: rect.bottom - 1, col: rect.col + 1, length: rect.width - 2, style)
        vline(row: rect.row + 1, col: rect.col, length: rect.height - 2, style)
        vline(row: rect.row + 1, col: rect.right - 1, length: rect.height - 2, style)
        set(row: rect.row, col: rect.col, "┌", style)
        set(row: rect.row, col: rect.right - 1, "┐", style)
        set(row: rect.bottom - 1, col: rect.col, "└", style)
        set(row: rect.bottom - 1, col: rect.right - 1, "┘", style)
        if !title.isEmpty && rect.width > 4 {
            let label = " " + TextWidth.truncate(title, to: rect.width - 4) + " "
            text(label, row: rect.row, col: rect.col + 1, titleStyle, clip: rect.inset(by: 0, horizontal: 1))
        }
        return rect.inset(by: 1)
    }

    /// The characters of each row, continuation cells left out (for tests and text captures).
    public var lines: [String] {
        (0..<height).map { row in
            String(
                (0..<width).compactMap { col -> Character? in
                    let cell = cells[row * width + col]
                    return cell.isContinuation ? nil : cell.char
                })
        }
    }
}

/// One cell of a `Grid`.
public struct Cell: Sendable, Hashable {
    public var char: Character
    public var style: CellStyle
    /// The right half of a wide character: drawn by the cell before it.
    public var isContinuation: Bool

    public init(char: Character, style: CellStyle = .plain, isContinuation: Bool = false) {
        self.char = char
        self.style = style
        self.isContinuation = isContinuation
    }

    public static let blank = Cell(char: " ")
}
