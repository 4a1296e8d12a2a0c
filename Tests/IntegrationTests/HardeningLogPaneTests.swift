import Foundation
import Glibc
import Runtime
import XCTest
import TestSupport

/// The log pane's lines (the watcher's log tails) under request load: access logs are not in
/// them (their requests are flow figures, read once by FlowMonitor), while the servers' own
/// output and error logs still are.
final class HardeningLogPaneTests: XCTestCase {
    func testAccessLinesStayOutOfTheLogPaneAndErrorsStayIn() throws {
        let run = try WatchedRun("nginx-gunicorn")
        defer { run.stop() }
        let port = try XCTUnwrap(IntegrationSupport.port(of: run.stack.url))
        let requests = 120
        let client = LoopbackClient(timeoutMs: 5000)
        for i in 0..<requests {
            let response = client.get(host: "127.0.0.1", port: port, path: "/?n=\(i)")
            XCTAssertEqual(response?.status, 200, "request \(i)")
        }
        // The access logs hold every request (the truth FlowMonitor reads); a sync worker writes
        // its line after the answer, so the kill below waits for them.
        for component in ["front", "app"] {
            let path = run.context.runDir + "/logs/\(component).access.log"
            XCTAssertTrue(
                TestProject.eventually(timeoutMs: 3_000) {
                    let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
                    return text.components(separatedBy: "/?n=").count - 1 == requests
                }, "\(path) does not hold the \(requests) requests")
        }
        // Something for the error side: a killed gunicorn worker makes its master log a line.
        let master = try XCTUnwrap(run.root("app"))
        let victim = try XCTUnwrap(Proc.children(of: master).sorted().first, "no gunicorn worker")
        try run.waitForSpawned(victim)
        kill(victim, SIGKILL)
        _ = try run.waitForReplacement(of: victim, timeoutMs: 8000)

        // Two log polls (500 ms each) later the pane has the worker's death, not the requests.
        var appLines: [String] = []
        let died = TestProject.eventually(timeoutMs: 5_000) {
            appLines = run.watcher.logTail("app", lines: 200)
            return appLines.contains { $0.contains(String(victim)) }
        }
        XCTAssertTrue(
            died, "gunicorn's line about worker \(victim) is not in the app's log tail: \(appLines.suffix(10))")
        Stopwatch.sleep(ms: 1_100)
        for component in ["front", "app"] {
            let lines = run.watcher.logTail(component, lines: 200)
            let access = lines.filter { $0.contains("/?n=") }
            XCTAssertEqual(
                access.count, 0,
                "\(component): \(access.count) of \(lines.count) log pane lines are access lines, "
                    + "e.g. \(access.first ?? "")")
        }
    }
}
