import NIOCore

/// Limits and timeouts of a load generator.
public struct LoadSettings: Sendable, Equatable {
    /// The highest rate a generator accepts, in requests per second.
    public static let maxRate = 10_000

    /// Keep-alive connections opened at most (requests beyond wait in the queue).
    public var maxConnections: Int
    /// Requests waiting for a connection at most; more are counted as `overflow` and not sent.
    public var maxQueued: Int
    /// A request that has not completed this long after its scheduled time ends as `timeout`.
    public var timeout: TimeAmount
    /// How long one connect may take.
    public var connectTimeout: TimeAmount
    /// The clock's longest sleep (timeouts are checked at least this often).
    public var pollInterval: TimeAmount

    public init(
        maxConnections: Int = 32, maxQueued: Int = 4096, timeout: TimeAmount = .seconds(5),
        connectTimeout: TimeAmount = .seconds(2), pollInterval: TimeAmount = .milliseconds(10)
    ) {
        self.maxConnections = max(1, maxConnections)
        self.maxQueued = max(0, maxQueued)
        self.timeout = timeout
        self.connectTimeout = connectTimeout
        self.pollInterval = pollInterval
    }

    /// At most this many requests are outstanding (in flight or queued).
    public var maxOutstanding: Int { maxConnections + maxQueued }

    var timeoutNanos: UInt64 { UInt64(max(0, timeout.nanoseconds)) }
    var pollNanos: UInt64 { UInt64(max(100_000, pollInterval.nanoseconds)) }

    /// A rate brought into 0...maxRate (0 sends nothing).
    static func clamp(_ rate: Int) -> Int { min(max(rate, 0), maxRate) }
}

/// What a load generator is doing right now (for the dashboard's load line).
public struct LoadGeneratorStatus: Sendable, Equatable {
    public var rate: Int
    public var paused: Bool
    public var running: Bool
    /// Open or opening connections.
    public var connections: Int
    /// Connections with a request in flight.
    public var busy: Int
    /// Requests waiting for a connection.
    public var queued: Int
}
