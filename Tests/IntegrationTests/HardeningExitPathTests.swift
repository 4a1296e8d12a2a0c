import Foundation
import Glibc
import XCTest
import Runtime
import TestSupport

/// Every way `stacktop up` can end, 50 seeded random times over seven stacks: afterwards no
/// process of the stack is alive and none of its listening sockets is left.
///
/// The seed is printed; `STACKTOP_HARDEN_SEED=N` replays a sequence, `STACKTOP_HARDEN_CYCLES=N`
/// changes its length.
final class HardeningExitPathTests: XCTestCase {
    /// How a cycle ends.
    enum Exit: String, CaseIterable {
        case forExpiry = "--for expiry"
        case sigint = "SIGINT"
        case sigterm = "SIGTERM"
        case sighup = "SIGHUP"
        case sigkill = "SIGKILL"
        case sigintDuringLaunch = "SIGINT during launch"
        case sigkillDuringLaunch = "SIGKILL during launch"

        var signal: Int32? {
            switch self {
            case .forExpiry: return nil
            case .sigint, .sigintDuringLaunch: return SIGINT
            case .sigterm: return SIGTERM
            case .sighup: return SIGHUP
            case .sigkill, .sigkillDuringLaunch: return SIGKILL
            }
        }
        var duringLaunch: Bool { self == .sigintDuringLaunch || self == .sigkillDuringLaunch }
    }

    /// Stacks and their weights: the fast ones come up most often, so 50 cycles stay short.
    static let stacks: [(name: String, weight: Int)] = [
        ("waitress", 5), ("uwsgi", 5), ("nginx-gunicorn", 4), ("nginx-flup", 3),
        ("lighttpd-flup", 2), ("apache-mod-wsgi", 1), ("nginx-gunicorn-supervisord", 1),
    ]

    /// Every stack once and every exit at least `cycles / exits` times, then weighted picks, shuffled.
    static func schedule(cycles: Int, using rng: inout SeededGenerator) -> [(stack: String, exit: Exit)] {
        var names = stacks.map(\.name)
        let pool = stacks.flatMap { Array(repeating: $0.name, count: $0.weight) }
        while names.count < cycles { names.append(pool.randomElement(using: &rng)!) }
        var exits: [Exit] = []
        while exits.count < cycles { exits += Exit.allCases }
        names = Array(names.prefix(cycles)).shuffled(using: &rng)
        exits = Array(exits.prefix(cycles)).shuffled(using: &rng)
        return Array(zip(names, exits)).map { (stack: $0.0, exit: $0.1) }
    }

    func testRandomizedLaunchAndExitCycles() throws {
        try IntegrationSupport.skipUnlessEveryServerInstalled()
        let environment = ProcessInfo.processInfo.environment
        let seed =
            environment["STACKTOP_HARDEN_SEED"].flatMap { UInt64($0) } ?? UInt64.random(in: 1...UInt64(UInt32.max))
        let cycles = environment["STACKTOP_HARDEN_CYCLES"].flatMap { Int($0) } ?? 50
        print("exit-path cycles: seed \(seed) (replay: STACKTOP_HARDEN_SEED=\(seed)), \(cycles) cycles")
        var rng = SeededGenerator(seed: seed)
        let plan = HardeningExitPathTests.schedule(cycles: cycles, using: &rng)
        var componentCounts: [String: Int] = [:]
        for name in Set(plan.map(\.stack)) {
            componentCounts[name] = try TopologySource.load(name, paths: IntegrationSupport.paths).topology.components
                .count
        }
        let total = Stopwatch()
        var slowestKillCleanup = 0
        var unclean: [String] = []
        for (index, cycle) in plan.enumerated() {
            let label = "cycle \(index + 1)/\(cycles) seed \(seed) \(cycle.stack) \(cycle.exit.rawValue)"
            // During a launch: the signal comes 0-150 ms after a random component started.
            let components = componentCounts[cycle.stack]!
            let moment = (
                starting: Int.random(in: 1...components, using: &rng), delayMs: Int.random(in: 0...150, using: &rng)
            )
            let outcome = try runCycle(
                cycle.stack, exit: cycle.exit, components: components, launchMoment: moment, label: label)
            if cycle.exit.signal == SIGKILL { slowestKillCleanup = max(slowestKillCleanup, outcome.cleanupMs) }
            if let note = outcome.uncleanStop { unclean.append("\(label): \(note)") }
            print("\(label): \(outcome.summary)")
        }
        print(
            "exit-path cycles: \(cycles) in \(total.elapsedMs / 1000) s; slowest cleanup after SIGKILL \(slowestKillCleanup) ms"
        )
        for line in unclean { print("stop was not clean (something was SIGKILLed): \(line)") }
    }

    struct Outcome {
        var summary: String
        var cleanupMs: Int
        var uncleanStop: String?
    }

    /// One launch and exit; asserts nothing is left. Returns a line for the log.
    private func runCycle(
        _ stack: String, exit: Exit, components: Int, launchMoment: (starting: Int, delayMs: Int),
        label: String
    ) throws -> Outcome {
        let seconds = exit == .forExpiry ? "0.3" : "120"
        let up = try UpRun(["up", stack, "--json", "--for", seconds])
        defer { up.cleanUp() }
        let clock = Stopwatch()
        var wasReady = false
        var sessions = Set<Int32>()
        var runDir: String?
        var sockets: [ListeningSocket] = []
        var reaper: Int32?
        var processCount = 0
        var readyAtSignal = 0

        /// What this cycle knows of the stack so far: sessions from events, its listening sockets.
        func observe() {
            runDir = up.runDir ?? runDir
            sessions.formUnion(up.eventPids)
            let pids = StackResidue.pids(sessions: sessions, runDir: runDir)
            let inodes = StackResidue.socketInodes(of: pids)
            for socket in ListeningSocket.all() where inodes.contains(socket.inode) && !sockets.contains(socket) {
                sockets.append(socket)
            }
            reaper = reaper ?? up.reaperPid
        }

        if exit.duringLaunch {
            XCTAssertTrue(
                up.waitFor("starting", count: launchMoment.starting, timeoutMs: 30_000),
                "\(label): no starting event; stderr: \(up.stderr)")
            Stopwatch.sleep(ms: launchMoment.delayMs)
            observe()
            readyAtSignal = up.events(ofType: "ready").count
            up.process.send(exit.signal!)
        } else {
            // Every component ready, then the launch's last step (one request through the front
            // door) done: the watcher's first `spawned` comes only after it. A signal before that
            // is an interrupted launch (exit 1), which the sigintDuringLaunch cycles cover.
            let ready =
                up.waitFor("ready", count: components, timeoutMs: 40_000)
                && up.waitFor("spawned", timeoutMs: 20_000)
            XCTAssertTrue(ready, "\(label): not ready; events: \(up.stdout) stderr: \(up.stderr)")
            guard ready else {
                sweep(up, sessions: Set(up.eventPids)); return Outcome(summary: "NOT READY", cleanupMs: 0)
            }
            wasReady = true
            observe()
            XCTAssertFalse(sockets.isEmpty, "\(label): the ready stack listens on no TCP socket")
            processCount = StackResidue.processes(sessions: sessions, runDir: runDir).count
            XCTAssertGreaterThanOrEqual(processCount, components, "\(label): the ready stack's processes are not found")
            if let signal = exit.signal { up.process.send(signal) }
        }
        let readyMs = clock.elapsedMs
        let status = up.process.wait(timeoutMs: 30_000)
        let stopMs = clock.elapsedMs - readyMs
        observe()
        XCTAssertNotNil(status, "\(label): stacktop did not exit within 30 s")

        let interrupted = up.events(ofType: "error").contains { ($0["message"] as? String) == "launch interrupted" }
        switch exit {
        case .sigkill, .sigkillDuringLaunch:
            XCTAssertEqual(status, .signaled(SIGKILL), label)
        case .sigintDuringLaunch:
            // Either the signal came during the launch (exit 1 after an `error` and a `stopped`
            // event) or the launch won the race and it was an ordinary stop.
            XCTAssertEqual(status, .exited(interrupted ? 1 : 0), "\(label): stderr: \(up.stderr)")
            XCTAssertEqual(up.events(ofType: "stopped").count, 1, "\(label): \(up.stdout)")
        default:
            XCTAssertEqual(status, .exited(0), "\(label): stderr: \(up.stderr)")
            XCTAssertEqual(up.events(ofType: "stopped").count, 1, "\(label): \(up.stdout)")
        }

        // After a graceful exit nothing may be left at once; after SIGKILL the reaper has 2 s.
        let cleanup = Stopwatch()
        var left = StackResidue.processes(sessions: sessions, runDir: runDir)
        if exit.signal == SIGKILL {
            _ = TestProject.eventually(timeoutMs: 2000) {
                left = StackResidue.processes(sessions: sessions, runDir: runDir)
                return left.isEmpty
            }
        }
        let cleanupMs = cleanup.elapsedMs
        XCTAssertEqual(left, [], "\(label): processes left")
        let inodes = Set(sockets.map(\.inode))
        let stillListening = ListeningSocket.all().filter { inodes.contains($0.inode) }
        XCTAssertEqual(stillListening, [], "\(label): listening sockets left")
        if let port = up.url.flatMap(IntegrationSupport.port(of:)), wasReady,
            !ListeningSocket.all().filter({ $0.port == port }).isEmpty
        {
            // The front door's port is free, unless another program (other tests share this
            // machine) took it since: then its holder is a live process outside the stack.
            let holders = SocketTable().holders(ofPort: port)
            XCTAssertFalse(holders.isEmpty, "\(label): port \(port) still listening, held by no visible process")
            print("\(label): port \(port) was taken again by \(holders)")
        }
        if let reaper {
            XCTAssertTrue(
                TestProject.eventually(timeoutMs: 5000) {
                    kill(reaper, 0) != 0 || LinuxProcessTable().record(of: reaper)?.isDead == true
                },
                "\(label): the reaper \(reaper) outlived its stacktop")
        }
        if !left.isEmpty { sweep(up, sessions: sessions, runDir: runDir) }

        let stopped = up.events(ofType: "stopped").first
        let unclean = (stopped?["clean"] as? Bool) == false ? stopped?["detail"] as? String : nil
        var summary =
            exit.duringLaunch
            ? ("signal at \(readyMs) ms with \(readyAtSignal)/\(components) ready"
                + (interrupted ? ", launch interrupted" : ""))
            : "ready in \(readyMs) ms"
        summary += wasReady ? ", \(processCount) processes" : ""
        summary += ", \(status.map { "\($0)" } ?? "running") after \(stopMs) ms, \(sockets.count) listener(s)"
        summary += exit.signal == SIGKILL ? ", gone \(cleanupMs) ms after" : ""
        summary += left.isEmpty ? ", nothing left" : ", \(left.count) LEFT"
        return Outcome(summary: summary, cleanupMs: cleanupMs, uncleanStop: unclean)
    }

    /// Kills what a failed cycle left, so the next cycle starts clean.
    private func sweep(_ up: UpRun, sessions: Set<Int32>, runDir: String? = nil) {
        let pids = StackResidue.pids(sessions: sessions, runDir: runDir ?? up.runDir)
        for pid in pids { kill(pid, SIGKILL) }
        _ = SessionSweeper(timeoutMs: 2000).sweep(sessions: sessions)
    }
}
