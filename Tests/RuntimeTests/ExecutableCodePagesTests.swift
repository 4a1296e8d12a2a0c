import Foundation
import XCTest
@testable import Runtime

/// Letting go of the executable's code pages after the launch: which mappings are touched, and
/// that this very process (the test runner) gives them up and goes on running.
final class ExecutableCodePagesTests: XCTestCase {
    static let smaps = """
        00400000-01f03000 r-xp 00000000 fe:00 5366714                            /opt/st/stacktop
        Size:              27660 kB
        Rss:               14776 kB
        Anonymous:             0 kB
        01f03000-01fcc000 r--p 01b02000 fe:00 5366714                            /opt/st/stacktop
        Rss:                 808 kB
        Anonymous:           808 kB
        7f0000000000-7f0000100000 r-xp 00000000 fe:00 77                         /usr/lib/libc.so.6
        Rss:                1200 kB
        Anonymous:             0 kB
        7f0000200000-7f0000300000 r-xp 00000000 fe:00 5366714                    /opt/st/stacktop
        Rss:                  64 kB
        Anonymous:             4 kB
        7ffd00000000-7ffd00021000 rw-p 00000000 00:00 0                          [stack]
        Rss:                  40 kB
        Anonymous:            40 kB
        """

    func testOnlyTheExecutablesCodeMappingsAreListedWithTheirPrivateCopies() {
        XCTAssertEqual(
            ExecutableCodePages.codeMappings(smaps: Self.smaps, executable: "/opt/st/stacktop"),
            [
                .init(start: 0x40_0000, end: 0x1f0_3000, residentKB: 14776, anonymousKB: 0),
                .init(start: 0x7f00_0020_0000, end: 0x7f00_0030_0000, residentKB: 64, anonymousKB: 4),
            ])
        XCTAssertEqual(ExecutableCodePages.codeMappings(smaps: Self.smaps, executable: "/opt/st/stack"), [])
    }

    func testThisProcessGivesUpItsCodePagesAndGoesOnRunning() throws {
        let exe = try XCTUnwrap(ExecutableCodePages.ownExecutable())
        func resident() -> Int {
            let text = (try? String(contentsOfFile: "/proc/self/smaps", encoding: .utf8)) ?? ""
            return ExecutableCodePages.codeMappings(smaps: text, executable: exe).map(\.residentKB).reduce(0, +)
        }
        let before = resident()
        XCTAssertGreaterThan(before, 1024, "the test runner has more than 1 MB of its code resident")
        let released = try XCTUnwrap(ExecutableCodePages.release())
        XCTAssertGreaterThan(released, 1024)
        let after = resident()
        XCTAssertLessThan(after, before / 2, "resident code kB: \(before) before, \(after) after")
        // Read-only data that was the file's own is let go of too; private copies stay.
        let text = (try? String(contentsOfFile: "/proc/self/smaps", encoding: .utf8)) ?? ""
        let readOnly = ExecutableCodePages.mappings(smaps: text, executable: exe).filter { $0.permissions == "r--p" }
        XCTAssertFalse(readOnly.isEmpty, "the test runner has read-only mappings of its file")
        for m in readOnly {
            XCTAssertLessThanOrEqual(
                m.residentKB - m.anonymousKB, 64, "file pages still resident in \(m) just after the release")
        }
        // Code runs again after the release (paged back in from the page cache).
        XCTAssertEqual(LinuxProcessTable().record(of: getpid())?.pid, getpid())
        XCTAssertEqual(ExecutableCodePages.codeMappings(smaps: Self.smaps, executable: "/opt/st/stacktop").count, 2)
    }

    func testSectionsOfThisExecutableLieInItsMappings() throws {
        let exe = try XCTUnwrap(ExecutableCodePages.ownExecutable())
        let elf = try XCTUnwrap(ExecutableSections(path: exe))
        let text = try XCTUnwrap(elf.section(".text"))
        XCTAssertGreaterThan(text.size, 100_000)
        let maps = ExecutableCodePages.mappings(
            smaps: try String(contentsOfFile: "/proc/self/smaps", encoding: .utf8), executable: exe)
        let base = try XCTUnwrap(maps.first { $0.fileOffset == 0 })
        let bias = elf.isPositionIndependent ? base.start - elf.firstLoadAddress : 0
        XCTAssertTrue(
            maps.contains {
                $0.permissions == "r-xp" && $0.start <= bias + text.address && bias + text.address < $0.end
            },
            ".text at \(text.address) + \(bias) is in an executable mapping: \(maps)")
        let range = try XCTUnwrap(ExecutableReadOnlyPages.rodataRange(mappings: maps, executable: exe, page: 4096))
        XCTAssertEqual(range.start % 4096, 0)
        XCTAssertNil(elf.section(".no-such-section"))
    }

    func testWhatIsNotAnELFFileIsRefused() throws {
        XCTAssertNil(ExecutableSections(bytes: Array("#!/bin/sh\necho hello, this is not ELF at all\n".utf8)))
        let exe = try XCTUnwrap(FileHandle(forReadingAtPath: "/proc/self/exe"))
        defer { try? exe.close() }
        var truncated = Array(try XCTUnwrap(exe.read(upToCount: 64)))
        XCTAssertNil(ExecutableSections(bytes: truncated), "headers pointing past the bytes")
        truncated[4] = 1
        XCTAssertNil(ExecutableSections(bytes: truncated), "32-bit")
        XCTAssertNil(ExecutableSections(path: "/nonexistent/stacktop"))
    }
}
