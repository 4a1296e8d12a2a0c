import TestSupport
import Foundation
import Glibc
import StackRecipes
import Supervision
import TestSupport
import XCTest
@testable import Runtime

/// The scoped scan on the real /proc: a Python "master" in its own session forks workers, starts
/// threads, replaces itself and double-forks a daemon, step by step; after each step the scoped
/// scan must list what a full scan of every process lists.
final class ScopedScanLinuxTests: XCTestCase {
    /// Each line on stdin is a step; it prints "ok" after each.
    static let master = """
        import os, sys, threading, time
        def sleeper():
            while True: time.sleep(60)
        def worker():
            pid = os.fork()
            if pid == 0:
                sleeper()
            return pid
        workers = [worker(), worker()]
        print("ok", flush=True)
        for line in sys.stdin:
            step = line.strip()
            if step == "worker":
                workers.append(worker())
            elif step == "threads":
                for _ in range(3): threading.Thread(target=sleeper, daemon=True).start()
            elif step == "daemon":
                pid = os.fork()
                if pid == 0:
                    if os.fork() == 0:
                        sleeper()
                    os._exit(0)
                os.waitpid(pid, 0)
            elif step == "replace":
                # A new master (a fork that keeps the session and goes on reading the steps), then
                # this one quits: its workers are orphans.
                if os.fork() != 0:
                    os._exit(0)
            print("ok", flush=True)
        """

    func testScopedScanListsWhatAFullScanListsOnARealTree() throws {
        let dir = TestProject.temporaryDirectory("scope")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Self.master.write(toFile: dir + "/master.py", atomically: true, encoding: .utf8)
        var toChild: [Int32] = [0, 0], fromChild: [Int32] = [0, 0]
        XCTAssertEqual(pipe(&toChild), 0)
        XCTAssertEqual(pipe(&fromChild), 0)
        let pid = try ProcessSpawner().spawn(
            SpawnRequest(
                argv: [RuntimeTestSupport.python, dir + "/master.py"], environment: ["PATH": "/usr/bin:/bin"],
                workingDirectory: dir, stdinFD: toChild[0], stdoutFD: fromChild[1],
                stderrFD: fromChild[1], newSession: true))
        close(toChild[0]); close(fromChild[1])
        defer { close(toChild[1]); close(fromChild[0]); RuntimeTestSupport.killSessions([pid]) }
        let reply = FileHandle(fileDescriptor: fromChild[0], closeOnDealloc: false)
        func step(_ name: String?) {
            if let name { _ = name.appending("\n").withCString { write(toChild[1], $0, strlen($0)) } }
            var line = Data()
            while !line.ends(with: "ok\n") {
                let chunk = reply.availableData
                guard !chunk.isEmpty else {
                    return XCTFail("the master ended: \(String(decoding: line, as: UTF8.self))")
                }
                line += chunk
            }
        }
        step(nil)
        let spec = ProcessSpec(
            component: "app", kind: .gunicorn, argv: [], environment: [:], workingDirectory: dir,
            outputLog: "app.out", readiness: .withParent, stopSignal: .term, roles: RoleRule(root: .master))
        let table = LinuxProcessTable()
        var scoped = ProcessScanner(table: table, assigner: ComponentAssigner(specs: [spec], sessions: ["app": pid]))
        func fullScan() -> [Int32] {
            table.liveMembers(ofSessions: [pid]).map(\.pid).sorted()
        }
        var counts: [Int] = []
        for name in [nil, "worker", "threads", "daemon", "replace", "worker"] as [String?] {
            if let name { step(name) }
            // A forked child may still be alive-but-exiting, or a new one not yet in the table: look twice.
            var got = scoped.scan().records.map(\.pid).sorted()
            var want = fullScan()
            if got != want {
                usleep(50_000)
                got = scoped.scan().records.map(\.pid).sorted()
                want = fullScan()
            }
            XCTAssertEqual(got, want, "after \(name ?? "start")")
            counts.append(got.count)
        }
        // Started with the master and 2 workers; +1 worker, threads (not processes), +1 daemon, the
        // master replaced by its fork (the orphaned workers stay), +1 worker of the new master.
        XCTAssertEqual(counts, [3, 4, 4, 5, 5, 6])
        XCTAssertFalse(scoped.scan().records.contains { $0.pid == pid }, "the old master is gone")
        XCTAssertGreaterThan(
            scoped.scope.scopedScans, 5, "the scans after the first were scoped (the machine forked little)")
    }
}

private extension Data {
    func ends(with text: String) -> Bool {
        count >= text.utf8.count && suffix(text.utf8.count).elementsEqual(text.utf8)
    }
}
