import StackModel
import XCTest
@testable import StackRecipes

/// `export --compose` text: one image and service for `container: true`, one per component for
/// `container: pod`, the pod's components sharing run/ through a volume.
final class ComposeExportTests: XCTestCase {
    func file(_ files: [ComposeExport.File], _ path: String) throws -> String {
        try XCTUnwrap(files.first { $0.path == path }?.contents, "no \(path) in \(files.map(\.path))")
    }

    func testAPodGetsOneImageAndServicePerComponent() throws {
        let plan = try Recipes.plan(for: SeedStacks.topology("nginx-gunicorn"), context: SeedStacks.snapshotContext)
        let files = try ComposeExport.files(plan: plan, base: "localhost/b:1", topology: "P", layout: .pod)
        let app = try file(files, "Containerfile.app")
        let front = try file(files, "Containerfile.front")
        XCTAssertTrue(app.contains("COPY app/ /srv/app/\nRUN " + ContainerImage.venvCommand), app)
        XCTAssertFalse(front.contains("COPY app/"), "the front's image holds no app")
        XCTAssertTrue(front.contains("CMD [\"/usr/sbin/nginx\""), front)
        let compose = try file(files, "compose.yaml")
        for line in [
            "  app:", "  front:", "    image: localhost/stacktop-export-p-front:latest", "    depends_on: [\"app\"]",
            "      - \"run:/stack/run\"", "volumes:", "  run: {}",
            "#   CONTAINERS_CONF=$PWD/containers.conf podman-compose down -v -t 2",
        ] {
            XCTAssertTrue(compose.split(separator: "\n").contains(Substring(line)), "no «\(line)» in\n\(compose)")
        }
        XCTAssertEqual(compose.split(separator: "\n").filter { $0 == "    network_mode: host" }.count, 2)
        XCTAssertNil(files.first { $0.path == "Containerfile" })
    }

    func testOneContainerGetsOneImageAndService() throws {
        let plan = try Recipes.plan(
            for: SeedStacks.topology("nginx-gunicorn-supervisord"), context: SeedStacks.snapshotContext)
        let files = try ComposeExport.files(plan: plan, base: "localhost/b:1", topology: "S")
        XCTAssertTrue(try file(files, "Containerfile").contains("COPY app/"))
        let compose = try file(files, "compose.yaml")
        XCTAssertTrue(compose.contains("  stack:\n"), compose)
        XCTAssertFalse(compose.contains("volumes:"), "one container shares its run dir with nobody")
        XCTAssertTrue(compose.contains("podman-compose down -t 2\n"))
    }
}
