import StackModel
import XCTest
@testable import Dashboard

/// The operation keys (r, R, >, <, D): what they ask the wiring to do on nginx + gunicorn under
/// supervisord, and the reason they are greyed where the selected server cannot do it.
final class OperationKeysTests: XCTestCase {
    func running(selecting pid: Int32) -> DashboardState {
        var (state, _) = StackFixture.running(width: 80, height: 24)
        while state.selection?.pid != pid {
            let before = state.selectedRow
            _ = update(&state, .key(.down))
            if state.selectedRow == before { XCTFail("pid \(pid) not in the table"); break }
        }
        return state
    }

    func testKeysAskForTheOperationOfTheSelectedComponent() {
        var state = running(selecting: 4311)
        XCTAssertEqual(update(&state, .key(.char("r"))), [.operate(.reload, component: "app", bumpVersion: false)])
        XCTAssertEqual(state.timeline.entries.last?.text, "graceful reload of app requested")
        XCTAssertEqual(update(&state, .key(.char("R"))), [.operate(.restart, component: "app", bumpVersion: false)])
        XCTAssertEqual(update(&state, .key(.char(">"))), [.operate(.addWorker, component: "app", bumpVersion: false)])
        XCTAssertEqual(
            update(&state, .key(.char("<"))), [.operate(.removeWorker, component: "app", bumpVersion: false)])
        XCTAssertEqual(update(&state, .key(.char("D"))), [.operate(.reload, component: "app", bumpVersion: true)])
    }

    func testUnsupportedOperationsAreGreyedWithTheReason() {
        var state = running(selecting: 4300)
        XCTAssertEqual(update(&state, .key(.char("r"))), [])
        XCTAssertEqual(
            state.flash?.text,
            "r graceful reload of the selected process's component: supervisor: reload the programs, not supervisord (its reload restarts everything)"
        )
        XCTAssertEqual(update(&state, .key(.char(">"))), [])
        XCTAssertEqual(
            state.flash?.text, "> one worker more (gunicorn TTIN, uWSGI FIFO +): supervisor: supervisord has no workers"
        )
        // nginx's workers are fixed by its config, but it reloads.
        var front = running(selecting: 4301)
        XCTAssertEqual(update(&front, .key(.char("<"))), [])
        XCTAssertEqual(
            front.whyDisabled(.operation(.removeWorker)),
            "front: nginx's worker count is fixed by its config: change it and reload")
        XCTAssertEqual(update(&front, .key(.char("r"))), [.operate(.reload, component: "front", bumpVersion: false)])
        // D deploys the app server whatever is selected.
        XCTAssertNil(front.whyDisabled(.deployable))
    }
}
