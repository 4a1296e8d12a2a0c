import Foundation
import Glibc
import Runtime
import Synchronization
import XCTest

/// `DiskSpaceWatch` on a scripted sequence of free-space readings: one report when the disk
/// becomes full, silence while it stays full or is only slightly freed, a new report after it
/// was freed past the re-arm mark and filled again; unreadable filesystems are not "full".
final class HardeningDiskSpaceWatchTests: XCTestCase {
    func testReportsOncePerFillAndReArmsAfterSpaceComesBack() {
        let mb: Int64 = 1 << 20
        // (free bytes read, report expected)
        let steps: [(free: Int64?, reports: Bool)] = [
            (100 * mb, false), (4096, false), (0, true), (0, false), (8192, false),
            (nil, false), (0, false), (2 * mb, false), (mb, false), (0, true), (0, false),
        ]
        let readings = Mutex(steps.map(\.free))
        var watch = DiskSpaceWatch(path: "/run/dir", rearmBytes: mb) { _ in
            readings.withLock { $0.isEmpty ? nil : $0.removeFirst() }
        }
        for (i, step) in steps.enumerated() {
            let message = watch.check()
            XCTAssertEqual(
                message != nil, step.reports, "step \(i): free \(step.free.map(String.init) ?? "unreadable")")
            if let message {
                XCTAssertTrue(message.hasPrefix("No space left on device"), message)
                XCTAssertTrue(message.contains("/run/dir"), message)
            }
        }
    }

    func testStatvfsReadsARealFilesystem() {
        let free = DiskSpaceWatch.statvfsFreeBytes("/tmp")
        XCTAssertNotNil(free)
        XCTAssertGreaterThanOrEqual(free ?? -1, 0)
        XCTAssertNil(DiskSpaceWatch.statvfsFreeBytes("/nonexistent-\(getpid())"))
    }
}
