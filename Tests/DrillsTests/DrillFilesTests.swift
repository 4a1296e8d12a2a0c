import Drills
import Foundation
import Glibc
import StackModel
import StackRecipes
import TestSupport
import XCTest

/// The drills' work on files in a run dir (the app version file, the recycle config and log)
/// and the traceback line a crash-looping app leaves, on a temporary directory.
final class DrillFilesTests: XCTestCase {
    var dir = ""

    override func setUp() { dir = TestProject.temporaryDirectory("drills-files") }
    override func tearDown() { try? FileManager.default.removeItem(atPath: dir) }

    func testAppVersionFileIsOneUntilWrittenThenWhatWasWritten() throws {
        let file = AppVersionFile(runDir: dir)
        XCTAssertEqual(file.current(), 1, "missing file: version 1, as the app says")
        XCTAssertThrowsError(try file.write(2), "the run dir's tmp/ does not exist yet") {
            XCTAssertTrue("\($0)".contains(file.path), "\($0)")
        }
        XCTAssertEqual(mkdir(dir + "/" + RunDirLayout.tmp, 0o755), 0)
        try file.write(2)
        XCTAssertEqual(try String(contentsOfFile: file.path, encoding: .utf8), "2\n")
        XCTAssertEqual(file.current(), 2)
        var info = stat()
        XCTAssertEqual(stat(file.path, &info), 0)
        XCTAssertEqual(info.st_mode & 0o777, 0o644, "world-readable for Apache's daemons")
        try "garbage".write(toFile: file.path, atomically: true, encoding: .utf8)
        XCTAssertEqual(file.current(), 1)
    }

    func testRecycleConfigTurnsOnRestoresAndCountsTheLog() throws {
        let topology = try TopologyLoader.load(
            text:
                "name: g\ndescription: a gunicorn for the recycle files test\ncomponents:\n  app:\n    server: gunicorn\n    workers: 2\n    port: auto\n",
            path: "g.yaml",
            demoAppDirectory: TestProject.demoApp)
        let setup = try Recycling.setup(component: "app", topology: topology).get()
        let config = RecycleConfig(setup: setup, runDir: dir)
        XCTAssertThrowsError(try config.turnOn(), "no config yet") {
            XCTAssertTrue("\($0)".hasPrefix("cannot read \(config.configPath)"), "\($0)")
        }
        try FileManager.default.createDirectory(
            atPath: (config.configPath as NSString).deletingLastPathComponent,
            withIntermediateDirectories: true)
        let original = "bind = '127.0.0.1:1'\nworkers = 2\n"
        try original.write(toFile: config.configPath, atomically: true, encoding: .utf8)
        try config.turnOn()
        let edited = try String(contentsOfFile: config.configPath, encoding: .utf8)
        XCTAssertTrue(edited.hasPrefix(original))
        XCTAssertTrue(edited.contains("max_requests = \(Recycling.maxRequests)\n"), edited)
        config.restore()
        XCTAssertEqual(try String(contentsOfFile: config.configPath, encoding: .utf8), original)
        XCTAssertFalse(FileManager.default.fileExists(atPath: config.configPath + ".before-recycle"))

        XCTAssertNil(config.loggedRecycles(), "no log yet")
        try FileManager.default.createDirectory(
            atPath: (config.logPath as NSString).deletingLastPathComponent,
            withIntermediateDirectories: true)
        let log = (0..<7).map { i in
            i % 2 == 0 ? "[INFO] Autorestarting worker after current request." : "[INFO] Booting worker with pid: \(i)"
        }
        try (log.joined(separator: "\n") + "\n").write(toFile: config.logPath, atomically: true, encoding: .utf8)
        XCTAssertEqual(config.loggedRecycles(), 4)
    }

    func testPidFieldOfModWSGILines() {
        XCTAssertEqual(RecycleConfig.pidField("[wsgi:info] mod_wsgi (pid=4242): Maximum requests reached"), "4242")
        XCTAssertNil(RecycleConfig.pidField("mod_wsgi (pid=): nothing"))
        XCTAssertNil(RecycleConfig.pidField("no pid here"))
    }

    func testCrashLoopTracebackTakesTheLastExceptionLine() {
        let log = [
            "Traceback (most recent call last):",
            "ValueError: first",
            "  File \"app.py\", line 3, in <module>",
            "[Sat] [wsgi:error] [pid 7] RuntimeError: stacktop crash-loop drill: the app refuses to start",
            "[INFO] Worker exiting (pid: 7)",
        ]
        XCTAssertEqual(
            CrashLoopTraceback.lastLine(in: log),
            "RuntimeError: stacktop crash-loop drill: the app refuses to start")
        XCTAssertNil(CrashLoopTraceback.lastLine(in: ["all quiet", "Error without colon"]))
    }
}
