import Foundation
import Glibc
import XCTest
import Runtime
import TestSupport

/// kill -9 of stacktop in the milliseconds between forking a stack's root and telling the
/// reaper its session: the reaper still finds the root (by the run dir it names).
///
/// Before the `spawning` message, a third of these kills left a waitress running forever.
final class HardeningKillDuringSpawnTests: XCTestCase {
    func testSigkillRightAfterTheStackEventLeavesNothing() throws {
        try IntegrationSupport.skipUnlessEveryServerInstalled()
        let seed =
            ProcessInfo.processInfo.environment["STACKTOP_HARDEN_SEED"].flatMap { UInt64($0) }
            ?? UInt64.random(in: 1...UInt64(UInt32.max))
        var rng = SeededGenerator(seed: seed)
        let iterations = 60
        print("kill during spawn: seed \(seed), \(iterations) kills spread over 0-15 ms after the stack event")
        var slowest = 0
        for i in 1...iterations {
            let up = try UpRun(["up", "waitress", "--json", "--for", "60"])
            defer { up.cleanUp() }
            // The stack event is printed just before the run dir is filled and waitress forked.
            XCTAssertTrue(up.waitFor("stack", timeoutMs: 20_000), up.stderr)
            // Spread evenly with jitter, so the fork-to-record window (a few ms in) is hit several times.
            let delayUs = (i - 1) * 250 + Int.random(in: 0..<250, using: &rng)
            usleep(UInt32(delayUs))
            up.process.send(SIGKILL)
            XCTAssertEqual(up.process.wait(timeoutMs: 5000), .signaled(SIGKILL))
            let runDir = up.runDir
            let clock = Stopwatch()
            var left: [String] = []
            let gone = TestProject.eventually(timeoutMs: 2000) {
                left = StackResidue.processes(sessions: up.eventPids, runDir: runDir)
                return left.isEmpty
            }
            slowest = max(slowest, clock.elapsedMs)
            XCTAssertTrue(gone, "kill \(i) (seed \(seed)) \(delayUs) µs after the stack event left: \(left)")
            if !gone { for line in left { if let pid = Int32(line.prefix { $0.isNumber }) { kill(pid, SIGKILL) } } }
        }
        print("kill during spawn: \(iterations) kills, everything gone within \(slowest) ms")
    }

    /// The wire format of the message this relies on, and how the reaper folds it.
    func testSpawningMessageIsClearedByTheSessionThatFollows() {
        let message = ReaperMessage.spawning(runDir: "/tmp/stacktop-runs/x-20260101-000000-42")
        XCTAssertEqual(ReaperMessage.parse(Substring(message.line.dropLast())), message)
        for bad in ["spawning", "spawning ", "spawning relative/dir", "spawning /"] {
            XCTAssertNil(ReaperMessage.parse(Substring(bad)), bad)
        }
        var targets = ReaperTargets()
        var buffer = Array("spawning /r/a\nsession 100\nspawning /r/a\n".utf8)
        targets.consume(&buffer)
        XCTAssertEqual(targets.sessions, [100])
        XCTAssertEqual(targets.unrecordedSpawn, "/r/a", "the second fork's session never came")
        buffer = Array("session 200\n".utf8)
        targets.consume(&buffer)
        XCTAssertNil(targets.unrecordedSpawn)
    }
}
