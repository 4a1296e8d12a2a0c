import Dashboard
import XCTest
@testable import Terminal

/// The inbox other threads post to, and what the loop draws at once or with the next second.
final class DashboardInboxTests: XCTestCase {
    func testDrainTakesWhatWasPostedOnceAndNothingAfterClose() {
        let inbox = DashboardInbox()
        inbox.send(.key(.char("a")))
        inbox.send(.key(.up))
        let first = inbox.drain()
        XCTAssertEqual(first.messages, [.key(.char("a")), .key(.up)])
        XCTAssertFalse(first.closed)
        XCTAssertEqual(inbox.drain().messages, [], "drained once")
        inbox.close()
        inbox.send(.key(.down))
        let last = inbox.drain()
        XCTAssertEqual(last.messages, [], "ignored after close")
        XCTAssertTrue(last.closed)
    }

    func testOnlyFigureRefreshesWaitForTheNextSecond() {
        XCTAssertTrue(DashboardLoop.isAmbient(.tick(nowMs: 5)))
        XCTAssertFalse(DashboardLoop.isAmbient(.key(.char("q"))))
        XCTAssertFalse(DashboardLoop.isAmbient(.resize(width: 80, height: 24)))
        XCTAssertFalse(DashboardLoop.isAmbient(.interrupted(signal: "SIGINT")))
    }
}
