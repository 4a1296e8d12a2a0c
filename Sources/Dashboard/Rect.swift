/// A rectangle of cells: top-left corner, width and height (never negative).
public struct Rect: Sendable, Equatable {
    public var row: Int
    public var col: Int
    public var width: Int
    public var height: Int

    public init(row: Int, col: Int, width: Int, height: Int) {
        self.row = row
        self.col = col
        self.width = max(0, width)
        self.height = max(0, height)
    }

    public var right: Int { col + width }
    public var bottom: Int { row + height }
    public var isEmpty: Bool { width == 0 || height == 0 }

    public func contains(row r: Int, col c: Int) -> Bool {
        r >= row && r < bottom && c >= col && c < right
    }

    /// The overlap of two rectangles (empty when they do not meet).
    public func intersection(_ other: Rect) -> Rect {
        let top = max(row, other.row), left = max(col, other.col)
        let b = min(bottom, other.bottom), r = min(right, other.right)
        return Rect(row: top, col: left, width: max(0, r - left), height: max(0, b - top))
    }

    /// Shrunk by `vertical` rows on top and bottom and `horizontal` columns on each side.
    public func inset(by vertical: Int, horizontal: Int) -> Rect {
        Rect(row: row + vertical, col: col + horizontal, width: width - 2 * horizontal, height: height - 2 * vertical)
    }

    /// Shrunk by `n` on every side.
    public func inset(by n: Int) -> Rect { inset(by: n, horizontal: n) }

    /// The top `rows` rows, and the rest below.
    public func splitTop(_ rows: Int) -> (Rect, Rect) {
        let h = min(max(0, rows), height)
        return (
            Rect(row: row, col: col, width: width, height: h),
            Rect(row: row + h, col: col, width: width, height: height - h)
        )
    }

    /// The left `cols` columns, and the rest to the right.
    public func splitLeft(_ cols: Int) -> (Rect, Rect) {
        let w = min(max(0, cols), width)
        return (
            Rect(row: row, col: col, width: w, height: height),
            Rect(row: row, col: col + w, width: width - w, height: height)
        )
    }

    /// A rectangle of at most `width`×`height` centred in this one.
    public func centered(width w: Int, height h: Int) -> Rect {
        let cw = min(w, width), ch = min(h, height)
        return Rect(row: row + (height - ch) / 2, col: col + (width - cw) / 2, width: cw, height: ch)
    }
}
