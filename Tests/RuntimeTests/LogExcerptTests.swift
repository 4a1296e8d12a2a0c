import XCTest
import Foundation
@testable import Runtime
import TestSupport

/// Quoting the end of server logs in error events.
final class LogExcerptTests: XCTestCase {
    private var dir = ""
    override func setUp() { dir = TestProject.temporaryDirectory("logtail") }
    override func tearDown() { try? FileManager.default.removeItem(atPath: dir) }

    func testLastLinesSkipBlankAndPartialFirstLine() throws {
        let path = dir + "/a.log"
        let long = (1...5000).map { "line \($0)" }.joined(separator: "\n") + "\n\n"
        try long.write(toFile: path, atomically: false, encoding: .utf8)
        XCTAssertEqual(LogExcerpt.lines(of: path, count: 3), ["line 4998", "line 4999", "line 5000"])
        XCTAssertEqual(LogExcerpt.lines(of: dir + "/missing.log"), [])
        let big = LogExcerpt.lines(of: path, count: 100_000)
        XCTAssertTrue(big.allSatisfy { $0.hasPrefix("line ") }, "no cut-off first line")
        XCTAssertEqual(big.last, "line 5000")
    }

    func testQuoteHeadsEachNonEmptyLogAndSkipsTheAccessLog() throws {
        try "started\n".write(toFile: dir + "/out.log", atomically: false, encoding: .utf8)
        try "GET / 200\n".write(toFile: dir + "/access.log", atomically: false, encoding: .utf8)
        try "[emerg] bad\n".write(toFile: dir + "/error.log", atomically: false, encoding: .utf8)
        let quoted = LogExcerpt.quote(
            runDir: dir, outputLog: "out.log", logFiles: ["access.log", "error.log", "empty.log"],
            accessLog: "access.log")
        XCTAssertEqual(quoted, ["==> out.log <==", "started", "==> error.log <==", "[emerg] bad"])
    }
}
