import CLinux
import Glibc
import Synchronization

/// Where the launcher records what must die with stacktop; the reaper process, or a fake in tests.
public protocol CleanupRegistry: Sendable {
    func record(_ message: ReaperMessage)
}

/// A registry that records nothing, for code paths that clean up by themselves (tests, `config`).
public struct NoCleanupRegistry: CleanupRegistry {
    public init() {}
    public func record(_ message: ReaperMessage) {}
}

/// stacktop's end of the reaper: starts `stacktop _reap` in its own session and writes it the
/// sessions to kill. The pipe's write end is CLOEXEC and held only here, so the reaper sees EOF
/// exactly when stacktop exits or calls `finish()`.
public final class ReaperClient: CleanupRegistry {
    /// The reaper's pid.
    public let pid: Int32
    private let writeFD: Mutex<Int32>

    /// Starts the reaper: `argv` runs `Reaper.run()` on its stdin, usually `[stacktop, "_reap"]`.
    public init(argv: [String]) throws(SpawnError) {
        var fds: [Int32] = [-1, -1]
        guard stacktop_pipe_cloexec(&fds) == 0 else {
            throw SpawnError(program: argv.first ?? "", stage: .fork, errno: errno)
        }
        // A write after the reaper died must fail with EPIPE, not kill stacktop.
        _ = stacktop_set_signal_ignored(SIGPIPE, 1)
        let request = SpawnRequest(
            argv: argv, environment: [:], workingDirectory: "/",
            stdinFD: fds[0], newSession: true)
        do {
            pid = try ProcessSpawner().spawn(request)
        } catch {
            close(fds[0])
            close(fds[1])
            throw error
        }
        close(fds[0])
        writeFD = Mutex(fds[1])
    }

    /// The command that runs the reaper for this executable (`/proc/self/exe` resolved):
    /// `stacktop-reaper _reap` when the build put that small C program next to it (well under
    /// 1 MB of memory), otherwise `stacktop _reap` (the same job in Swift, a second runtime's worth).
    public static func defaultArgv() -> [String] {
        var buffer = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        let exe =
            n > 0 ? String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self) : "/proc/self/exe"
        return argv(besides: exe)
    }

    /// The reaper command for the stacktop executable at `exe`: its sibling `stacktop-reaper`
    /// if that is executable, else `exe _reap`.
    public static func argv(besides exe: String) -> [String] {
        if let slash = exe.lastIndex(of: "/") {
            let sibling = String(exe[...slash]) + "stacktop-reaper"
            if access(sibling, X_OK) == 0 { return [sibling, "_reap"] }
        }
        return [exe, "_reap"]
    }

    public func record(_ message: ReaperMessage) {
        writeFD.withLock { fd in
            guard fd >= 0 else { return }
            let bytes = Array(message.line.utf8)
            _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        }
    }

    /// Closes the pipe (the reaper sweeps and exits) and waits up to `timeoutMs` for it.
    /// Returns true if the reaper exited in time.
    @discardableResult
    public func finish(timeoutMs: Int = 4000) -> Bool {
        let wasOpen = writeFD.withLock { fd -> Bool in
            guard fd >= 0 else { return false }
            close(fd)
            fd = -1
            return true
        }
        guard wasOpen else { return true }
        let clock = Stopwatch()
        var status: Int32 = 0
        while clock.elapsedMs < timeoutMs {
            let r = waitpid(pid, &status, WNOHANG)
            if r == pid || (r < 0 && errno == ECHILD) { return true }
            Stopwatch.sleep(ms: 5)
        }
        return false
    }

    deinit {
        writeFD.withLock { fd in
            if fd >= 0 { close(fd) }
        }
    }
}
