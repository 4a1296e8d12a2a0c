@testable import Dashboard
import XCTest

/// Grid writes clip safely and keep wide characters whole.
final class GridTests: XCTestCase {
    func testTextClipsAtTheEdge() {
        var grid = Grid(width: 5, height: 1)
        XCTAssertEqual(grid.text("abcdefgh", row: 0, col: 2), 3)
        XCTAssertEqual(grid.lines, ["  abc"])
        grid.text("zz", row: 3, col: 0)
        grid.text("yy", row: 0, col: -1)
        XCTAssertEqual(grid.lines, ["y abc"])
    }

    func testWideCharactersTakeTwoCellsAndNeverStraddleTheClip() {
        var grid = Grid(width: 5, height: 1)
        grid.text("日本語", row: 0, col: 0)
        XCTAssertEqual(grid.lines, ["日本 "], "the third would straddle the edge")
        XCTAssertTrue(grid[0, 1].isContinuation)
        grid.text("x", row: 0, col: 1)  // overwrites the right half of 日
        XCTAssertEqual(grid.lines, [" x本 "])
    }

    func testWidths() {
        let cases: [(String, Int)] = [("abc", 3), ("日本", 4), ("é", 1), ("e\u{301}", 1), ("│▶●", 3), ("🙂", 2)]
        for (text, width) in cases { XCTAssertEqual(TextWidth.of(text), width, text) }
        XCTAssertEqual(TextWidth.truncate("abcdef", to: 4), "abc…")
        XCTAssertEqual(TextWidth.fit("ab", 4, alignRight: true), "  ab")
    }

    func testBoxInTinyRects() {
        var grid = Grid(width: 4, height: 3)
        let inner = grid.box(Rect(row: 0, col: 0, width: 4, height: 3), title: "long title")
        XCTAssertEqual(inner, Rect(row: 1, col: 1, width: 2, height: 1))
        XCTAssertEqual(grid.lines, ["┌──┐", "│  │", "└──┘"])
        var none = Grid(width: 1, height: 1)
        none.box(Rect(row: 0, col: 0, width: 1, height: 1))
        XCTAssertEqual(none.lines, [" "])
    }

    func testSparkline() {
        XCTAssertEqual(Sparkline.render([0, 4, 8], width: 5), "  ▁▄█")
        XCTAssertEqual(Sparkline.render([0, 8, 16], width: 3, rows: 2), ["  █", "▁██"])
    }
}
