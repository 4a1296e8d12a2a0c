import CLinux
import Dispatch

/// Keeps stacktop's resident memory to what it uses while it watches a stack.
///
/// stacktop is one large executable (the Swift runtime, Foundation, SwiftNIO linked in): starting
/// a stack runs code (argument parsing, YAML, recipes, the launcher) that watching it never runs
/// again, and the kernel maps code in 64 KB runs around each page touched. Once a stack is up,
/// `dropStartupCode` unmaps the executable's code pages from the process (clean pages of the file:
/// the page cache keeps them, and what is still used faults back in at once). See
/// benchmarks/RESULTS.md, "Dashboard RSS".
public enum ResidentMemory {
    /// Drops the executable's code pages now; returns the bytes of code advised (nil if /proc/self
    /// could not be read).
    @discardableResult
    public static func dropStartupCode() -> Int? {
        let n = stacktop_drop_executable_text()
        return n < 0 ? nil : n
    }

    /// Drops them `afterMs` from now, on a background queue (time for the first frames and probes
    /// of the running stack, whose code stays).
    public static func dropStartupCode(afterMs: Int) {
        DispatchQueue.global(qos: .utility).asyncAfter(deadline: .now() + .milliseconds(afterMs)) {
            dropStartupCode()
        }
    }

    /// At most `arenas` malloc arenas for threads started from now on (glibc makes one per
    /// thread up to 8 per core, each holding its own free memory).
    public static func limitMallocArenas(_ arenas: Int = 2) {
        _ = stacktop_limit_malloc_arenas(Int32(arenas))
    }
}
