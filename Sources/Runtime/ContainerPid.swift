import Foundation

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
        let pids = line.dropFirst("NSpid:".count).split(whereSeparator: { $0 == " " || $0 == "\t" }).compactMap { Int32($0) }
        return pids.count > 1 ? pids.last : nil
    }
}
