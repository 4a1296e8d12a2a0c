import Foundation
import Glibc
import Runtime

/// Helpers of the Runtime tests that start real processes (the ones every test target shares
/// are in the TestSupport target).
enum RuntimeTestSupport {
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
