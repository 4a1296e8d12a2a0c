import Synchronization

/// A stop request: which signal asked for it (or -1 for a request from code), set once.
///
/// A flag made with `followingSignals: true` is also set by the first SIGINT, SIGTERM or SIGHUP
/// (`SignalCatcher`, installed by that init): the launch and run loops of `up`, `drill`,
/// `compare` and `attach` poll it.
public final class StopFlag: Sendable {
    private let value = Atomic<Int32>(0)
    private let followsSignals: Bool

    public init(followingSignals: Bool = false) {
        followsSignals = followingSignals
        if followingSignals { SignalCatcher.install() }
    }

    /// Records `signal` unless a stop was already requested.
    public func set(_ signal: Int32 = -1) {
        if followsSignals && SignalCatcher.firstCaught != nil { return }
        _ = value.compareExchange(expected: 0, desired: signal, ordering: .sequentiallyConsistent)
    }

    /// The signal that requested the stop (-1 when code did), nil if none yet.
    public var signal: Int32? {
        let s = value.load(ordering: .sequentiallyConsistent)
        if s != 0 { return s }
        return followsSignals ? SignalCatcher.firstCaught : nil
    }

    public var isSet: Bool { signal != nil }
}
