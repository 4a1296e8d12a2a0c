import Foundation
import Glibc
import Runtime
import Supervision
import XCTest

/// Components another component starts — mod_wsgi daemons forked by Apache, flup backends
/// spawned by lighttpd — say in `starting` what runs and in `ready` which processes, with pids
/// that the test's own reading of /proc confirms.
final class HostedComponentEventTests: XCTestCase {
    func testModWSGIDaemons() throws { try check("apache-mod-wsgi", marker: "(wsgi:app)") }
    func testFlupBackendsSpawnedByLighttpd() throws { try check("lighttpd-flup", marker: "--name app") }

    private func check(_ name: String, marker: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let run = try WatchedRun(name)
        defer { run.stop() }
        let front = try XCTUnwrap(run.root("front"), file: file, line: line)
        let events = run.events.all.filter { $0.component == "app" }
        guard case let .starting(argv, launchedBy)? = events.first(where: { $0.typeName == "starting" })?.kind else {
            return XCTFail("\(name): no starting event for app", file: file, line: line)
        }
        XCTAssertEqual(launchedBy, "front", file: file, line: line)
        XCTAssertTrue(
            argv.joined(separator: " ").contains(marker), "\(name): starting argv \(argv)", file: file, line: line)
        let ready = events.first { $0.typeName == "ready" }
        guard case let .ready(_, processes)? = ready?.kind else {
            return XCTFail("\(name): no ready event for app", file: file, line: line)
        }
        // The test's own look at /proc: the front's children that carry the app's marker.
        let theirs = Proc.children(of: front).filter { Proc.commandLine($0).contains(marker) }.sorted()
        XCTAssertEqual(
            theirs.count, 2, "\(name): two app processes under the front's root \(front)", file: file, line: line)
        XCTAssertEqual(
            processes.map(\.pid), theirs, "\(name): ready lists exactly them: \(ready?.jsonLine ?? "")",
            file: file, line: line)
        for p in processes {
            let words = { (s: String) in s.split(separator: " ").map(String.init) }
            XCTAssertEqual(
                words(p.argv.joined(separator: " ")), words(Proc.commandLine(p.pid)),
                "\(name): pid \(p.pid)'s argv as /proc shows it", file: file, line: line)
            XCTAssertEqual(Proc.parent(of: p.pid), front, file: file, line: line)
        }
        XCTAssertTrue(
            ready?.jsonLine.contains(#""processes":[{"pid":\#(theirs[0]),"argv":["#) ?? false,
            ready?.jsonLine ?? "", file: file, line: line)
    }
}
