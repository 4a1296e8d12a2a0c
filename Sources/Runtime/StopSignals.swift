import Dispatch
import Glibc
import Synchronization

/// Turns SIGINT, SIGTERM and SIGHUP into a `StopFlag` the launch and run loops poll: the handlers
/// are dispatch sources, so no work happens in signal context.
public final class StopSignals {
    /// Set by the first stop signal; safe to read from any thread.
    public let flag = StopFlag()
    private var sources: [any DispatchSourceSignal] = []

    /// Starts watching `signals` (their default action is replaced: they no longer kill us).
    public init(_ signals: [Int32] = [SIGINT, SIGTERM, SIGHUP]) {
        let queue = DispatchQueue(label: "stacktop.signals")
        for sig in signals {
            Glibc.signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: queue)
            source.setEventHandler { [flag] in flag.set(sig) }
            source.resume()
            sources.append(source)
        }
    }

    deinit {
        for s in sources { s.cancel() }
    }
}

/// A stop request: which signal asked for it (or -1 for a request from code), set once.
public final class StopFlag: Sendable {
    private let value = Atomic<Int32>(0)

    public init() {}

    /// Records `signal` unless a stop was already requested.
    public func set(_ signal: Int32 = -1) {
        _ = value.compareExchange(expected: 0, desired: signal, ordering: .sequentiallyConsistent)
    }

    /// The signal that requested the stop (-1 when code did), nil if none yet.
    public var signal: Int32? {
        let s = value.load(ordering: .sequentiallyConsistent)
        return s == 0 ? nil : s
    }

    public var isSet: Bool { signal != nil }
}
