import Foundation
import Glibc

/// A process's pid as its own PID namespace sees it, from the `NSpid:` line of
/// /proc/PID/status (`NSpid: 3235 7`: host pid 3235 is pid 7 in its container).
public enum ContainerPid {
    /// The innermost pid when the process runs in a nested PID namespace, else nil.
    public static func of(_ pid: Int32) -> Int32? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        return parse(status: text)
    }

    /// The innermost pid of an `NSpid:` line with more than one pid, else nil.
    public static func parse(status text: String) -> Int32? {
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("NSpid:") }) else { return nil }
        let pids = line.dropFirst("NSpid:".count).split(whereSeparator: { $0 == " " || $0 == "\t" }).compactMap {
            Int32($0)
        }
        return pids.count > 1 ? pids.last : nil
    }

    /// The host pid of the process that is `inner` in the container whose PID 1 is the host's
    /// `root`, found among `root` and its descendants (at most `limit` processes looked at);
    /// nil when none is.
    public static func hostPid(of inner: Int32, under root: Int32, limit: Int = 256) -> Int32? {
        var queue = [root]
        var seen = 0
        while !queue.isEmpty && seen < limit {
            let pid = queue.removeFirst()
            seen += 1
            if of(pid) == inner { return pid }
            queue += children(of: pid)
        }
        return nil
    }

    /// The children of `pid` (every thread's /proc/PID/task/TID/children).
    static func children(of pid: Int32) -> [Int32] {
        guard let dir = opendir("/proc/\(pid)/task") else { return [] }
        defer { closedir(dir) }
        var result: [Int32] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard Int32(name) != nil,
                let text = try? String(contentsOfFile: "/proc/\(pid)/task/\(name)/children", encoding: .utf8)
            else { continue }
            result += text.split(separator: " ").compactMap {
                Int32($0.trimmingCharacters(in: .whitespacesAndNewlines))
            }
        }
        return result
    }
}
