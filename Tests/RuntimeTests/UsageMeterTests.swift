import Foundation
import Glibc
import XCTest
@testable import Runtime
import TestSupport

/// CPU% and RSS as the dashboard shows them, checked against `ps` and a process whose load is known.
final class UsageMeterTests: XCTestCase {
    func testBusyProcessMatchesPsAndBurnsACore() throws {
        // 64 MB written (resident), then a busy loop for at most 10 s.
        let busy = Process()
        busy.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        busy.arguments = [
            "-c", "import time\nb = b'x' * (64 << 20)\nt = time.time()\nwhile time.time() - t < 10: pass",
        ]
        try busy.run()
        defer { busy.terminate(); busy.waitUntilExit() }
        let pid = busy.processIdentifier
        let table = LinuxProcessTable()
        XCTAssertTrue(TestProject.eventually { (table.record(of: pid)?.rssPages ?? 0) * 4096 > 64 << 20 })

        var meter = UsageMeter()
        let clock = Stopwatch()
        meter.sample([try XCTUnwrap(table.record(of: pid))], atNs: clock.elapsedNs)
        XCTAssertNil(meter.usage[pid]?.cpuPercent, "no CPU% from a single sample")
        Stopwatch.sleep(ms: 1000)
        meter.sample([try XCTUnwrap(table.record(of: pid))], atNs: clock.elapsedNs)
        let usage = try XCTUnwrap(meter.usage[pid])

        let cpu = try XCTUnwrap(usage.cpuPercent)
        XCTAssertGreaterThan(cpu, 30, "a busy loop uses most of a core (shared machine: loose bound)")
        XCTAssertLessThan(cpu, 105, "one thread cannot use more than one core")

        let ps = Process()
        ps.executableURL = URL(fileURLWithPath: "/bin/ps")
        ps.arguments = ["-o", "rss=", "-p", String(pid)]
        let pipe = Pipe()
        ps.standardOutput = pipe
        try ps.run()
        ps.waitUntilExit()
        let psKB = try XCTUnwrap(
            Int64(
                String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                    .trimmingCharacters(in: .whitespacesAndNewlines)))
        let ours = usage.rssBytes / 1024
        XCTAssertLessThan(abs(ours - psKB), psKB / 20 + 64, "RSS \(ours) KB vs ps \(psKB) KB")
        XCTAssertGreaterThan(ours, 64 << 10)
    }
}
