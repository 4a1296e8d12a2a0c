import XCTest
import StackRecipes
@testable import Runtime

/// Finding supervised and hosted components in their launcher's session by claimed command lines.
final class ComponentLocatorTests: XCTestCase {
    private let table = FakeProcessTable(
        records: [
            ProcessRecord(pid: 100, ppid: 1, pgid: 100, sid: 100, comm: "supervisord", state: "S"),
            ProcessRecord(pid: 101, ppid: 100, pgid: 101, sid: 100, comm: "gunicorn", state: "S"),
            ProcessRecord(pid: 102, ppid: 101, pgid: 101, sid: 100, comm: "gunicorn", state: "S"),
            ProcessRecord(pid: 103, ppid: 101, pgid: 101, sid: 100, comm: "gunicorn", state: "Z"),
            ProcessRecord(pid: 110, ppid: 100, pgid: 110, sid: 100, comm: "python3", state: "S"),
            ProcessRecord(pid: 111, ppid: 100, pgid: 111, sid: 100, comm: "python3", state: "S"),
            ProcessRecord(pid: 200, ppid: 1, pgid: 200, sid: 200, comm: "gunicorn", state: "S"),
        ],
        commandLines: [
            100: "/usr/bin/python3 /usr/bin/supervisord -n -c /r/conf/supervisor/supervisord.conf",
            101: "/v/bin/python3 /v/bin/gunicorn --config /r/conf/app/gunicorn.conf.py",
            102: "/v/bin/python3 /v/bin/gunicorn --config /r/conf/app/gunicorn.conf.py",
            103: "",
            110: "/v/bin/python3 /r/scripts/flup_serve.py --name app",
            111: "/v/bin/python3 /r/scripts/flup_serve.py --name app",
            200: "/v/bin/python3 /v/bin/gunicorn --config /r/conf/app/gunicorn.conf.py",
        ])

    private func spec(_ name: String, markers: [String]) -> ProcessSpec {
        ProcessSpec(
            component: name, kind: .gunicorn, argv: [], environment: [:], workingDirectory: "/",
            outputLog: "logs/x", readiness: .withParent, stopSignal: .term, launchedBy: "supervisor",
            roles: RoleRule(root: .master), claimMarkers: markers)
    }

    func testRootIsTheClaimedProcessWithAnUnclaimedParent() {
        let locator = ComponentLocator(table: table)
        let gunicorn = spec("app", markers: ["/r/conf/app/gunicorn.conf.py"])
        XCTAssertEqual(locator.claimed(by: gunicorn, inSession: 100).map(\.pid), [101, 102])
        XCTAssertEqual(locator.root(of: gunicorn, inSession: 100), 101)
        XCTAssertNil(locator.root(of: gunicorn, inSession: 300), "no such session")
    }

    func testSiblingsHaveNoSingleRootAndWholeWordsMatter() {
        let locator = ComponentLocator(table: table)
        XCTAssertNil(locator.root(of: spec("app", markers: ["--name app"]), inSession: 100))
        XCTAssertEqual(
            locator.claimed(by: spec("app", markers: ["--name app"]), inSession: 100).map(\.pid), [110, 111])
        XCTAssertEqual(locator.claimed(by: spec("ap", markers: ["--name ap"]), inSession: 100).map(\.pid), [])
        XCTAssertEqual(locator.claimed(by: spec("none", markers: []), inSession: 100).map(\.pid), [])
    }
}
