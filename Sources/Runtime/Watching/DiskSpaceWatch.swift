import Glibc

/// Notices when the filesystem holding a run dir fills up while the stack runs, so a full disk
/// is reported once as an error instead of showing only as logs and flow figures that stop.
///
/// Servers do not stop on a full disk: nginx, gunicorn and the others keep answering and drop
/// their log lines (writes fail with ENOSPC), so without this the only sign would be the
/// access-log figures going quiet. `check` is a statvfs(2) call, cheap enough for every log poll.
/// After a report it re-arms once free space is back above `rearmBytes`.
public struct DiskSpaceWatch: Sendable {
    /// A filesystem's free space as an unprivileged writer sees it (`f_bavail`), in bytes.
    public typealias FreeBytes = @Sendable (String) -> Int64?

    public let path: String
    /// Free space at or below this counts as full (the servers' next log line fails).
    public let fullBytes: Int64
    /// Free space above this re-arms the report.
    public let rearmBytes: Int64
    private let freeBytes: FreeBytes
    private var reported = false

    public init(
        path: String, fullBytes: Int64 = 0, rearmBytes: Int64 = 1 << 20,
        freeBytes: @escaping FreeBytes = DiskSpaceWatch.statvfsFreeBytes
    ) {
        self.path = path
        self.fullBytes = fullBytes
        self.rearmBytes = rearmBytes
        self.freeBytes = freeBytes
    }

    /// The message to report now, if the filesystem just became full; nil otherwise (also when
    /// it cannot be read: a run dir that vanished is not a full disk).
    public mutating func check() -> String? {
        guard let free = freeBytes(path) else { return nil }
        if reported {
            if free > rearmBytes { reported = false }
            return nil
        }
        guard free <= fullBytes else { return nil }
        reported = true
        return "No space left on device: the filesystem of the run dir \(path) is full; the servers keep "
            + "running but can no longer write their logs (the log pane and the access-log figures stop)"
    }

    /// Less free space than this under a run dir explains a launch that failed (the configs,
    /// pid files, sockets and first log lines of a stack take a few pages).
    public static let launchMinimumBytes: Int64 = 64 * 1024

    /// For a launch that failed: what the disk says, when the run dir's filesystem is (nearly) full.
    public static func launchHint(runDir: String, freeBytes: FreeBytes = statvfsFreeBytes) -> String? {
        guard let free = freeBytes(runDir), free < launchMinimumBytes else { return nil }
        return "the filesystem of the run dir \(runDir) is full (\(free / 1024) KB free): No space left on device"
    }

    /// `f_bavail × f_frsize` of the filesystem holding `path`, or nil when statvfs fails.
    public static func statvfsFreeBytes(_ path: String) -> Int64? {
        var fs = statvfs()
        guard statvfs(path, &fs) == 0 else { return nil }
        return Int64(fs.f_bavail) * Int64(fs.f_frsize)
    }
}
