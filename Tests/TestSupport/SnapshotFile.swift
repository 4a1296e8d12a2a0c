import Foundation
import XCTest

/// Compares text with a snapshot file, failing with a readable line diff.
///
/// STACKTOP_RECORD_SNAPSHOTS=1 (re)writes the snapshot instead; a missing snapshot is written
/// and fails, so it is checked by eye before the next run.
public enum SnapshotFile {
    /// Whether this run records snapshots instead of comparing.
    public static var recording: Bool { ProcessInfo.processInfo.environment["STACKTOP_RECORD_SNAPSHOTS"] == "1" }

    /// The `Snapshots` directory beside the source file `filePath` (pass `#filePath`).
    public static func directory(beside filePath: String) -> URL {
        URL(fileURLWithPath: filePath).deletingLastPathComponent().appendingPathComponent("Snapshots")
    }

    /// Asserts that `actual` equals the snapshot `relativePath` under `directory`.
    public static func assertMatches(
        _ actual: String, _ relativePath: String, in directory: URL,
        file: StaticString = #filePath, line: UInt = #line
    ) {
        let url = directory.appendingPathComponent(relativePath)
        guard !recording, let expected = try? String(contentsOf: url, encoding: .utf8) else {
            try? FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            XCTAssertNoThrow(try actual.write(to: url, atomically: true, encoding: .utf8), file: file, line: line)
            if !recording {
                XCTFail("recorded missing snapshot \(relativePath); check it and run again", file: file, line: line)
            }
            return
        }
        if expected != actual {
            XCTFail(
                "\(relativePath) differs from its snapshot (STACKTOP_RECORD_SNAPSHOTS=1 rewrites it):\n"
                    + diff(expected: expected, actual: actual), file: file, line: line)
        }
    }

    /// The first differing region of two texts, as `-` (snapshot) and `+` (actual) lines with
    /// two lines of context.
    public static func diff(expected: String, actual: String) -> String {
        let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
        var first = 0
        while first < min(e.count, a.count) && e[first] == a[first] { first += 1 }
        var endE = e.count, endA = a.count
        while endE > first && endA > first && e[endE - 1] == a[endA - 1] { endE -= 1; endA -= 1 }
        var out: [String] = ["@@ line \(first + 1) @@"]
        out += e[max(0, first - 2)..<first].map { "  " + $0 }
        out += e[first..<endE].map { "- " + $0 }
        out += a[first..<endA].map { "+ " + $0 }
        out += e[endE..<min(e.count, endE + 2)].map { "  " + $0 }
        return out.joined(separator: "\n")
    }
}
