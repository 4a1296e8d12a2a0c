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

    /// A pod's container joins the pod (and so its network namespace) instead of naming a
    /// network; the pod itself is on the host's network and leaves its id in a file.
    func testAPodsContainerJoinsThePodAndThePodUsesTheHostNetwork() throws {
        let plan = try Recipes.plan(for: SeedStacks.topology("uwsgi"), context: SeedStacks.snapshotContext)
        let spec = try XCTUnwrap(plan.processes.first)
        let pod = PodPlacement.Identity(name: "stacktop-p", idFile: "/run/x/run/stacktop-p.podid")
        let inPod = ContainerPlacement(name: "stacktop-p-app", image: "i:1", cidfile: "/run/x/run/a.cid", pod: pod)
        let args = inPod.runArguments(spec, runDir: "/run/x")
        XCTAssertEqual(
            Array(args.prefix(8)),
            ["run", "-d", "--name", "stacktop-p-app", "--cidfile", "/run/x/run/a.cid", "--pod", "stacktop-p"])
        XCTAssertFalse(args.contains("--network"), "a pod's container takes the pod's network")
        XCTAssertTrue(args.contains("/run/x:/run/x"), "the run dir is mounted at its own path")
        XCTAssertEqual(ContainerPlacement.name(inRunArgv: ["/usr/bin/podman"] + args), "stacktop-p-app")
        let alone = ContainerPlacement(name: "c", image: "i:1", cidfile: "/run/x/run/c.cid").runArguments(
            spec, runDir: "/run/x")
        XCTAssertEqual(Array(alone[6...7]), ["--network", "host"])
        XCTAssertEqual(
            PodPlacement(identity: pod, containers: ["app": inPod]).createArguments(runDir: "/run/x"),
            [
                "pod", "create", "--name", "stacktop-p", "--pod-id-file", "/run/x/run/stacktop-p.podid",
                "--network", "host", "--label", "io.stacktop.run_dir=/run/x",
            ])
    }
}
