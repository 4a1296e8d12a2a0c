/// The last lines of each component's logs: one `LogRing` per component, made on first use.
///
/// The runtime tails a component's output and log files into it; `error` events quote its tail.
public struct ComponentLogs: Sendable, Equatable {
    public let capacity: Int
    public let maxLineBytes: Int
    private var rings: [String: LogRing] = [:]
    private var order: [String] = []

    public init(capacity: Int = 200, maxLineBytes: Int = 4_096) {
        self.capacity = capacity
        self.maxLineBytes = maxLineBytes
    }

    /// Appends a chunk of bytes read from one of `component`'s logs.
    public mutating func append(_ bytes: [UInt8], to component: String) {
        if rings[component] == nil {
            rings[component] = LogRing(capacity: capacity, maxLineBytes: maxLineBytes)
            order.append(component)
        }
        rings[component]?.append(bytes)
    }

    /// Appends a chunk of text from one of `component`'s logs.
    public mutating func append(_ text: String, to component: String) {
        append(Array(text.utf8), to: component)
    }

    /// Ends `component`'s partial line (its log stream ended).
    public mutating func flush(_ component: String) {
        rings[component]?.flush()
    }

    /// The ring of one component; nil before its first chunk.
    public func ring(_ component: String) -> LogRing? { rings[component] }

    /// The last `count` lines of `component`, the partial line included; empty when none.
    public func tail(_ component: String, _ count: Int) -> [String] {
        rings[component]?.tail(count, includingPartial: true) ?? []
    }

    /// Components with logs, in the order their first chunk came.
    public var components: [String] { order }
}
