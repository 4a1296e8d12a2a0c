import XCTest
import Foundation
import Glibc
@testable import Runtime

/// Run dir names, creation with exact modes, and pruning of old run dirs only.
final class RunDirectoryTests: XCTestCase {
    private var root = ""

    override func setUp() {
        root = NSTemporaryDirectory() + "stacktop-rundir-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    }

    override func tearDown() {
        try? FileManager.default.removeItem(atPath: root)
    }

    func testNameAndParse() {
        var parts = tm()
        parts.tm_year = 2025 - 1900; parts.tm_mon = 2; parts.tm_mday = 7
        parts.tm_hour = 9; parts.tm_min = 5; parts.tm_sec = 3; parts.tm_isdst = -1
        let t = mktime(&parts)
        let name = RunDirectory.name(topology: "nginx-gunicorn", time: t, pid: 4242)
        XCTAssertEqual(name, "nginx-gunicorn-20250307-090503-4242")
        let parsed = RunDirectory.parse(name: name)
        XCTAssertEqual(parsed?.stamp, "20250307090503")
        XCTAssertEqual(parsed?.pid, 4242)
        for notOurs in [
            "nginx-gunicorn", "x-2025037-090503-1", "x-20250307-0905-1", "-20250307-090503-1",
            "x-20250307-090503-", "x-20250307-090503-abc", ".hidden-20250307-090503-1", "notes.txt",
        ] {
            XCTAssertNil(RunDirectory.parse(name: notOurs), notOurs)
        }
    }

    func testCreateMakesModeAndSubdirectories() throws {
        let dirs = RunDirectory(root: root, mode: 0o711, subdirectories: ["logs", "run", "tmp"])
        let path = try dirs.create(topology: "gunicorn", pid: 12)
        XCTAssertTrue(path.hasPrefix(root + "/gunicorn-"))
        XCTAssertTrue(path.hasSuffix("-12"))
        var st = stat()
        XCTAssertEqual(stat(path, &st), 0)
        XCTAssertEqual(st.st_mode & 0o777, 0o711)
        for sub in ["logs", "run", "tmp"] {
            var isDir: ObjCBool = false
            XCTAssertTrue(
                FileManager.default.fileExists(atPath: path + "/" + sub, isDirectory: &isDir) && isDir.boolValue, sub)
        }
        XCTAssertThrowsError(try dirs.create(topology: "gunicorn", time: nameTime(path), pid: 12))
    }

    func testPruneKeepsNewestAndSparesForeignAndRunningDirs() throws {
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        var names: [String] = []
        for i in 0..<14 {
            let name = "gunicorn-202501\(String(format: "%02d", i + 1))-120000-\(1000 + i)"
            names.append(name)
            try FileManager.default.createDirectory(atPath: root + "/" + name, withIntermediateDirectories: false)
        }
        try FileManager.default.createDirectory(atPath: root + "/my-notes", withIntermediateDirectories: false)
        XCTAssertTrue(FileManager.default.createFile(atPath: root + "/waitress-20200101-000000-5", contents: Data()))
        let dirs = RunDirectory(root: root, keep: 10)
        // 1001 is "still running": its dir must stay even though it is old.
        let removed = dirs.prune(isRunning: { $0 == 1001 })
        XCTAssertEqual(Set(removed), Set([names[0], names[2], names[3]].map { root + "/" + $0 }))
        let left = Set(try FileManager.default.contentsOfDirectory(atPath: root))
        XCTAssertTrue(left.contains("my-notes"))
        XCTAssertTrue(left.contains("waitress-20200101-000000-5"))
        XCTAssertTrue(left.contains(names[1]))
        XCTAssertEqual(left.count, 11 + 2)  // 10 kept + the running one, plus the two foreign entries
    }

    /// The time encoded in a run dir path (to provoke a name clash).
    private func nameTime(_ path: String) -> time_t {
        let stamp = RunDirectory.parse(name: (path as NSString).lastPathComponent)!.stamp
        var parts = tm()
        let digits = Array(stamp).map { Int32(String($0))! }
        func num(_ r: Range<Int>) -> Int32 { r.reduce(0) { $0 * 10 + digits[$1] } }
        parts.tm_year = num(0..<4) - 1900; parts.tm_mon = num(4..<6) - 1; parts.tm_mday = num(6..<8)
        parts.tm_hour = num(8..<10); parts.tm_min = num(10..<12); parts.tm_sec = num(12..<14); parts.tm_isdst = -1
        return mktime(&parts)
    }
}
