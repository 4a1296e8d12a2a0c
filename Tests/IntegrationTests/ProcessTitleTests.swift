import Foundation
import Glibc
import Runtime
import StackRecipes
import Supervision
import XCTest
import TestSupport

/// gunicorn with setproctitle (installed into the project's venv) names its processes
/// `gunicorn: master [app:app]` and `gunicorn: worker [app:app]`: ps (the test's own /proc
/// reading) shows those titles, the watcher shows them too, and still tells master from
/// workers — also under supervisord, where a renamed master no longer carries its config path.
final class ProcessTitleTests: XCTestCase {
    func testGunicornAlone() throws { try checkTitles("gunicorn") }
    func testGunicornUnderSupervisord() throws { try checkTitles("nginx-gunicorn-supervisord") }

    private func checkTitles(_ name: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let run = try WatchedRun(name)
        defer { run.stop() }
        var app: ComponentView?
        let settled = TestProject.eventually(timeoutMs: 8000) {
            app = run.watcher.snapshot().component("app")
            let views = app?.processes ?? []
            return views.filter { $0.role == .master }.count == 1 && views.filter { $0.role == .worker }.count == 2
                && views.allSatisfy { $0.commandLine.hasPrefix("gunicorn: ") }
        }
        let shown = (app?.processes ?? []).map { "\($0.pid) \($0.role) \($0.commandLine)" }
        XCTAssertTrue(
            settled, "\(name): the app's processes as the watcher shows them: \(shown)", file: file, line: line)
        for p in app?.processes ?? [] {
            let want = p.role == .master ? "gunicorn: master [app:app]" : "gunicorn: worker [app:app]"
            XCTAssertEqual(
                Proc.commandLine(p.pid).trimmingCharacters(in: .whitespaces), want,
                "\(name): /proc/\(p.pid)/cmdline", file: file, line: line)
            XCTAssertEqual(
                p.commandLine.trimmingCharacters(in: .whitespaces), want, "\(name): shown", file: file, line: line)
        }
        let master = try XCTUnwrap(app?.processes.first { $0.role == .master }, file: file, line: line)
        for worker in (app?.processes ?? []).filter({ $0.role == .worker }) {
            XCTAssertEqual(
                Proc.parent(of: worker.pid), master.pid, "\(name): a worker is the master's child", file: file,
                line: line)
        }
    }
}
