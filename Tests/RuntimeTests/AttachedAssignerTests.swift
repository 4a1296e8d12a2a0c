import StackModel
import StackRecipes
import Supervision
import XCTest
@testable import Runtime

/// An attached deploy's processes are found by tree under the discovered roots, not by session:
/// a shell session shared with other programs contributes only the deploy's trees.
final class AttachedAssignerTests: XCTestCase {
    static let nginx = "nginx: master process /usr/sbin/nginx -p /srv/d/ -c nginx.conf"
    static let gunicorn = "/v/bin/python3 /v/bin/gunicorn --bind unix:/srv/d/app.sock app:app"

    func spec(_ name: String, _ kind: ServerKind, _ roles: RoleRule, launchedBy: String? = nil, claims: [String] = [])
        -> ProcessSpec
    {
        ProcessSpec(
            component: name, kind: kind, argv: [], environment: [:], workingDirectory: "/", outputLog: "",
            readiness: .withParent, stopSignal: .term, launchedBy: launchedBy, roles: roles, claimMarkers: claims)
    }

    func record(_ pid: Int32, _ ppid: Int32, sid: Int32, start: UInt64 = 0) -> ProcessRecord {
        ProcessRecord(
            pid: pid, ppid: ppid, pgid: pid, sid: sid, comm: "x", state: "S",
            startTimeTicks: start == 0 ? UInt64(pid) : start)
    }

    func testTreesUnderRootsNotSessions() {
        // nginx and gunicorn started by hand from the same shell (session 50), next to a vim.
        let specs = [
            spec("nginx", .nginx, RoleRule(root: .front, workerMarkers: ["worker process"])),
            spec("gunicorn", .gunicorn, RoleRule(root: .master)),
        ]
        var assigner = ComponentAssigner(
            specs: specs, sessions: [:],
            roots: [
                "nginx": ProcessIdentity(pid: 110, startTime: 110),
                "gunicorn": ProcessIdentity(pid: 120, startTime: 120),
            ])
        let all = [
            record(50, 1, sid: 50), record(60, 50, sid: 50),  // the shell and a vim
            record(110, 50, sid: 50), record(111, 110, sid: 50),
            record(120, 50, sid: 50), record(121, 120, sid: 50), record(122, 120, sid: 50),
        ]
        let commands: [Int32: String] = [
            50: "bash", 60: "vim", 110: Self.nginx, 111: "nginx: worker process",
            120: Self.gunicorn, 121: Self.gunicorn, 122: Self.gunicorn,
        ]
        let members = assigner.members(of: all)
        XCTAssertEqual(Set(members.map(\.pid)), [110, 111, 120, 121, 122])
        let labelled = assigner.label(members, nowTicks: 100_000) { r in (commands[r.pid] ?? "", 0) }
        let got = Dictionary(
            uniqueKeysWithValues: labelled.map { ($0.pid, "\($0.component) \($0.role.rawValue) \($0.depth)") })
        XCTAssertEqual(
            got,
            [
                110: "nginx front 0", 111: "nginx worker 1", 120: "gunicorn master 0",
                121: "gunicorn worker 1", 122: "gunicorn worker 1",
            ])

        // The gunicorn master dies: its orphaned worker (reparented to init) is still the deploy's.
        let later = [
            record(50, 1, sid: 50), record(110, 50, sid: 50), record(111, 110, sid: 50), record(121, 1, sid: 50),
        ]
        XCTAssertEqual(Set(assigner.members(of: later).map(\.pid)), [110, 111, 121])
        // A pid reused by another process is not a root.
        let reused = [record(110, 50, sid: 50, start: 999)]
        XCTAssertEqual(assigner.members(of: reused).map(\.pid), [])
    }
}
