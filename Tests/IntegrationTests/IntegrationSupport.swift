import Foundation
import Glibc
import XCTest
import Runtime
import StackModel
import StackRecipes

/// Shared helpers for tests that start real servers: the project, skip rules, the built CLI.
enum IntegrationSupport {
    /// The package root (this file is Tests/IntegrationTests/IntegrationSupport.swift).
    static let projectRoot: String = {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
    }()

    /// The project: its topologies, demo app and `.venv` (made by scripts/install-components).
    static var paths: ProjectPaths { ProjectPaths(root: projectRoot) }

    /// The built `stacktop` executable next to the test bundle.
    static var stacktopExecutable: String? {
        var buffer = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard n > 0 else { return nil }
        let exe = String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let candidate = URL(fileURLWithPath: exe).deletingLastPathComponent().appendingPathComponent("stacktop").path
        return access(candidate, X_OK) == 0 ? candidate : nil
    }

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
           access(tools.apacheModules + "/mod_wsgi.so", R_OK) != 0 {
            throw XCTSkip("mod_wsgi needs \(tools.apacheModules)/mod_wsgi.so (libapache2-mod-wsgi-py3), which is not installed")
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

    /// Polls `condition` every 10 ms for up to `timeoutMs`.
    static func eventually(timeoutMs: Int, _ condition: () -> Bool) -> Bool {
        let clock = Stopwatch()
        while clock.elapsedMs < timeoutMs {
            if condition() { return true }
            Stopwatch.sleep(ms: 10)
        }
        return condition()
    }
}
