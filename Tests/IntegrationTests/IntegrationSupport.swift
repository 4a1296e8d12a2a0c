import Foundation
import Glibc
import XCTest
import Runtime
import StackModel
import StackRecipes
import TestSupport

/// Shared helpers for tests that start real servers: the project, skip rules, the built CLI.
enum IntegrationSupport {
    /// The project: its topologies, demo app and `.venv` (made by scripts/install-components).
    static var paths: ProjectPaths { ProjectPaths(root: TestProject.root) }

    /// Skips the test (XCTSkip) when a server program of `plan` is not installed; the only
    /// reason an integration test may skip.
    static func skipIfProgramsMissing(_ plan: Plan, tools: Toolchain = Toolchain()) throws {
        for spec in plan.processes {
            guard let exe = spec.argv.first, exe.hasPrefix("/") else { continue }
            if access(exe, X_OK) != 0 {
                throw XCTSkip("\(spec.component) needs \(exe), which is not installed (run scripts/install-components)")
            }
        }
        if plan.processes.contains(where: { $0.kind == .modWSGI }),
            access(tools.apacheModules + "/mod_wsgi.so", R_OK) != 0
        {
            throw XCTSkip(
                "mod_wsgi needs \(tools.apacheModules)/mod_wsgi.so (libapache2-mod-wsgi-py3), which is not installed")
        }
    }

    /// Live processes of `sessions` (zombies do not count: they run nothing and hold no port).
    static func survivors(_ sessions: Set<Int32>) -> [ProcessRecord] {
        LinuxProcessTable().liveMembers(ofSessions: sessions)
    }

    /// The port of an `http://host:port/` URL.
    static func port(of url: String) -> Int? {
        guard let last = url.split(separator: ":").last else { return nil }
        return Int(last.prefix { $0.isNumber })
    }
}
