import Foundation
import XCTest
@testable import StackRecipes
import TestSupport

/// Writes every seed stack's plan to disk for starting by hand (the configs must really work):
/// only when STACKTOP_RENDER_RUNS=1. Each stack goes to /tmp/stacktop-runs/recipes-<name>
/// with a `plan.json` listing its processes for a harness to start in order.
final class ManualRunRenderTests: XCTestCase {
    /// The checkout these tests run in (Tests/StackRecipesTests/ → the root).
    static let root = TestProject.root

    func testRenderSeedStacksToDisk() throws {
        guard ProcessInfo.processInfo.environment["STACKTOP_RENDER_RUNS"] == "1" else {
            throw XCTSkip("set STACKTOP_RENDER_RUNS=1 to render the seed stacks under /tmp/stacktop-runs")
        }
        let fm = FileManager.default
        for (index, name) in SeedStacks.names.enumerated() {
            let runDir = "/tmp/stacktop-runs/recipes-\(name)"
            let context = LaunchContext(
                runDir: runDir, ports: SeedStacks.ports(name, base: 19100 + 3 * index),
                tools: Toolchain(), venv: Self.root + "/.venv", runningAsRoot: getuid() == 0)
            let plan = try Recipes.plan(
                for: SeedStacks.topology(name, appDir: Self.root + "/topologies/apps/demo"),
                context: context)
            try? fm.removeItem(atPath: runDir)
            try fm.createDirectory(atPath: runDir, withIntermediateDirectories: true)
            chmod(runDir, mode_t(RunDirLayout.runDirMode))
            for d in plan.directories {
                try fm.createDirectory(atPath: runDir + "/" + d, withIntermediateDirectories: true)
                chmod(runDir + "/" + d, mode_t(RunDirLayout.mode(of: d)))
            }
            for f in plan.files {
                try f.contents.write(toFile: runDir + "/" + f.path, atomically: false, encoding: .utf8)
                chmod(runDir + "/" + f.path, mode_t(f.mode))
            }
            let processes: [[String: Any]] = plan.processes.map { p in
                var readiness = ""
                switch p.readiness {
                case .http(let h, let port, let path): readiness = "http \(h) \(port) \(path)"
                case .tcp(let h, let port): readiness = "tcp \(h) \(port)"
                case .unixSocket(let path): readiness = "unix \(path)"
                case .withParent: readiness = "parent"
                }
                return [
                    "component": p.component, "argv": p.argv, "env": p.environment, "cwd": p.workingDirectory,
                    "output": runDir + "/" + p.outputLog, "stop": p.stopSignal.shortName,
                    "stopNeedsRequest": p.stopNeedsRequest, "launchedBy": p.launchedBy ?? "",
                    "readiness": readiness, "claims": p.claimMarkers,
                ]
            }
            let json = try JSONSerialization.data(
                withJSONObject: ["url": plan.frontDoorURL, "processes": processes],
                options: [.prettyPrinted, .sortedKeys])
            try json.write(to: URL(fileURLWithPath: runDir + "/plan.json"))
        }
    }
}
