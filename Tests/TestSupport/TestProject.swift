import Foundation
#if canImport(Glibc)
    import Glibc
#endif

/// The checkout the tests run in and the programs it built: shared setup of the tests that read
/// the project's files or start the `stacktop` executable.
public enum TestProject {
    /// The package root (this file is Tests/TestSupport/TestProject.swift).
    public static let root: String = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path

    /// The demo WSGI app of the checkout (topologies/apps/demo).
    public static var demoApp: String { root + "/topologies/apps/demo" }

    /// The seed topology file `stem` (topologies/STEM.yaml).
    public static func topology(_ stem: String) -> String { root + "/topologies/\(stem).yaml" }

    /// The built `stacktop` executable next to the test bundle (swift test builds it too): the
    /// bundle's directory or one of its parents.
    public static var stacktopExecutable: String? {
        var buffer = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard n > 0 else { return nil }
        let exe = String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var dir = URL(fileURLWithPath: exe).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("stacktop").path
            if access(candidate, X_OK) == 0, !candidate.hasSuffix(".xctest") { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return nil
    }

    /// The built `stacktop-reaper` (the C reaper) beside the `stacktop` executable.
    public static var reaperExecutable: String? {
        guard let exe = stacktopExecutable else { return nil }
        let candidate = String(exe.dropLast("stacktop".count)) + "stacktop-reaper"
        return access(candidate, X_OK) == 0 ? candidate : nil
    }

    /// A fresh private directory under /tmp, removed by the caller.
    public static func temporaryDirectory(_ label: String) -> String {
        let path = "/tmp/stacktop-test-\(label)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        mkdir(path, 0o755)
        return path
    }

    /// Polls `condition` every 10 ms for up to `timeoutMs` (monotonic clock); true as soon as it holds.
    public static func eventually(timeoutMs: Int = 3000, _ condition: () -> Bool) -> Bool {
        let deadline = ContinuousClock.now + .milliseconds(timeoutMs)
        while ContinuousClock.now < deadline {
            if condition() { return true }
            usleep(10_000)
        }
        return condition()
    }
}
