import XCTest
@testable import Traffic

/// A deploy stacktop attached to logs in its servers' default format: Common/Combined Log Format
/// lines are counted by status, with their time.
final class CommonLogFormatTests: XCTestCase {
    func testCombinedAndCommonLines() {
        let nginx = #"127.0.0.1 - - [04/Dec/2026:16:28:13 +0000] "GET /a?b=\"c\" HTTP/1.1" 502 24 "-" "curl/7.88.1""#
        let apache = #"127.0.0.1 - - [04/Dec/2026:16:28:13 +0000] "GET / HTTP/1.1" 200 3 1234"#
        XCTAssertEqual(AccessLogParser.parseCommon(nginx)?.status, 502)
        XCTAssertEqual(AccessLogParser.parseCommon(apache)?.status, 200)
        XCTAssertEqual(AccessLogParser.parseCommon(apache)?.timeMillis, 1_796_401_693_000)
        XCTAssertNil(AccessLogParser.parseCommon("not an access log line"))
        XCTAssertNil(AccessLogParser.parseCommon(#"x [y] "GET /" 20 1"#), "a status has three digits")
        var stats = AccessLogStats(startNanos: 0)
        stats.record(line: nginx)
        stats.record(line: apache)
        stats.record(line: "garbage")
        let w = stats.closeWindow(now: 1_000_000_000)
        XCTAssertEqual(w.requests, 2)
        XCTAssertEqual(w.byStatus, [200: 1, 502: 1])
        XCTAssertEqual(w.unparsed, 1)
    }
}
