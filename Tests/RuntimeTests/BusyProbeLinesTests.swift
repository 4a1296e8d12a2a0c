import XCTest
@testable import Runtime

/// BusyProbe's byte pre-filter of /proc/net/unix: only lines ending with " PATH" reach the parser.
final class BusyProbeLinesTests: XCTestCase {
    static let text = """
        Num       RefCount Protocol Flags    Type St Inode Path
        0000000000000000: 00000002 00000000 00010000 0001 01 31337 /tmp/d/app.sock
        0000000000000000: 00000003 00000000 00000000 0001 03 31338 /tmp/d/app.sock
        0000000000000000: 00000003 00000000 00000000 0001 03 31339 /tmp/d/app.sock2
        0000000000000000: 00000003 00000000 00000000 0001 03 31340 /x/tmp/d/app.sock
        0000000000000000: 00000003 00000000 00000000 0001 03 31341
        0000000000000000: 00000003 00000000 00000000 0001 03 31342 /run/other.sock
        0000000000000000: 00000003 00000000 00000000 0001 03 31343 /run/other.sock
        """

    func testKeepsOnlyTheLinesOfTheWantedPaths() {
        let lines = BusyProbe.lines(of: Array(Self.text.utf8), endingWithAnyOf: ["/tmp/d/app.sock"])
        XCTAssertEqual(lines.split(separator: "\n").map { $0.split(separator: " ")[6] }, ["31337", "31338"])
        let both = BusyProbe.lines(of: Array(Self.text.utf8), endingWithAnyOf: ["/tmp/d/app.sock", "/run/other.sock"])
        XCTAssertEqual(both.split(separator: "\n").count, 4, "the last line has no newline after it")
        XCTAssertEqual(BusyProbe.lines(of: Array(Self.text.utf8), endingWithAnyOf: ["/nowhere.sock"]), "")
    }
}
