import Foundation
import XCTest
import Traffic

/// LogTail over a real file: appends, partial lines, late creation, truncation, rotation, and
/// the polling stream.
final class LogTailTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent(
            "stacktop-logtail-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDown() {
        try? FileManager.default.removeItem(at: dir)
    }

    static func append(_ text: String, to url: URL) throws {
        if !FileManager.default.fileExists(atPath: url.path) {
            FileManager.default.createFile(atPath: url.path, contents: nil)
        }
        let h = try FileHandle(forWritingTo: url)
        h.seekToEndOfFile()
        h.write(Data(text.utf8))
        try h.close()
    }

    func lines(_ tail: LogTail) -> [String] {
        var out: [String] = []
        tail.poll { out.append(String(decoding: $0, as: UTF8.self)) }
        return out
    }

    func testFollowsAppendsAndPartialLines() throws {
        let f = dir.appendingPathComponent("a.log")
        let tail = LogTail(path: f.path)
        XCTAssertEqual(lines(tail), [], "missing file: nothing yet")
        try Self.append("one\ntw", to: f)
        XCTAssertEqual(lines(tail), ["one"])
        XCTAssertEqual(lines(tail), [])
        try Self.append("o\nthree\n", to: f)
        XCTAssertEqual(lines(tail), ["two", "three"])
    }

    func testStartAtEndSkipsOldContent() throws {
        let f = dir.appendingPathComponent("b.log")
        try Self.append("old\n", to: f)
        let tail = LogTail(path: f.path, from: .end)
        XCTAssertEqual(lines(tail), [])
        try Self.append("new\n", to: f)
        XCTAssertEqual(lines(tail), ["new"])
    }

    func testTruncationRereadsFromStart() throws {
        let f = dir.appendingPathComponent("c.log")
        let tail = LogTail(path: f.path)
        try Self.append("aaaa\nbbbb\n", to: f)
        XCTAssertEqual(lines(tail), ["aaaa", "bbbb"])
        try "x\n".write(to: f, atomically: false, encoding: .utf8)
        XCTAssertEqual(lines(tail), ["x"])
    }

    func testRotationFinishesOldFileThenFollowsNew() throws {
        let f = dir.appendingPathComponent("d.log")
        let tail = LogTail(path: f.path)
        try Self.append("1\n", to: f)
        XCTAssertEqual(lines(tail), ["1"])
        try Self.append("2\n", to: f)
        try FileManager.default.moveItem(at: f, to: dir.appendingPathComponent("d.log.1"))
        try Self.append("3\n", to: f)
        XCTAssertEqual(lines(tail), ["2", "3"])
    }

    func testParsedStreamAndRejectedCount() async throws {
        let f = dir.appendingPathComponent("e.log")
        let tail = LogTail(path: f.path)
        try Self.append("status=200 worker_pid=<5>\nnot a log line\nstatus=502 upstream_status=\"502\"\n", to: f)
        var got: [AccessLogFields] = []
        tail.pollFields { got.append($0) }
        XCTAssertEqual(got.map(\.status), [200, 502])
        XCTAssertEqual(tail.rejectedLines, 1)

        let stream = LogTail.fields(path: f.path, from: .end, every: .milliseconds(20))
        let writer = Task {
            try await Task.sleep(for: .milliseconds(100))
            try LogTailTests.append("status=201\nstatus=", to: f)
            try await Task.sleep(for: .milliseconds(100))
            try LogTailTests.append("404\n", to: f)
        }
        var statuses: [Int] = []
        for await fields in stream {
            statuses.append(fields.status)
            if statuses.count == 2 { break }
        }
        try await writer.value
        XCTAssertEqual(statuses, [201, 404])
    }
}
