import Glibc

/// Reads how a process ended from /proc/PID/stat while it is still a zombie (field 52,
/// `exit_code`, in waitpid's format) — the only way to learn a worker's signal when its own
/// master, not stacktop, reaps it. Best effort: once its parent reaped it, nothing is left.
public struct ExitStatusReader: Sendable {
    public var procRoot: String

    public init(procRoot: String = "/proc") { self.procRoot = procRoot }

    /// The signal or status of `pid` if it is a zombie with start time `startTime`.
    public func status(of pid: Int32, startTime: UInt64) -> (signal: Int32?, status: Int32?)? {
        guard let bytes = SmallFile.read("\(procRoot)/\(pid)/stat", limit: 4096) else { return nil }
        return ExitStatusReader.parse(stat: bytes, startTime: startTime)
    }

    /// Parses a zombie's stat line; nil unless the state is Z or X and the start time matches.
    public static func parse(stat bytes: [UInt8], startTime: UInt64) -> (signal: Int32?, status: Int32?)? {
        guard let close = bytes.lastIndex(of: 41) else { return nil }  // ")"
        // Fields after ")": index 0 is field 3 (state); field N is index N - 3.
        let fields = bytes[(close + 1)...].split(whereSeparator: { $0 == 32 || $0 == 10 })
        guard fields.count > 49, let state = fields[0].first, state == 90 || state == 88 else { return nil }  // Z X
        guard UInt64(String(decoding: fields[19], as: UTF8.self)) == startTime,
            let code = Int32(String(decoding: fields[49], as: UTF8.self))
        else { return nil }
        let decoded = ChildProcess.ExitStatus(waitStatus: code)
        switch decoded {
        case let .signaled(sig): return (sig, nil)
        case let .exited(status): return (nil, status)
        }
    }
}
