import StackModel
import XCTest
@testable import StackRecipes

/// The operations table: how each server kind reloads, restarts and scales, or why it cannot.
final class OperationsTests: XCTestCase {
    static let context = SeedStacks.snapshotContext

    static func recipe(_ op: ComponentOperation, _ stack: String, _ component: String) -> OperationRecipe {
        Operations.recipe(op, component: component, topology: SeedStacks.topology(stack), context: context)
    }

    func testMethodsByKind() {
        let cases: [(ComponentOperation, String, String, OperationMethod)] = [
            (.reload, "gunicorn", "front", .signalRoot(component: "front", signal: 1)),
            (.addWorker, "gunicorn", "front", .signalRoot(component: "front", signal: 21)),
            (.removeWorker, "nginx-gunicorn", "app", .signalRoot(component: "app", signal: 22)),
            (.reload, "nginx-gunicorn", "front", .signalRoot(component: "front", signal: 1)),
            (.reload, "nginx-uwsgi", "app", .fifo(path: "/RUN/run/app.fifo", command: "r")),
            (.addWorker, "nginx-uwsgi", "app", .fifo(path: "/RUN/run/app.fifo", command: "+")),
            (.removeWorker, "uwsgi", "front", .fifo(path: "/RUN/run/front.fifo", command: "-")),
            (.reload, "apache-mod-wsgi", "front", .signalRoot(component: "front", signal: 10)),
            (.reload, "apache-mod-wsgi", "app", .signalRoot(component: "front", signal: 10)),
            (.reload, "lighttpd-flup", "front", .signalRoot(component: "front", signal: 10)),
            (
                .reload, "nginx-gunicorn-supervisord", "app",
                .command(argv: [
                    "/usr/bin/supervisorctl", "-c", "/RUN/conf/supervisor/supervisord.conf", "signal", "HUP", "app",
                ])
            ),
            (
                .restart, "nginx-gunicorn-supervisord", "app",
                .command(argv: [
                    "/usr/bin/supervisorctl", "-c", "/RUN/conf/supervisor/supervisord.conf", "restart", "app",
                ])
            ),
            (.reload, "nginx-uwsgi-supervisord", "app", .fifo(path: "/RUN/run/app.fifo", command: "r")),
            (.restart, "waitress", "front", .restartInPlace(component: "front")),
            (.restart, "nginx-gunicorn", "front", .restartInPlace(component: "front")),
            (.restart, "apache-mod-wsgi", "front", .restartInPlace(component: "front")),
            (.restart, "apache-mod-wsgi", "app", .restartInPlace(component: "front")),
            (.restart, "lighttpd-flup", "app", .restartInPlace(component: "front")),
        ]
        for (op, stack, component, method) in cases {
            XCTAssertEqual(Self.recipe(op, stack, component).method, method, "\(op) \(stack) \(component)")
        }
    }

    /// Every unsupported operation says why; every supported one says how.
    func testEveryOperationOfEverySeedStackSaysHowOrWhyNot() {
        for stack in SeedStacks.names {
            let t = SeedStacks.topology(stack)
            for c in t.components {
                for r in Operations.recipes(component: c.name, topology: t, context: Self.context) {
                    XCTAssertGreaterThan(r.how.count, 15, "\(stack) \(c.name) \(r.operation)")
                    if case let .command(argv) = r.method { XCTAssertTrue(argv[0].hasPrefix("/"), "\(argv)") }
                }
            }
        }
        XCTAssertTrue(Self.recipe(.restart, "waitress", "front").isSupported, "stop + start")
        XCTAssertTrue(Self.recipe(.restart, "waitress", "front").awaitsEnd)
        XCTAssertFalse(Self.recipe(.reload, "nginx-gunicorn", "app").awaitsEnd)
        XCTAssertEqual(
            Self.recipe(.reload, "waitress", "front").how,
            "waitress has no reload: only a restart (which drops the requests in flight)")
        XCTAssertEqual(Self.recipe(.reload, "nginx-gunicorn", "nope").how, "there is no component 'nope'")
    }

    /// The uWSGI config enables what the operations need: the master FIFO and manual cheaper mode.
    func testUWSGIConfigEnablesTheFIFOAndManualCheaperMode() throws {
        let plan = try Recipes.plan(for: SeedStacks.topology("nginx-uwsgi"), context: Self.context)
        let ini = try XCTUnwrap(plan.files.first { $0.path == "conf/app/uwsgi.ini" }).contents
        for line in [
            "master-fifo = /RUN/run/app.fifo", "cheaper-algo = manual", "cheaper = 1", "cheaper-initial = 2",
            "processes = 4",
        ] {
            XCTAssertTrue(ini.contains("\n" + line + "\n"), line)
        }
    }
}
