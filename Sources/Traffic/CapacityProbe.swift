import Dispatch
import NIOCore
import StackModel
import Synchronization

/// A short closed-loop run for a plain thread: how many answers a stack gives at most right
/// now (the recycle drill measures it before and while workers recycle). Blocks its caller.
public enum CapacityProbe {
    /// `connections` keep-alive connections on one event loop, `GET path` back to back for
    /// `durationMs`; nil when the run could not start (a bad URL).
    public static func run(url: String, path: String = "/", connections: Int = 8, durationMs: Int) -> ClosedLoopResult?
    {
        let box = Mutex<ClosedLoopResult?>(nil)
        let done = DispatchSemaphore(value: 0)
        Task.detached {
            let result = try? await ClosedLoopLoad.run(
                url: url, mix: [WeightedPath(path: path, weight: 1)],
                connections: connections, threads: 1,
                duration: .milliseconds(Int64(durationMs)))
            box.withLock { $0 = result }
            done.signal()
        }
        done.wait()
        return box.withLock { $0 }
    }
}
