import Dashboard
import StackRecipes
import Supervision
import XCTest

/// Fault commands reach only live processes of the stack, the same process the table showed.
final class FaultTargetTests: XCTestCase {
    /// The fixture's stack: sessions are the supervisor's (everything runs under supervisord).
    let sessions: Set<Int32> = [4300]
    lazy var components = StackFixture.running(width: 80, height: 24).0.components

    func kernel(_ pid: Int32, session: Int32 = 4300, dead: Bool = false) -> FaultTarget.Kernel {
        FaultTarget.Kernel(session: session, startTime: UInt64(pid) * 10, isDead: dead)
    }

    func testVerdicts() {
        let cases: [(String, Int32, String, Bool, FaultTarget.Kernel?, FaultTarget.Verdict)] = [
            ("a worker", 4311, "app", false, kernel(4311), .allowed(role: .worker)),
            ("the gunicorn master as a root", 4310, "app", true, kernel(4310), .allowed(role: .master)),
            ("the nginx master as a root", 4301, "front", true, kernel(4301), .allowed(role: .front)),
            (
                "a worker is not a root", 4311, "app", true, kernel(4311),
                .refused("pid 4311 is not the root process of app")
            ),
            (
                "a pid the stack never had", 999, "app", false, kernel(999),
                .refused("pid 999 is not a live process of app")
            ),
            (
                "a pid of another component", 4302, "app", false, kernel(4302),
                .refused("pid 4302 belongs to front, not app")
            ),
            ("init", 1, "app", false, kernel(1), .refused("pid 1 is never a process of a stack")),
            ("gone from /proc", 4311, "app", false, nil, .refused("pid 4311 is gone")),
            ("a zombie", 4311, "app", false, kernel(4311, dead: true), .refused("pid 4311 is gone")),
            (
                "reused pid", 4311, "app", false, FaultTarget.Kernel(session: 4300, startTime: 99_999_999),
                .refused("pid 4311 is now another process (started later)")
            ),
            (
                "another session", 4311, "app", false, kernel(4311, session: 777),
                .refused("pid 4311 is outside the stack's sessions")
            ),
        ]
        for (name, pid, component, root, kernel, expected) in cases {
            let verdict = FaultTarget.verdict(
                pid: pid, component: component, root: root, components: components,
                kernel: kernel, sessions: sessions)
            XCTAssertEqual(verdict, expected, name)
        }
    }

    func testTargetsOfCommands() {
        XCTAssertEqual(FaultTarget.target(of: .signal(pid: 5, .kill, component: "app"))?.root, false)
        XCTAssertEqual(FaultTarget.target(of: .killMaster(component: "app", pid: 6))?.pid, 6)
        XCTAssertEqual(FaultTarget.target(of: .killFront(component: "front", pid: 7))?.root, true)
        XCTAssertNil(FaultTarget.target(of: .quit))
        XCTAssertNil(FaultTarget.target(of: .setRate(5)))
    }
}
