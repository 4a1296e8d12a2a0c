import Foundation
import Glibc
import Runtime
import XCTest
import TestSupport

/// The dashboard on a terminal that shrinks below 20×6 and through a storm of resizes, under
/// load, in a detached tmux pane: it never dies, says the terminal is too small when it is,
/// draws the right stack at the final size (pids on screen = /proc) and q leaves nothing.
///
/// The storm's seed is printed; `STACKTOP_HARDEN_SEED=N` replays it.
final class HardeningTerminalTests: XCTestCase {
    static let topology = "nginx-gunicorn"

    func testTinySizesAndAResizeStormUnderLoad() throws {
        try IntegrationSupport.skipUnlessEveryServerInstalled()
        let exe = try XCTUnwrap(TestProject.stacktopExecutable, "build stacktop first (swift build)")
        let tmux = try TmuxPane.start(exe: exe, args: [Self.topology])
        defer { tmux.kill() }
        var screen = ""
        XCTAssertTrue(
            TestProject.eventually(timeoutMs: 30_000) {
                screen = tmux.capture()
                return ScreenText.rows(screen, component: "app", role: "└worker").count >= 2
            }, "no worker table after 30 s:\n\(screen)")
        let stacktop = try XCTUnwrap(tmux.stacktopPid(), "no stacktop process in the pane")
        let runDir = try XCTUnwrap(ProcScan.runDir(topology: Self.topology, pid: stacktop))
        let appMaster = try XCTUnwrap(ScreenText.rows(screen, component: "app", role: "master").first)
        let frontMaster = try XCTUnwrap(ScreenText.rows(screen, component: "front", role: "front").first)

        // Load on (20/s), then two steps up: 100 requests a second flow through the storm.
        tmux.keys("l")
        tmux.keys("+")
        tmux.keys("+")
        XCTAssertTrue(
            TestProject.eventually(timeoutMs: 5_000) { tmux.capture().contains("load on 100/s") },
            "load not on at 100/s:\n\(tmux.capture())")

        // Below 20×6: the too-small message (as much of it as fits), never a crash.
        let tiny: [(width: Int, height: Int, expect: String?)] = [
            (19, 5, "terminal too small"), (10, 3, "too small"), (1, 1, nil), (20, 6, "terminal too small"),
        ]
        for size in tiny {
            tmux.resize(width: size.width, height: size.height)
            let shown = TestProject.eventually(timeoutMs: 3_000) {
                screen = tmux.capture()
                return size.expect.map { screen.contains($0) } ?? true
            }
            XCTAssertTrue(shown, "\(size.width)×\(size.height): no \"\(size.expect ?? "")\":\n\(screen)")
            let lines = screen.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
            XCTAssertLessThanOrEqual(lines.count, size.height, "\(size.width)×\(size.height): more rows than the pane")
            XCTAssertTrue(
                lines.allSatisfy { $0.count <= size.width },
                "\(size.width)×\(size.height): a row is too wide:\n\(screen)")
            Stopwatch.sleep(ms: 300)
            XCTAssertTrue(ProcScan.isAlive(stacktop), "stacktop died at \(size.width)×\(size.height)")
            XCTAssertFalse(tmux.paneDead(), "the pane's program ended at \(size.width)×\(size.height)")
        }
        tmux.resize(width: 120, height: 40)
        XCTAssertTrue(
            TestProject.eventually(timeoutMs: 3_000) {
                ScreenText.rows(tmux.capture(), component: "app", role: "└worker").count >= 2
            }, "no worker table back at 120×40:\n\(tmux.capture())")

        // The storm: ≥ 200 random sizes (1…200 × 1…60) in batches of 12, one batch every 150 ms (about 3 s).
        let environment = ProcessInfo.processInfo.environment
        let seed =
            environment["STACKTOP_HARDEN_SEED"].flatMap { UInt64($0) } ?? UInt64.random(in: 1...UInt64(UInt32.max))
        var rng = SeededGenerator(seed: seed)
        let clock = Stopwatch()
        var resizes = 0
        for _ in 0..<18 {
            let sizes = (0..<12).map { _ in (Int.random(in: 1...200, using: &rng), Int.random(in: 1...60, using: &rng))
            }
            tmux.resize(sizes)
            resizes += sizes.count
            Stopwatch.sleep(ms: 150)
        }
        let stormMs = clock.elapsedMs
        let final = (width: Int.random(in: 80...160, using: &rng), height: Int.random(in: 24...50, using: &rng))
        tmux.resize(width: final.width, height: final.height)
        print(
            "resize storm: seed \(seed) (replay: STACKTOP_HARDEN_SEED=\(seed)), \(resizes) resizes in \(stormMs) ms, "
                + "final \(final.width)×\(final.height)")
        XCTAssertGreaterThanOrEqual(resizes, 200)
        XCTAssertLessThan(stormMs, 10_000, "the storm took too long to be a storm")
        XCTAssertTrue(ProcScan.isAlive(stacktop), "stacktop died in the resize storm")

        // The final screen: its size, the header, and the stack's pids exactly as /proc has them.
        var appWorkers: [Int32] = []
        var frontWorkers: [Int32] = []
        let settled = TestProject.eventually(timeoutMs: 8_000) {
            screen = tmux.capture()
            appWorkers = ScreenText.rows(screen, component: "app", role: "└worker")
            frontWorkers = ScreenText.rows(screen, component: "front", role: "└worker")
            // The footer's keys, once any flash message there has expired.
            let footer = screen.split(separator: "\n", omittingEmptySubsequences: false).dropLast().last ?? ""
            return Set(appWorkers) == ProcScan.liveChildren(of: appMaster)
                && Set(frontWorkers) == ProcScan.liveChildren(of: frontMaster)
                && screen.hasPrefix(" \(Self.topology) │") && footer.contains("q quit")
        }
        XCTAssertTrue(
            settled,
            "the screen at \(final.width)×\(final.height) does not match /proc "
                + "(app \(appWorkers) vs \(ProcScan.liveChildren(of: appMaster).sorted()), "
                + "front \(frontWorkers) vs \(ProcScan.liveChildren(of: frontMaster).sorted())):\n\(screen)")
        let lines = screen.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        XCTAssertEqual(lines.count, final.height, "rows on screen")
        XCTAssertTrue(lines.allSatisfy { $0.count <= final.width }, "a row is wider than \(final.width):\n\(screen)")
        XCTAssertEqual(ScreenText.rows(screen, component: "app", role: "master"), [appMaster])
        XCTAssertEqual(ScreenText.rows(screen, component: "front", role: "front"), [frontMaster])
        XCTAssertTrue(lines.last?.contains("q quit") == true, "the footer is on the last row:\n\(screen)")
        XCTAssertTrue(screen.contains("load on 100/s"), "the load survived the storm")
        XCTAssertEqual(tmux.stacktopPid(), stacktop, "the same stacktop process")

        // q: stacktop exits 0 and nothing of the stack is left.
        let everyone = [appMaster, frontMaster] + appWorkers + frontWorkers
        let (exited, status) = tmux.quit(statusMs: 3_000)
        XCTAssertTrue(exited, "stacktop still running 20 s after q")
        XCTAssertEqual(status, 0, "stacktop's exit status")
        XCTAssertEqual(everyone.filter(ProcScan.isAlive), [], "processes of the stack still alive after q")
        XCTAssertEqual(ProcScan.processes(mentioning: runDir), [], "processes still using \(runDir)")
        XCTAssertFalse(ProcScan.isAlive(stacktop))
    }
}

extension TmuxPane {
    /// Resizes the window (and so the pane and its program's terminal) to `width`×`height`.
    func resize(width: Int, height: Int) { resize([(width, height)]) }

    /// Several resizes in one tmux invocation, applied one after another as fast as tmux can.
    func resize(_ sizes: [(Int, Int)]) {
        var args: [String] = []
        for (width, height) in sizes {
            if !args.isEmpty { args.append(";") }
            args += ["resize-window", "-t", target, "-x", String(width), "-y", String(height)]
        }
        quiet(args)
    }
}
