import StackRecipes
import Supervision
import Synchronization
import XCTest
@testable import Runtime

/// The scoped scan on process tables written by hand: what it reads, and that it finds what a
/// full scan finds (new workers, orphans, replaced masters, double-forked daemons), threads left out.
final class ScanScopeTests: XCTestCase {
    /// A machine whose pid counter and thread list the test sets; counts the stat reads per pid.
    final class ForkingTable: ProcessTable, @unchecked Sendable {
        private let lock = Mutex<State>(State())
        struct State {
            var processes: [Int32: ProcessRecord] = [:]
            /// Thread id → its record (its process's parent and session).
            var threads: [Int32: ProcessRecord] = [:]
            /// Thread id → its process.
            var owners: [Int32: Int32] = [:]
            var last: Int32? = 0
            var reads: [Int32: Int] = [:]
        }

        /// Adds a process (or with `threadOf`, a thread of that process) and hands out its pid.
        func fork(_ pid: Int32, ppid: Int32, sid: Int32, threadOf: Int32? = nil) {
            lock.withLock { s in
                let r = ProcessRecord(
                    pid: pid, ppid: ppid, pgid: sid, sid: sid, comm: "p", state: "S", startTimeTicks: UInt64(pid))
                if let owner = threadOf {
                    s.threads[pid] = r
                    s.owners[pid] = owner
                } else {
                    s.processes[pid] = r
                }
                s.last = max(s.last ?? 0, pid)
            }
        }
        func exit(_ pid: Int32) { lock.withLock { _ = $0.processes.removeValue(forKey: pid) } }
        func reparent(_ pid: Int32, to ppid: Int32) { lock.withLock { $0.processes[pid]?.ppid = ppid } }
        func setLast(_ pid: Int32?) { lock.withLock { $0.last = pid } }
        func takeReads() -> [Int32: Int] {
            lock.withLock { s in
                defer { s.reads = [:] }; return s.reads
            }
        }

        func pids() -> [Int32] { lock.withLock { Array($0.processes.keys) } }
        func record(of pid: Int32) -> ProcessRecord? {
            lock.withLock { s in
                s.reads[pid, default: 0] += 1
                return s.processes[pid] ?? s.threads[pid]
            }
        }
        func commandLine(of pid: Int32) -> String? { lock.withLock { $0.processes[pid] == nil ? nil : "worker" } }
        func uid(of pid: Int32) -> UInt32? { 0 }
        func lastPid() -> Int32? { lock.withLock { $0.last } }
        func threadGroup(of pid: Int32) -> Int32? {
            lock.withLock { s in s.processes[pid] != nil ? pid : s.owners[pid] }
        }
    }

    private func scanner(
        _ table: ForkingTable, sessions: [String: Int32] = ["app": 100],
        roots: [String: ProcessIdentity] = [:]
    ) -> ProcessScanner {
        let spec = ProcessSpec(
            component: "app", kind: .gunicorn, argv: ["worker"], environment: [:], workingDirectory: "/",
            outputLog: "app.out", readiness: .withParent, stopSignal: .term, roles: RoleRule(root: .master))
        return ProcessScanner(
            table: table, assigner: ComponentAssigner(specs: [spec], sessions: sessions, roots: roots))
    }

    /// A stack (master 100, workers 101-102 in its session) among other processes (5, 50, 60).
    private func machine() -> ForkingTable {
        let t = ForkingTable()
        t.fork(5, ppid: 1, sid: 5)
        t.fork(50, ppid: 1, sid: 50)
        t.fork(60, ppid: 50, sid: 50)
        t.fork(100, ppid: 1, sid: 100)
        t.fork(101, ppid: 100, sid: 100)
        t.fork(102, ppid: 100, sid: 100)
        return t
    }

    private func pids(_ scan: ProcessScanner.Scan) -> [Int32] { scan.records.map(\.pid).sorted() }

    func testFirstScanIsFullThenOnlyTheStackAndNewPidsAreRead() {
        let t = machine()
        var s = scanner(t)
        XCTAssertEqual(pids(s.scan()), [100, 101, 102])
        XCTAssertEqual(Set(t.takeReads().keys), [5, 50, 60, 100, 101, 102], "the first scan reads every process")
        t.fork(103, ppid: 100, sid: 100)  // a new worker
        t.fork(104, ppid: 50, sid: 50)  // someone else's
        XCTAssertEqual(pids(s.scan()), [100, 101, 102, 103])
        XCTAssertEqual(
            Set(t.takeReads().keys), [100, 101, 102, 103, 104], "the stack's pids and the pids handed out since")
        XCTAssertEqual(pids(s.scan()), [100, 101, 102, 103])
        XCTAssertEqual(Set(t.takeReads().keys), [100, 101, 102, 103], "nothing forked: the stack's pids only")
        XCTAssertEqual(s.scope.fullScans, 1)
        XCTAssertEqual(s.scope.scopedScans, 2)
    }

    func testOrphanedWorkerReplacedMasterAndDoubleForkedDaemonAreFound() {
        let t = machine()
        var s = scanner(t)
        _ = s.scan()
        // The master forks its replacement (a binary upgrade), then quits: its workers are reparented to init.
        t.fork(110, ppid: 100, sid: 100)
        t.exit(100)
        t.reparent(101, to: 1)
        t.reparent(102, to: 1)
        // A worker double-forks a daemon whose intermediate parent is gone before the scan.
        t.fork(111, ppid: 101, sid: 100)
        t.fork(112, ppid: 111, sid: 100)
        t.exit(111)
        t.reparent(112, to: 1)
        let scan = s.scan()
        XCTAssertEqual(pids(scan), [101, 102, 110, 112])
        var full = scanner(t)
        full.scope.maxRange = -1
        XCTAssertEqual(pids(scan), pids(full.scan()), "the same processes as a full scan")
        XCTAssertEqual(scan.records.first { $0.pid == 101 }?.ppid, 1)
        XCTAssertEqual(s.scope.scopedScans, 1)
    }

    func testSessionAdoptedAfterItsRootWasForkedIsFound() {
        let t = machine()
        var s = scanner(t)
        _ = s.scan()
        // A restart in place: the new root (its own session) and its worker are forked, a scan
        // passes their pids before the watcher is told of the session, then the session is adopted.
        t.exit(101)
        t.exit(102)
        t.exit(100)
        t.fork(140, ppid: 1, sid: 140)
        t.fork(141, ppid: 140, sid: 140)
        XCTAssertEqual(pids(s.scan()), [])
        s.adopt(session: 140, component: "app")
        XCTAssertEqual(pids(s.scan()), [140, 141], "the adopted session's processes forked before it joined")
        XCTAssertEqual(s.scope.fullScans, 2, "adopting a session makes the next scan a full one")
    }

    func testThreadsOfStackProcessesAreLeftOut() {
        let t = machine()
        var s = scanner(t)
        _ = s.scan()
        t.fork(120, ppid: 1, sid: 100, threadOf: 100)  // a thread of the master: its parent's ppid and its session
        t.fork(121, ppid: 100, sid: 100)
        XCTAssertEqual(pids(s.scan()), [100, 101, 102, 121])
    }

    func testAttachedStackFollowsNewChildrenOfItsTree() {
        let t = machine()
        var s = scanner(t, sessions: [:], roots: ["app": ProcessIdentity(pid: 100, startTime: 100)])
        XCTAssertEqual(pids(s.scan()), [100, 101, 102])
        t.fork(130, ppid: 101, sid: 100)  // a worker's child
        t.fork(131, ppid: 130, sid: 100)  // and its child
        t.fork(132, ppid: 60, sid: 50)  // not in the tree
        XCTAssertEqual(pids(s.scan()), [100, 101, 102, 130, 131])
        XCTAssertEqual(s.scope.scopedScans, 1)
    }

    func testWrapJumpUnknownCounterAndSafetyNetScanEverything() {
        let t = machine()
        var s = scanner(t)
        s.scope.fullEvery = 4
        _ = s.scan()
        _ = t.takeReads()
        t.setLast(90)  // the counter wrapped
        t.fork(103, ppid: 100, sid: 100)
        t.setLast(40)
        XCTAssertEqual(pids(s.scan()), [100, 101, 102, 103])
        XCTAssertEqual(Set(t.takeReads().keys), [5, 50, 60, 100, 101, 102, 103], "a wrapped counter: full scan")
        t.setLast(40 + s.scope.maxRange + 1)  // more pids handed out than reading them one by one is worth
        _ = s.scan()
        XCTAssertEqual(t.takeReads().count, 7, "a jump: full scan")
        t.setLast(nil)
        _ = s.scan()
        t.setLast(700)
        _ = s.scan()
        XCTAssertEqual(s.scope.fullScans, 5, "no counter: full scan (and the scan after it)")
        for _ in 0..<4 { _ = s.scan() }
        XCTAssertEqual(s.scope.scopedScans, 3)
        XCTAssertEqual(s.scope.fullScans, 6, "every fullEvery-th scan is full")
    }
}
