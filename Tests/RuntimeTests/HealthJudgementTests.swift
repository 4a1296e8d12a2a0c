import XCTest
@testable import Runtime

/// The front door's answer to the health path: any HTTP answer below 500 is healthy, a 5xx is not.
final class HealthJudgementTests: XCTestCase {
    func testAnswersBelow500AreHealthyAnd5xxAreNot() {
        let cases: [(status: Int, healthy: Bool, detail: String)] = [
            (200, true, "200 in 3 ms"),
            (302, true, "302 in 3 ms"),
            (404, true, "404 in 3 ms"),
            (499, true, "499 in 3 ms"),
            (500, false, "500 in 3 ms (5xx: unhealthy)"),
            (503, false, "503 in 3 ms (5xx: unhealthy)"),
            (502, false, "502 in 3 ms (5xx: unhealthy; the front server's upstream is not answering)"),
            (504, false, "504 in 3 ms (5xx: unhealthy; the front server's upstream is not answering)"),
        ]
        for c in cases {
            let judged = HopProbe.judge(status: c.status, tookMs: 3)
            XCTAssertEqual(judged.answering, c.healthy, "\(c.status)")
            XCTAssertEqual(judged.detail, c.detail)
        }
    }
}
