import Drills
import Foundation
import Glibc
import Runtime
import StackModel
import Supervision
import Synchronization
import TestSupport
import XCTest

/// One real drill through the library, no terminal and no `stacktop` process: kill-worker on
/// gunicorn alone (a pre-fork master with 2 workers) at 20 requests/s, the report held against
/// the stack's own event stream and /proc.
final class DrillLaunchTests: XCTestCase {
    func testGunicornKillWorkerRecoversAndTheReportMatchesTheEvents() throws {
        guard TestProject.reaperExecutable != nil else { throw XCTSkip("stacktop-reaper is not built (swift build)") }
        guard access(TestProject.root + "/.venv/bin/gunicorn", X_OK) == 0 else {
            throw XCTSkip("no .venv with gunicorn: run scripts/install-components")
        }
        let scenario = try DrillOptions.scenario("kill-worker", signal: nil, timeout: 15, among: DrillScenario.builtIn)
        let events = Mutex<[StackEvent]>([])
        let phases = Mutex<[String]>([])
        let outcome = DrillLaunch.run(
            TestProject.topology("gunicorn"), scenario: scenario, load: 20,
            stopFlag: StopFlag(), events: { e in events.withLock { $0.append(e) } },
            progress: { p in phases.withLock { $0.append(p.line) } })
        let seen = events.withLock { $0 }
        guard case let .report(report, survivors, runDir) = outcome else {
            return XCTFail("no report: \(outcome); progress: \(phases.withLock { $0 })")
        }
        defer { try? FileManager.default.removeItem(atPath: runDir) }
        XCTAssertEqual(survivors, 0)
        XCTAssertTrue(report.recovered, report.textLines().joined(separator: "\n"))

        // The fault as the event stream says it: SIGKILL to one worker, at the report's time.
        let faults = seen.filter { if case .fault = $0.kind { return true } else { return false } }
        XCTAssertEqual(faults.count, 1, "\(faults)")
        let fault = try XCTUnwrap(faults.first)
        let killed = try XCTUnwrap(fault.pid)
        XCTAssertEqual(fault.role, .worker)
        XCTAssertEqual(report.faultAtMs, fault.tMs)
        XCTAssertTrue(report.target.contains("pid \(killed)"), report.target)

        // Its exit, seen by the watcher, is the report's exit detected (ms after the fault).
        let exit = try XCTUnwrap(
            seen.first {
                if case .exited = $0.kind { return $0.pid == killed } else { return false }
            }, "no exit event for pid \(killed)")
        XCTAssertEqual(report.exitDetectedMs, exit.tMs - fault.tMs)

        // The replacement: a new worker the stream saw spawned after the fault, under the same master.
        let replacement = try XCTUnwrap(report.replacements.first { $0.oldPid == killed }, "\(report.replacements)")
        XCTAssertNotEqual(replacement.newPid, killed)
        let spawned = seen.filter {
            if case .spawned = $0.kind { return $0.pid == replacement.newPid } else { return false }
        }
        XCTAssertEqual(spawned.count, 1, "spawn event of pid \(replacement.newPid)")
        XCTAssertGreaterThanOrEqual(spawned.first?.tMs ?? -1, fault.tMs)
        XCTAssertEqual(report.replacementSpawnedMs, report.replacements.map(\.spawnedMs).min())
        XCTAssertLessThan(replacement.spawnedMs, 5_000, "gunicorn's master replaces a worker within moments")
        if let recoveredMs = report.recoveredMs { XCTAssertLessThanOrEqual(recoveredMs, scenario.timeoutMs) }

        // Requests: the report counts failures among the requests after the fault.
        XCTAssertGreaterThan(report.requests, 0)
        XCTAssertLessThanOrEqual(report.failures.values.reduce(0, +), report.requests)

        // Everything the stack spawned is gone once DrillLaunch returned (the stack was stopped).
        let pids = Set(
            seen.filter { if case .spawned = $0.kind { return true } else { return false } }.compactMap(\.pid))
        for pid in pids.union([killed, replacement.newPid]) {
            XCTAssertTrue(TestProject.eventually(timeoutMs: 5_000) { Self.isGone(pid) }, "pid \(pid) left running")
        }
        XCTAssertEqual(phases.withLock { $0 }.last.map { $0.hasPrefix("done") }, true, "\(phases.withLock { $0 })")
    }

    /// No such process, or a zombie waiting for a parent that is not us.
    static func isGone(_ pid: Int32) -> Bool {
        if kill(pid, 0) != 0 && errno == ESRCH { return true }
        let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
        guard let close = stat.lastIndex(of: ")") else { return true }
        return stat[stat.index(close, offsetBy: 2)...].hasPrefix("Z")
    }
}
