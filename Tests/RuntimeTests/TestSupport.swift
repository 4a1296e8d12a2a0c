import Foundation
import Glibc
import Runtime

/// Helpers shared by the tests that start real processes.
enum TestSupport {
    /// The built `stacktop` executable next to the test bundle (swift test builds it too).
    static var stacktopExecutable: String? {
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
    static var reaperExecutable: String? {
        guard let exe = stacktopExecutable else { return nil }
        let candidate = String(exe.dropLast("stacktop".count)) + "stacktop-reaper"
        return access(candidate, X_OK) == 0 ? candidate : nil
    }

    /// A fresh private directory under /tmp, removed by the caller.
    static func temporaryDirectory(_ label: String) -> String {
        let path = "/tmp/stacktop-test-\(label)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        mkdir(path, 0o755)
        return path
    }

    /// Polls `condition` every 10 ms for up to `timeoutMs`; true as soon as it holds.
    static func eventually(timeoutMs: Int = 3000, _ condition: () -> Bool) -> Bool {
        let clock = Stopwatch()
        while clock.elapsedMs < timeoutMs {
            if condition() { return true }
            Stopwatch.sleep(ms: 10)
        }
        return condition()
    }

    /// The contents of a file, "" if unreadable.
    static func read(_ path: String) -> String {
        (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
    }

    /// An fd open for appending to `path` (created 0644).
    static func openLog(_ path: String) -> Int32 {
        open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
    }

    /// SIGKILLs every live process of `sessions` (cleanup after a failed test).
    static func killSessions(_ sessions: Set<Int32>) {
        _ = SessionSweeper(timeoutMs: 2000).sweep(sessions: sessions)
    }

    static let shell = "/bin/sh"
    static let python = "/usr/bin/python3"
}
