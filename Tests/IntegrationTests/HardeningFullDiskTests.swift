import Foundation
import Glibc
import XCTest
import Runtime
import TestSupport

/// A full disk, on a small private tmpfs as STACKTOP_RUNS_DIR: before the launch (the run dir
/// cannot be written) and while a stack runs under load (its logs fill the disk). Skipped with
/// the reason where a tmpfs cannot be mounted (non-root CI); the tmpfs is always unmounted.
final class HardeningFullDiskTests: XCTestCase {
    private var disk: HardeningTmpfs?

    override func setUpWithError() throws {
        try IntegrationSupport.skipUnlessEveryServerInstalled()
    }

    override func tearDown() {
        if let disk {
            XCTAssertTrue(disk.remove(), "\(disk.path) is still mounted")
        }
        disk = nil
    }

    /// `up` on a (nearly) full disk: exit 1, one error naming the run dir and "No space left on
    /// device", nothing running afterwards, and no half-written run dir left behind when the
    /// configs could not be written (when they could, a server failed: its logs are kept).
    func testLaunchOnAFullDiskFailsClearlyAndLeavesNothing() throws {
        let pages: Int64 = 4096
        let cases: [(stack: String, freeBytes: Int64)] = [
            ("nginx-gunicorn", 0),  // not one config byte fits
            ("nginx-gunicorn", 1 * pages),  // the first config fits, the next does not
            ("nginx-gunicorn-supervisord", 2 * pages),
            ("lighttpd-flup", 0),  // writes a Python launcher script too
            ("nginx-gunicorn", 2 * pages),  // configs fit: gunicorn dies without a word
            ("nginx-gunicorn", 5 * pages),  // gunicorn starts, nginx cannot write its pid file
        ]
        let mounted = try HardeningTmpfs.mount(sizeBytes: 256 * 1024)
        disk = mounted
        for (index, c) in cases.enumerated() {
            let label = "\(c.stack) with \(c.freeBytes) bytes free"
            let runs = mounted.path + "/runs\(index)"
            // The runs root itself is made before the disk is filled (a directory costs no page on tmpfs anyway).
            XCTAssertEqual(mkdir(runs, 0o711), 0)
            mounted.fill(leaving: c.freeBytes)
            XCTAssertLessThanOrEqual(mounted.freeBytes, c.freeBytes, label)

            let up = try UpRun(["up", c.stack, "--json", "--for", "5"], environment: ["STACKTOP_RUNS_DIR": runs])
            defer { up.cleanUp() }
            XCTAssertEqual(finish(up, label, timeoutMs: 30_000), .exited(1), "\(label): \(up.stdout) \(up.stderr)")
            let runDir = try XCTUnwrap(up.runDir, "\(label): no stack event: \(up.stdout) \(up.stderr)")
            XCTAssertTrue(runDir.hasPrefix(runs + "/"), "\(label): \(runDir)")
            let errors = up.events(ofType: "error").compactMap { $0["message"] as? String }
            XCTAssertEqual(errors.count, 1, "\(label): one error: \(errors)")
            let message = errors.first ?? ""
            XCTAssertTrue(message.contains(runDir), "\(label): the error names the run dir: \(message)")
            XCTAssertTrue(
                message.contains("No space left on device"), "\(label): the error names the cause: \(message)")
            XCTAssertEqual(up.events(ofType: "stopped").count, 1, "\(label): the stop is reported")
            let started = !up.events(ofType: "starting").isEmpty
            XCTAssertEqual(
                FileManager.default.fileExists(atPath: runDir), started,
                "\(label): the run dir is kept exactly when a server started (its logs): \(message)")
            XCTAssertEqual(ProcScan.processes(mentioning: runs), [], "\(label): processes use the runs dir")
            XCTAssertNil(up.reaperPid, "\(label): the reaper outlived stacktop")
            print("full disk, \(label): \(message)")
            // Free the disk for the next case.
            for name in (try? FileManager.default.contentsOfDirectory(atPath: mounted.path)) ?? []
            where name.hasPrefix("filler-") {
                unlink(mounted.path + "/" + name)
            }
            try? FileManager.default.removeItem(atPath: runs)
        }
    }

    /// The disk fills while nginx → gunicorn runs under load: stacktop reports it once (an
    /// `error` event naming the run dir), keeps watching (a worker killed on the full disk is
    /// seen exiting and replaced, requests are still answered), and stops cleanly on SIGINT
    /// with nothing left running.
    func testDiskFillingUpUnderLoadIsReportedAndTheStackStopsCleanly() throws {
        let mounted = try HardeningTmpfs.mount(sizeBytes: 8 * 1024 * 1024)
        disk = mounted
        let runs = mounted.path + "/runs"
        let up = try UpRun(
            ["up", "nginx-gunicorn", "--json", "--load", "200"], environment: ["STACKTOP_RUNS_DIR": runs])
        defer { up.cleanUp() }
        XCTAssertTrue(
            TestProject.eventually(timeoutMs: 30_000) {
                up.events(ofType: "traffic").contains { ($0["load"] as? Bool) == true && ($0["sent"] as? Int ?? 0) > 0 }
                    || up.process.hasExited
            }, "no load flowing after 30 s: \(up.stdout) \(up.stderr)")
        XCTAssertFalse(up.process.hasExited, "stacktop exited: \(up.stderr)")
        let runDir = try XCTUnwrap(up.runDir)

        // Leave 64 KB: the access logs (two lines per request) take the rest within a second or so.
        mounted.fill(leaving: 64 * 1024)
        let filledAt = Date()
        var full: [String: Any]?
        XCTAssertTrue(
            TestProject.eventually(timeoutMs: 20_000) {
                full = up.events(ofType: "error").first {
                    ($0["message"] as? String)?.contains("No space left on device") == true
                }
                return full != nil || up.process.hasExited
            }, "no error event about the full disk 20 s after filling it: \(up.events(ofType: "error"))")
        let message = full?["message"] as? String ?? ""
        XCTAssertTrue(message.contains(runDir), "the error names the run dir: \(message)")
        XCTAssertEqual(mounted.freeBytes, 0, "the disk is full")
        print("disk full: reported \(Int(Date().timeIntervalSince(filledAt) * 1000)) ms after the filler: \(message)")

        // Still watching on the full disk: a gunicorn worker killed now is replaced and seen.
        let app = try XCTUnwrap(
            up.events(ofType: "starting").first { $0["component"] as? String == "app" }?["pid"] as? Int)
        let victim = try XCTUnwrap(ProcScan.liveChildren(of: Int32(app)).sorted().first, "no gunicorn worker")
        XCTAssertEqual(kill(victim, SIGKILL), 0)
        let seen = TestProject.eventually(timeoutMs: 10_000) {
            up.events(ofType: "replaced").contains { $0["old_pid"] as? Int == Int(victim) }
        }
        XCTAssertTrue(
            seen, "worker \(victim) killed on a full disk was not reported replaced: \(up.events(ofType: "exited"))")
        let before = up.events(ofType: "traffic").count
        Stopwatch.sleep(ms: 2_500)
        let after = up.events(ofType: "traffic").filter { $0["final"] == nil }
        XCTAssertGreaterThan(after.count, before, "traffic events stopped on the full disk")
        let answered = (after.last?["by_status"] as? [String: Int])?["200"] ?? 0
        XCTAssertGreaterThan(answered, 0, "requests are still answered on the full disk: \(after.last ?? [:])")
        XCTAssertEqual(
            up.events(ofType: "error").filter { ($0["message"] as? String)?.contains("No space") == true }.count, 1,
            "the full disk is reported once")

        XCTAssertTrue(up.process.send(SIGINT))
        XCTAssertEqual(finish(up, "full disk under load", timeoutMs: 30_000), .exited(0), up.stderr)
        let stopped = up.events(ofType: "stopped").first
        XCTAssertEqual(stopped?["clean"] as? Bool, true, "\(stopped ?? [:])")
        XCTAssertNotNil(
            up.events(ofType: "traffic").first { $0["final"] as? Bool == true }, "the final totals were printed")
        XCTAssertEqual(ProcScan.processes(mentioning: runs), [])
        XCTAssertTrue(TestProject.eventually(timeoutMs: 5_000) { up.reaperPid == nil }, "the reaper outlived stacktop")
    }

    /// The same under supervisord, which itself dies on a full disk (its logger raises on ENOSPC,
    /// exit status 120, seen by hand): stacktop reports the disk, the supervisor's exit and its
    /// orphans, and on SIGINT still stops every process (SIGKILL for the orphans), leaving nothing.
    func testDiskFillingUpUnderSupervisordLeavesNothing() throws {
        let mounted = try HardeningTmpfs.mount(sizeBytes: 8 * 1024 * 1024)
        disk = mounted
        let runs = mounted.path + "/runs"
        let up = try UpRun(
            ["up", "nginx-gunicorn-supervisord", "--json", "--load", "200"], environment: ["STACKTOP_RUNS_DIR": runs])
        defer { up.cleanUp() }
        XCTAssertTrue(
            TestProject.eventually(timeoutMs: 40_000) {
                up.events(ofType: "traffic").contains { ($0["load"] as? Bool) == true && ($0["sent"] as? Int ?? 0) > 0 }
                    || up.process.hasExited
            }, "no load flowing after 40 s: \(up.stdout) \(up.stderr)")
        let runDir = try XCTUnwrap(up.runDir)
        mounted.fill(leaving: 64 * 1024)
        XCTAssertTrue(
            TestProject.eventually(timeoutMs: 20_000) {
                up.events(ofType: "error").contains {
                    ($0["message"] as? String)?.contains("No space left on device") == true
                }
            }, "no error event about the full disk: \(up.events(ofType: "error"))")
        Stopwatch.sleep(ms: 3_000)
        XCTAssertFalse(up.process.hasExited, "stacktop exited on its own: \(up.stderr)")
        let pids = StackResidue.pids(sessions: up.eventPids, runDir: runDir)
        print(
            "full disk under supervisord: supervisor events \(up.events.filter { $0["component"] as? String == "supervisor" && ["exited", "down"].contains($0["type"] as? String) }.map { $0["type"] as? String ?? "" }), \(pids.count) processes left to stop"
        )
        XCTAssertTrue(up.process.send(SIGINT))
        XCTAssertEqual(finish(up, "full disk under supervisord", timeoutMs: 30_000), .exited(0), up.stderr)
        XCTAssertEqual(pids.filter(ProcScan.isAlive), [], "processes of the stack alive after the stop")
        XCTAssertEqual(ProcScan.processes(mentioning: runs), [])
    }
}
