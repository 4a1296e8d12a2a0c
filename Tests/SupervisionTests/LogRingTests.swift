import XCTest
@testable import Supervision

/// Lines split across chunks, bounds, long lines and UTF-8.
final class LogRingTests: XCTestCase {
    func testChunksThatSplitLines() {
        let cases: [(name: String, chunks: [String], lines: [String], partial: String?)] = [
            ("whole lines", ["a\nb\n"], ["a", "b"], nil),
            ("split mid-line", ["wor", "ker 1\nwor", "ker 2\n"], ["worker 1", "worker 2"], nil),
            ("trailing partial", ["a\nbc"], ["a"], "bc"),
            ("CRLF", ["x\r\ny\r", "\n"], ["x", "y"], nil),
            ("empty lines kept", ["\n\na\n"], ["", "", "a"], nil),
            ("newline alone", ["a", "\n"], ["a"], nil),
        ]
        for c in cases {
            var ring = LogRing(capacity: 10)
            for chunk in c.chunks { ring.append(chunk) }
            XCTAssertEqual(ring.lines, c.lines, c.name)
            XCTAssertEqual(ring.partialLine, c.partial, c.name)
        }
    }

    func testUTF8CharacterSplitAcrossByteChunks() {
        var ring = LogRing()
        let bytes = Array("café ok\n".utf8)  // é is C3 A9
        let cut = bytes.firstIndex(of: 0xC3)! + 1
        ring.append(Array(bytes[..<cut]))
        ring.append(Array(bytes[cut...]))
        XCTAssertEqual(ring.lines, ["café ok"])
    }

    func testKeepsOnlyTheLastLines() {
        var ring = LogRing(capacity: 3)
        ring.append("1\n2\n3\n4\n5\n6")
        XCTAssertEqual(ring.lines, ["3", "4", "5"])
        XCTAssertEqual(ring.totalLines, 5)
        XCTAssertEqual(ring.droppedLines, 2)
        XCTAssertEqual(ring.tail(2), ["4", "5"])
        XCTAssertEqual(ring.tail(2, includingPartial: true), ["5", "6"])
        XCTAssertEqual(ring.tail(0), [])
        ring.flush()
        XCTAssertEqual(ring.lines, ["4", "5", "6"])
        XCTAssertNil(ring.partialLine)
        ring.append("7\n8\n")
        XCTAssertEqual(ring.lines, ["6", "7", "8"])
    }

    func testLongLinesAreCutAtCharacterBoundaries() {
        var ring = LogRing(capacity: 10, maxLineBytes: 4)
        ring.append("abcdefghij\n")
        XCTAssertEqual(ring.lines, ["abcd", "efgh", "ij"])
        var utf = LogRing(capacity: 10, maxLineBytes: 4)
        utf.append("abcé\n")  // 5 bytes: the cut backs off before é
        XCTAssertEqual(utf.lines, ["abc", "é"])
    }

    func testComponentLogsKeepOneRingPerComponent() {
        var logs = ComponentLogs(capacity: 2)
        logs.append("[INFO] Listening at: unix:/r/gunicorn.sock\n[INFO] Boot", to: "app")
        logs.append("start worker processes\n", to: "web")
        logs.append("ing worker with pid: 101\n[INFO] Booting worker with pid: 102\n", to: "app")
        XCTAssertEqual(logs.components, ["app", "web"])
        XCTAssertEqual(
            logs.tail("app", 5), ["[INFO] Booting worker with pid: 101", "[INFO] Booting worker with pid: 102"])
        XCTAssertEqual(logs.ring("app")?.droppedLines, 1)
        XCTAssertEqual(logs.tail("web", 5), ["start worker processes"])
        XCTAssertEqual(logs.tail("nope", 5), [])
        logs.append("no newline", to: "web")
        XCTAssertEqual(logs.tail("web", 1), ["no newline"])
        logs.flush("web")
        XCTAssertEqual(logs.ring("web")?.lines, ["start worker processes", "no newline"])
    }
}
