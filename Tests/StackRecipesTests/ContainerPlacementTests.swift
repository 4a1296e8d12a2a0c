import XCTest
@testable import StackRecipes

/// The container name read back from the `podman run` argv a `starting` event carries: the
/// timeline and `up`'s text both say "in container NAME" from it.
final class ContainerPlacementTests: XCTestCase {
    func testNameIsReadBackFromItsOwnRunArguments() throws {
        let plan = try Recipes.plan(for: SeedStacks.topology("uwsgi"), context: SeedStacks.snapshotContext)
        let spec = try XCTUnwrap(plan.processes.first)
        let placement = ContainerPlacement(name: "stacktop-uwsgi-1", image: "stacktop-uwsgi:abc", cidfile: "/run/x/cid")
        let argv = ["/usr/bin/podman"] + placement.runArguments(spec, runDir: "/run/x")
        XCTAssertEqual(ContainerPlacement.name(inRunArgv: argv), "stacktop-uwsgi-1")
        // Not podman (a flup or Werkzeug argv also has --name): no container.
        XCTAssertNil(ContainerPlacement.name(inRunArgv: ["/usr/bin/python3", "serve.py", "--name", "app"]))
        XCTAssertNil(ContainerPlacement.name(inRunArgv: ["/usr/bin/podman", "run", "--name"]))
        XCTAssertNil(ContainerPlacement.name(inRunArgv: []))
    }
}
