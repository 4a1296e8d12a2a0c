import XCTest
import Traffic

/// LineSplitter: lines across chunk borders, CRLF, partial tails and the length cap.
final class LineSplitterTests: XCTestCase {
    func split(_ chunks: [String], max: Int = 1024) -> (lines: [String], pending: Int) {
        var s = LineSplitter(maxLineLength: max)
        var out: [String] = []
        for c in chunks {
            s.feed(Array(c.utf8)) { out.append(String(decoding: $0, as: UTF8.self)) }
        }
        return (out, s.pendingBytes)
    }

    func testTable() {
        let cases: [(chunks: [String], lines: [String], pending: Int)] = [
            (["a\nb\n"], ["a", "b"], 0),
            (["a\nb"], ["a"], 1),
            (["ab", "c\nd", "e\n"], ["abc", "de"], 0),
            (["x\r\n\n"], ["x", ""], 0),
            (["", "\n"], [""], 0),
            (["par", "", "tial"], [], 7),
        ]
        for c in cases {
            let got = split(c.chunks)
            XCTAssertEqual(got.lines, c.lines, "\(c.chunks)")
            XCTAssertEqual(got.pending, c.pending, "\(c.chunks)")
        }
    }

    func testLongLinesAreCut() {
        XCTAssertEqual(split(["abcdef", "gh\nij\n"], max: 4).lines, ["abcd", "ij"])
        XCTAssertEqual(split(["abcdefgh\n"], max: 4).lines, ["abcd"])
    }
}
