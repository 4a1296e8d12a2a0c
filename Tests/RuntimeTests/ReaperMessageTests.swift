import Supervision
import XCTest
@testable import Runtime

/// The reaper's line protocol: encoding, parsing, and folding messages into kill targets.
final class ReaperMessageTests: XCTestCase {
    func testLinesRoundTrip() {
        let messages: [ReaperMessage] = [
            .session(1234), .release(99), .process(ProcessIdentity(pid: 77, startTime: 123_456_789)),
        ]
        for m in messages {
            XCTAssertTrue(m.line.hasSuffix("\n"))
            XCTAssertEqual(ReaperMessage.parse(Substring(m.line.dropLast())), m)
        }
    }

    func testRejectsMalformedAndDangerousLines() {
        // pid 0, 1 and negatives would make kill() hit whole groups or init: never accept them.
        for bad in [
            "", "session", "session x", "session 1", "session 0", "session -5", "process 5",
            "process 1 10", "release 0", "kill 5", "session 5 6",
        ] {
            XCTAssertNil(ReaperMessage.parse(Substring(bad)), bad)
        }
    }

    func testConsumeKeepsPartialLinesAndAppliesReleases() {
        var targets = ReaperTargets()
        var buffer = Array("session 100\nsession 200\nprocess 300 42\nsess".utf8)
        targets.consume(&buffer)
        XCTAssertEqual(targets.sessions, [100, 200])
        XCTAssertEqual(targets.processes, [ProcessIdentity(pid: 300, startTime: 42)])
        XCTAssertEqual(String(decoding: buffer, as: UTF8.self), "sess")
        buffer += Array("ion 400\nrelease 100\ngarbage\nrelease 300\n".utf8)
        targets.consume(&buffer)
        XCTAssertEqual(targets.sessions, [200, 400])
        XCTAssertEqual(targets.processes, [])
        XCTAssertTrue(buffer.isEmpty)
    }
}
