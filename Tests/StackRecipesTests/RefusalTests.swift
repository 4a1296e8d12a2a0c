import StackModel
import XCTest
@testable import StackRecipes

/// Combinations stacktop refuses, each with the component named and the reason given.
final class RefusalTests: XCTestCase {
    typealias Edit = (inout [Component]) -> Void

    struct Case {
        let title: String
        let stack: String
        let edit: Edit
        let component: String
        let reason: RecipeError.Reason
        let messageContains: String
    }

    static func set(_ name: String, _ change: @escaping (inout Component) -> Void) -> Edit {
        { comps in
            for i in comps.indices where comps[i].name == name { change(&comps[i]) }
        }
    }

    let cases: [Case] = [
        Case(
            title: "mod_wsgi outside Apache", stack: "apache-mod-wsgi",
            edit: set("app") { $0.inside = nil }, component: "app", reason: .unsupported, messageContains: "inside"),
        Case(
            title: "flup inside Apache", stack: "apache-mod-wsgi",
            edit: set("app") {
                $0.kind = .flup; $0.proto = .fastcgi
            }, component: "front", reason: .unsupported,
            messageContains: "cannot forward fastcgi"),
        Case(
            title: "nginx forwarding uwsgi to gunicorn", stack: "nginx-gunicorn",
            edit: set("app") { $0.proto = .uwsgi }, component: "app", reason: .unsupported, messageContains: "gunicorn"),
        Case(
            title: "lighttpd forwarding uwsgi", stack: "nginx-uwsgi",
            edit: set("front") { $0.kind = .lighttpd }, component: "front", reason: .unsupported,
            messageContains: "cannot forward uwsgi"),
        Case(
            title: "a pool mixing protocols", stack: "nginx-pool",
            edit: set("app2") { $0.proto = .uwsgi }, component: "front", reason: .unsupported,
            messageContains: "one protocol"),
        Case(
            title: "supervising a hosted component", stack: "apache-mod-wsgi",
            edit: { $0.append(Component(name: "sup", kind: .supervisord, supervises: ["app"])) },
            component: "sup", reason: .unsupported, messageContains: "runs inside 'front'"),
        Case(
            title: "a non-loopback host", stack: "gunicorn",
            edit: set("front") { $0.host = "0.0.0.0" }, component: "front", reason: .unsafeValue,
            messageContains: "loopback"),
        Case(
            title: "two front doors", stack: "nginx-gunicorn",
            edit: set("front") { $0.upstream = [] }, component: "", reason: .inconsistent,
            messageContains: "exactly one front door"),
        Case(
            title: "an unknown upstream", stack: "nginx-gunicorn",
            edit: set("front") { $0.upstream = ["nope"] }, component: "front", reason: .inconsistent,
            messageContains: "'nope'"),
        Case(
            title: "mod_wsgi speaking http", stack: "nginx-gunicorn",
            edit: set("app") { $0.kind = .modWSGI }, component: "app", reason: .unsupported, messageContains: "mod_wsgi"
        ),
    ]

    func testRefusedCombinationsNameTheComponentAndWhy() {
        for c in cases {
            var t = SeedStacks.topology(c.stack)
            c.edit(&t.components)
            do {
                let plan = try Recipes.plan(for: t, context: SeedStacks.snapshotContext)
                XCTFail("\(c.title): planned \(plan.processes.map(\.component)) instead of refusing")
            } catch {
                XCTAssertEqual(error.component, c.component, "\(c.title): \(error)")
                XCTAssertEqual(error.reason, c.reason, "\(c.title): \(error)")
                XCTAssertTrue(error.message.contains(c.messageContains), "\(c.title): \(error)")
            }
        }
    }

    func testAMissingPortIsReported() {
        var context = SeedStacks.snapshotContext
        context.ports = [:]
        XCTAssertThrowsError(try Recipes.plan(for: SeedStacks.topology("gunicorn"), context: context)) { error in
            XCTAssertEqual((error as? RecipeError)?.reason, .missingLaunchValue)
            XCTAssertEqual("\(error)", "component 'front': listens on TCP but the launch chose no port for it")
        }
        var t = SeedStacks.topology("nginx-gunicorn")
        t.components[1].transport = .tcp
        context.ports = ["front": 8000]
        XCTAssertThrowsError(try Recipes.plan(for: t, context: context)) { error in
            XCTAssertEqual((error as? RecipeError)?.component, "app")
        }
    }

    func testAFixedPortFromTheTopologyIsUsedWhenTheLaunchChoseNone() throws {
        var t = SeedStacks.topology("gunicorn")
        t.components[0].port = 8123
        var context = SeedStacks.snapshotContext
        context.ports = [:]
        XCTAssertEqual(try Recipes.plan(for: t, context: context).frontDoorURL, "http://127.0.0.1:8123/")
    }

    func testUnsafeRunDirsAndOverlongSocketsAreRefused() {
        for runDir in ["relative/run", "/tmp/run dir", "/tmp/$(id)", "/tmp/run\"x", "/tmp/run/"] {
            var context = SeedStacks.snapshotContext
            context.runDir = runDir
            XCTAssertThrowsError(try Recipes.plan(for: SeedStacks.topology("nginx-gunicorn"), context: context), runDir)
            { error in
                XCTAssertEqual((error as? RecipeError)?.reason, .unsafeValue, runDir)
            }
        }
        var context = SeedStacks.snapshotContext
        context.runDir = "/tmp/" + String(repeating: "x", count: 100)
        XCTAssertThrowsError(try Recipes.plan(for: SeedStacks.topology("nginx-gunicorn"), context: context)) { error in
            XCTAssertTrue("\(error)".contains("over Linux's 107"), "\(error)")
        }
    }

    func testPathsAConfigSyntaxCannotCarryAreRefusedOnlyWhereTheyMatter() throws {
        let percentVenv = SeedStacks.topology("nginx-uwsgi", venv: "/opt/100%venv")
        XCTAssertThrowsError(try Recipes.plan(for: percentVenv, context: SeedStacks.snapshotContext)) { error in
            XCTAssertEqual((error as? RecipeError)?.component, "app")
            XCTAssertTrue("\(error)".contains("uWSGI expands"), "\(error)")
        }
        // gunicorn takes the same venv in argv and a Python literal: fine.
        XCTAssertNoThrow(
            try Recipes.plan(
                for: SeedStacks.topology("nginx-gunicorn", venv: "/opt/100%venv"),
                context: SeedStacks.snapshotContext))
        let spacedApp = SeedStacks.topology("lighttpd-flup", appDir: "/home/me/my app")
        XCTAssertThrowsError(try Recipes.plan(for: spacedApp, context: SeedStacks.snapshotContext)) { error in
            XCTAssertTrue("\(error)".contains("lighttpd splits bin-path at whitespace"), "\(error)")
        }
        let quotedApp = SeedStacks.topology("apache-mod-wsgi", appDir: "/srv/a\"pp")
        XCTAssertThrowsError(try Recipes.plan(for: quotedApp, context: SeedStacks.snapshotContext)) { error in
            XCTAssertTrue("\(error)".contains("Apache"), "\(error)")
        }
    }
}
