import StackModel
import XCTest
@testable import StackRecipes

/// How the recycle drill turns recycling on: the config edits on the configs stacktop renders,
/// and the refusals.
final class RecyclingTests: XCTestCase {
    /// The rendered config file of `component` in seed stack `stack`.
    func rendered(_ stack: String, _ setup: RecycleSetup) throws -> String {
        let plan = try Recipes.plan(for: SeedStacks.topology(stack), context: SeedStacks.snapshotContext)
        let file = try XCTUnwrap(
            plan.files.first { $0.path == setup.configFile }, "\(setup.configFile) in \(plan.files.map(\.path))")
        return file.contents
    }

    func testEditsOfTheConfigsStacktopWrites() throws {
        let cases: [(stack: String, component: String, added: [String], log: String)] = [
            ("nginx-gunicorn", "app", ["max_requests = 200", "max_requests_jitter = 50"], "logs/app.out"),
            ("nginx-uwsgi", "app", ["max-requests = 200", "min-worker-lifetime = 1"], "logs/app.log"),
            (
                "apache-mod-wsgi", "app",
                ["WSGIDaemonProcess app maximum-requests=200 processes=", "LogLevel notice wsgi:info"],
                "logs/front.error.log"
            ),
        ]
        for c in cases {
            let setup = try Recycling.setup(component: c.component, topology: SeedStacks.topology(c.stack)).get()
            XCTAssertEqual(setup.logFile, c.log, c.stack)
            let text = try rendered(c.stack, setup)
            let edited = try XCTUnwrap(setup.edit(text), c.stack)
            for line in c.added {
                XCTAssertFalse(text.contains(line), "\(c.stack): not there before")
                XCTAssertTrue(edited.contains(line), "\(c.stack): \(line)")
            }
            XCTAssertTrue(edited.hasPrefix(text.prefix(40)), "the rest is kept")
        }
    }

    func testAConfigNotWrittenByStacktopIsNotEdited() throws {
        let setup = try Recycling.setup(component: "app", topology: SeedStacks.topology("apache-mod-wsgi")).get()
        XCTAssertNil(setup.edit("ServerRoot /etc/apache2\n"))
    }

    func testServersWithoutMaxRequestsAreRefusedWithTheReason() {
        let cases = [
            ("waitress", "front", "waitress has no max-requests"), ("nginx-flup", "app", "flup has no max-requests"),
            ("nginx-gunicorn", "front", "not an app server"),
        ]
        for (stack, component, why) in cases {
            switch Recycling.setup(component: component, topology: SeedStacks.topology(stack)) {
            case .success: XCTFail("\(stack) \(component) recycles?")
            case let .failure(refusal): XCTAssertTrue(refusal.description.contains(why), refusal.description)
            }
        }
    }
}
