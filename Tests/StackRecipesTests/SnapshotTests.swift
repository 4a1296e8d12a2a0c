import Foundation
import TestSupport
import XCTest
@testable import StackRecipes

/// Every rendered file and the process summary of every seed stack, against snapshots under
/// `Snapshots/<stack>/` (fixed context: run dir /RUN, venv /VENV, app dir /APP, ports 8000+).
final class SnapshotTests: XCTestCase {
    static let snapshots = SnapshotFile.directory(beside: #filePath)

    func testEverySeedStackMatchesItsSnapshots() throws {
        for name in SeedStacks.names {
            let plan = try Recipes.plan(for: SeedStacks.topology(name), context: SeedStacks.snapshotContext)
            XCTAssertFalse(plan.files.isEmpty && plan.processes.isEmpty, name)
            for f in plan.files {
                SnapshotFile.assertMatches(f.contents, "\(name)/\(f.path)", in: Self.snapshots)
            }
            SnapshotFile.assertMatches(plan.summary, "\(name)/plan.txt", in: Self.snapshots)
        }
    }

    func testNoStrayFilesInSnapshots() throws {
        // A snapshot for a file no longer rendered would go stale silently.
        let fm = FileManager.default
        for name in SeedStacks.names {
            let plan = try Recipes.plan(for: SeedStacks.topology(name), context: SeedStacks.snapshotContext)
            let expected = Set(plan.files.map(\.path) + ["plan.txt"])
            let root = Self.snapshots.appendingPathComponent(name)
            guard let walker = fm.enumerator(atPath: root.path) else { continue }
            var found = Set<String>()
            while let item = walker.nextObject() as? String {
                var isDir: ObjCBool = false
                if fm.fileExists(atPath: root.appendingPathComponent(item).path, isDirectory: &isDir), !isDir.boolValue
                {
                    found.insert(item)
                }
            }
            if !SnapshotFile.recording {
                XCTAssertEqual(found, expected, "snapshot files of \(name)")
            }
        }
    }

    func testDiffShowsTheChangedLines() {
        let d = SnapshotFile.diff(expected: "a\nb\nc\nd", actual: "a\nb\nX\nd")
        XCTAssertEqual(d, "@@ line 3 @@\n  a\n  b\n- c\n+ X\n  d")
    }
}
