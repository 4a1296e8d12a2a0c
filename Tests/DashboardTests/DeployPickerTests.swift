import Dashboard
import StackModel
import XCTest

/// The topology picker offering running deploys (`stacktop attach` without a TARGET): one line per
/// deploy as `attach --list` prints it, Enter asks to attach to the selected one, q and Esc quit.
final class DeployPickerTests: XCTestCase {
    static let lines = [
        "127.0.0.1:8080  nginx 4100 → gunicorn 4120 (http unix:/run/app.sock)  under supervisord 4090",
        "0.0.0.0:8443  apache2 5200 → wsgi 5210 (daemon mode)  unit apache2.service",
        "127.0.0.1:9000  gunicorn 6300",
    ]

    static func state(width: Int, height: Int) -> DashboardState {
        var state = DashboardState(width: width, height: height)
        state.pickerAttaches = true
        var topology = StackFixture.topology
        state.pickerEntries = zip(lines, [":8080", ":8443", ":9000"]).map { line, target in
            topology.name = "attached \(target)"
            return PickerEntry(name: line, path: "stacktop attach \(target)", topology: topology, problem: nil)
        }
        return state
    }

    func testSnapshots() {
        for (w, h) in SnapshotTests.sizes {
            var state = Self.state(width: w, height: h)
            _ = update(&state, .key(.down))
            Snapshot.assert(DashboardView.render(state), named: "deploy-picker-\(w)x\(h)")
        }
    }

    func testEnterAttachesToTheSelectedDeploy() {
        var state = Self.state(width: 120, height: 40)
        _ = update(&state, .key(.down))
        _ = update(&state, .key(.down))
        let commands = update(&state, .key(.enter))
        XCTAssertEqual(commands.count, 1)
        guard case let .launch(topology)? = commands.first else { return XCTFail("\(commands)") }
        XCTAssertEqual(topology.name, "attached :9000")
        let screen = DashboardView.render(state).lines.joined(separator: "\n")
        XCTAssertFalse(screen.contains("choose a running deploy"), "Enter leaves the picker")
    }

    func testQAndEscapeQuitWithoutChoosing() {
        for key: Key in [.char("q"), .escape] {
            var state = Self.state(width: 80, height: 24)
            let commands = update(&state, .key(key))
            XCTAssertEqual(commands.count, 1, "\(key)")
            guard case .quit? = commands.first else { return XCTFail("\(key): \(commands)") }
        }
    }

    func testEachDeployOnItsOwnLineAndTheFooterSaysAttach() {
        let screen = DashboardView.render(Self.state(width: 120, height: 40)).lines.joined(separator: "\n")
        for line in Self.lines { XCTAssert(screen.contains(line), "missing: \(line)\n\(screen)") }
        XCTAssert(screen.contains("attach"), screen)
        XCTAssert(screen.contains("deploys 3 found"), screen)
        XCTAssertFalse(screen.contains("launch"), screen)
    }
}
