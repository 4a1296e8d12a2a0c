import XCTest
@testable import Runtime

/// When the dashboard lets go of its code pages: after a request, and after growth over the
/// level it settled at; never twice for the same level.
final class CodePageTrimmerTests: XCTestCase {
    func testARequestReleasesAfterTheDelayAndALaterRequestMovesItBack() {
        var t = CodePageTrimmer()
        XCTAssertFalse(t.tick(nowMs: 0, fileKB: 20_000), "nothing requested, nothing released")
        t.requestSoon(nowMs: 1_000)
        XCTAssertFalse(t.tick(nowMs: 3_000, fileKB: 20_000))
        t.requestSoon(nowMs: 3_500)
        XCTAssertFalse(t.tick(nowMs: 4_000, fileKB: 20_000), "moved back by the second request")
        XCTAssertTrue(t.tick(nowMs: 6_500, fileKB: 20_000))
        XCTAssertFalse(t.tick(nowMs: 7_500, fileKB: 20_000), "once")
    }

    func testGrowthOverTheSettledLevelReleasesAgainAndSettlesAnew() {
        var t = CodePageTrimmer()
        t.requestSoon(nowMs: 0)
        XCTAssertTrue(t.tick(nowMs: 3_000, fileKB: 24_000))
        // Watching maps back what it runs: growth before the level settled is not counted.
        XCTAssertFalse(t.tick(nowMs: 5_000, fileKB: 12_000))
        XCTAssertFalse(t.tick(nowMs: 13_000, fileKB: 12_500), "settles at 12.5 MB, 10 s after the release")
        XCTAssertFalse(t.tick(nowMs: 20_000, fileKB: 13_400), "less than 1 MB over the level")
        XCTAssertTrue(t.tick(nowMs: 21_000, fileKB: 13_600), "a path no request named mapped in more")
        // Shared libraries' pages are not let go of: a level that stays high settles, no loop.
        XCTAssertFalse(t.tick(nowMs: 31_000, fileKB: 13_600))
        for s in stride(from: 32_000, through: 60_000, by: 1_000) {
            XCTAssertFalse(t.tick(nowMs: s, fileKB: 13_700))
        }
    }

    func testThisProcessesFileBackedMemoryIsRead() throws {
        let kb = try XCTUnwrap(CodePageTrimmer.ownFileKB())
        XCTAssertGreaterThan(kb, 100, "a Swift test runner maps more than 100 kB of files")
    }
}
