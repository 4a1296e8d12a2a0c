import XCTest
import Foundation
import Glibc
@testable import Runtime

/// Dropping the executable's code pages from the resident set: they leave, and the code goes on
/// running (what it uses faults back in).
final class ResidentMemoryTests: XCTestCase {
    /// Rss of this executable's `r-xp` mappings, in kB, from /proc/self/smaps.
    private func codeRssKB() -> Int {
        var exe = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &exe, exe.count - 1)
        let path = String(decoding: exe[0..<max(0, n)].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var total = 0
        var inCode = false
        for line in TestSupport.read("/proc/self/smaps").split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            if let first = fields.first, first.contains("-"), fields.count >= 5, first.first?.isHexDigit == true {
                inCode = fields[1] == "r-xp" && fields.count >= 6 && fields[5...].joined(separator: " ") == path
            } else if inCode, fields.first == "Rss:", fields.count >= 2 {
                total += Int(fields[1]) ?? 0
            }
        }
        return total
    }

    func testDropStartupCodeUnmapsTheExecutablesCodeAndItKeepsRunning() throws {
        let before = codeRssKB()
        XCTAssertGreaterThan(before, 0, "the test executable's code is resident")
        let advised = try XCTUnwrap(ResidentMemory.dropStartupCode())
        XCTAssertGreaterThan(advised, 0, "its r-xp mapping qualified")
        // Measured right away, by code that itself faults back in as it runs: far less than before.
        let after = codeRssKB()
        XCTAssertLessThan(after, before)
        // Code runs on, in this thread and in a new one.
        let table = LinuxProcessTable()
        XCTAssertTrue(table.isAlive(getpid()))
        let done = expectation(description: "another thread runs")
        Thread.detachNewThread { done.fulfill() }
        wait(for: [done], timeout: 5)
    }
}
