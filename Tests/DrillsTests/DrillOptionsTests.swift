import Drills
import Glibc
import StackModel
import Traffic
import XCTest

/// `--scenario`, `--signal`, `--timeout` and `--load` as `drill` and `compare` check them.
final class DrillOptionsTests: XCTestCase {
    let all = DrillScenario.builtIn

    func testUnknownScenarioIsAnErrorNamingIt() {
        XCTAssertThrowsError(try DrillOptions.scenario("kill-everything", signal: nil, timeout: nil, among: all)) {
            XCTAssertTrue("\($0)".contains("kill-everything"), "\($0)")
        }
    }

    func testSignalReplacesTheKillScenariosSignal() throws {
        let plain = try DrillOptions.scenario("kill-worker", signal: nil, timeout: nil, among: all)
        XCTAssertEqual(plain.action.signal, SIGKILL)
        let term = try DrillOptions.scenario("kill-worker", signal: "SIGTERM", timeout: nil, among: all)
        XCTAssertEqual(term.action.signal, SIGTERM)
        XCTAssertEqual(term.name, plain.name)
    }

    func testSignalIsRefusedWhereTheScenarioSendsNone() {
        XCTAssertThrowsError(try DrillOptions.scenario("crash-inside", signal: "SIGTERM", timeout: nil, among: all)) {
            XCTAssertEqual("\($0)", "--signal applies to the kill-* scenarios; crash-inside sends no signal of its own")
        }
        XCTAssertThrowsError(try DrillOptions.scenario("kill-worker", signal: "SIGBOGUS", timeout: nil, among: all)) {
            XCTAssertTrue("\($0)".hasPrefix("--signal SIGBOGUS: not a signal a drill sends"), "\($0)")
        }
    }

    func testTimeoutInSecondsBecomesTheScenariosMilliseconds() throws {
        let chosen = try DrillOptions.scenario("kill-worker", signal: nil, timeout: 2.5, among: all)
        XCTAssertEqual(chosen.timeoutMs, 2500)
        for bad in [0, -1, 600.5] {
            XCTAssertThrowsError(try DrillOptions.scenario("kill-worker", signal: nil, timeout: bad, among: all)) {
                XCTAssertEqual("\($0)", "--timeout needs 0 < S <= 600 seconds, not \(bad)")
            }
        }
        XCTAssertNoThrow(try DrillOptions.scenario("kill-worker", signal: nil, timeout: 600, among: all))
    }

    func testLoadMustBeInRange() {
        XCTAssertNoThrow(try DrillOptions.check(load: nil))
        XCTAssertNoThrow(try DrillOptions.check(load: 1))
        XCTAssertNoThrow(try DrillOptions.check(load: LoadSettings.maxRate))
        for bad in [0, -5, LoadSettings.maxRate + 1] {
            XCTAssertThrowsError(try DrillOptions.check(load: bad)) {
                XCTAssertEqual(
                    ($0 as? DrillOptionError)?.description,
                    "--load needs a rate of 1...\(LoadSettings.maxRate) requests per second, not \(bad)")
            }
        }
    }
}
