import XCTest
@testable import Runtime

/// Parsing /proc/PID/stat lines, including command names with spaces and parentheses.
final class ProcessRecordTests: XCTestCase {
    /// A stat line with the given comm and the fields after it.
    private func stat(
        pid: Int32, comm: String, state: String, ppid: Int32, pgid: Int32, sid: Int32,
        utime: Int, stime: Int, threads: Int, start: Int, rss: Int
    ) -> String {
        "\(pid) (\(comm)) \(state) \(ppid) \(pgid) \(sid) 0 -1 4194560 100 0 0 0 \(utime) \(stime) 0 0 20 0 "
            + "\(threads) 0 \(start) 12345678 \(rss) 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n"
    }

    func testParsesFieldsAfterTheLastParenthesis() {
        let cases: [(comm: String, state: Character, pid: Int32, ppid: Int32, pgid: Int32, sid: Int32)] = [
            ("nginx", "S", 100, 1, 100, 100),
            ("gunicorn: worker", "R", 2001, 2000, 2000, 1999),
            ("weird) (name", "Z", 7, 6, 6, 5),
            ("(wsgi:app)", "S", 42, 41, 41, 41),
        ]
        for c in cases {
            let line = stat(
                pid: c.pid, comm: c.comm, state: String(c.state), ppid: c.ppid, pgid: c.pgid,
                sid: c.sid, utime: 11, stime: 22, threads: 5, start: 98765, rss: 321)
            guard let r = ProcessRecord.parse(stat: line) else { return XCTFail("no parse for \(c.comm)") }
            XCTAssertEqual(r.pid, c.pid, c.comm)
            XCTAssertEqual(r.comm, c.comm)
            XCTAssertEqual(r.state, c.state, c.comm)
            XCTAssertEqual(r.ppid, c.ppid, c.comm)
            XCTAssertEqual(r.pgid, c.pgid, c.comm)
            XCTAssertEqual(r.sid, c.sid, c.comm)
            XCTAssertEqual(r.utimeTicks, 11)
            XCTAssertEqual(r.stimeTicks, 22)
            XCTAssertEqual(r.threads, 5)
            XCTAssertEqual(r.startTimeTicks, 98765)
            XCTAssertEqual(r.rssPages, 321)
            XCTAssertEqual(r.isDead, c.state == "Z")
        }
    }

    func testRejectsTruncatedOrGarbledLines() {
        for bad in ["", "12 (x", "12 (x) S 1 2", "abc (x) S 1 2 3 0 0 0 0 0 0 0 1 1 0 0 0 0 1 0 5 6 7"] {
            XCTAssertNil(ProcessRecord.parse(stat: bad), bad)
        }
    }

    func testParsesOwnStatFromRealProc() {
        let table = LinuxProcessTable()
        let me = getpid()
        guard let r = table.record(of: me) else { return XCTFail("cannot read own stat") }
        XCTAssertEqual(r.pid, me)
        XCTAssertEqual(r.ppid, getppid())
        XCTAssertEqual(r.sid, getsid(0))
        XCTAssertEqual(r.pgid, getpgrp())
        XCTAssertGreaterThan(r.startTimeTicks, 0)
        XCTAssertTrue(table.pids().contains(me))
        XCTAssertEqual(table.uid(of: me), getuid())
        XCTAssertFalse(table.commandLine(of: me)?.isEmpty ?? true)
    }

    func testLiveMembersSkipsZombiesAndOtherSessions() {
        let table = FakeProcessTable(records: [
            ProcessRecord(pid: 10, ppid: 1, pgid: 10, sid: 10, comm: "nginx", state: "S"),
            ProcessRecord(pid: 11, ppid: 10, pgid: 10, sid: 10, comm: "nginx", state: "Z"),
            ProcessRecord(pid: 12, ppid: 1, pgid: 12, sid: 10, comm: "orphan", state: "S"),
            ProcessRecord(pid: 20, ppid: 1, pgid: 20, sid: 20, comm: "other", state: "R"),
        ])
        XCTAssertEqual(table.liveMembers(ofSessions: [10]).map(\.pid), [10, 12])
        XCTAssertEqual(table.liveMembers(ofSessions: [10, 20]).map(\.pid), [10, 12, 20])
        XCTAssertEqual(table.liveMembers(ofSessions: []).map(\.pid), [])
        XCTAssertTrue(table.isAlive(12))
        XCTAssertFalse(table.isAlive(11))
        XCTAssertFalse(table.isAlive(10, startTime: 5))
    }
}

/// Reading the whole real process table stays cheap enough to do several times a second.
final class ProcessTableCostTests: XCTestCase {
    func testFullSnapshotIsCheap() {
        let table = LinuxProcessTable()
        _ = table.snapshot()
        let clock = Stopwatch()
        let rounds = 20
        var count = 0
        for _ in 0..<rounds { count = table.snapshot().count }
        let perSnapshotUs = Int(clock.elapsedNs / UInt64(rounds) / 1000)
        print("snapshot of \(count) processes: \(perSnapshotUs) µs")
        XCTAssertGreaterThan(count, 1)
        XCTAssertLessThan(perSnapshotUs, 100_000, "a /proc scan should take well under 100 ms")
    }
}
