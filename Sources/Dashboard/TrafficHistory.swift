import Supervision

/// The last minute of traffic windows plus totals since launch, for the traffic panel and edges.
public struct TrafficHistory: Sendable, Equatable {
    public let capacity: Int
    public private(set) var windows: [TrafficSecond] = []
    /// Status → requests since launch.
    public private(set) var totalByStatus: [Int: Int] = [:]
    /// Error kind → requests since launch.
    public private(set) var totalByError: [LoadErrorKind: Int] = [:]
    /// Pid → requests answered since launch.
    public private(set) var requestsByPid: [Int32: Int] = [:]

    public init(capacity: Int = 120) {
        self.capacity = max(1, capacity)
    }

    public mutating func append(_ w: TrafficSecond) {
        windows.append(w)
        if windows.count > capacity { windows.removeFirst(windows.count - capacity) }
        for (status, n) in w.requests.byStatus { totalByStatus[status, default: 0] += n }
        for (kind, n) in w.requests.byError { totalByError[kind, default: 0] += n }
        for (pid, n) in w.requests.byWorker { requestsByPid[pid, default: 0] += n }
    }

    public var latest: TrafficSecond? { windows.last }

    /// Requests per second of the last `n` windows, oldest first.
    public func rpsSeries(_ n: Int) -> [Double] { windows.suffix(max(0, n)).map(\.requests.rps) }

    /// p99 latency of the last `n` windows (0 where a window had no requests), oldest first.
    public func p99Series(_ n: Int) -> [Double] { windows.suffix(max(0, n)).map { $0.requests.p99Ms ?? 0 } }

    /// Requests per second the latest window attributes to any of `pids`; nil without attribution.
    public func rps(of pids: Set<Int32>) -> Double? {
        guard let w = latest?.requests, !w.byWorker.isEmpty else { return nil }
        let n = w.byWorker.filter { pids.contains($0.key) }.values.reduce(0, +)
        return Double(n)
    }
}

/// Draws a series as a bar chart of eighth blocks, one or more rows high, scaled to its maximum.
public enum Sparkline {
    static let bars: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    /// The last `width` values as one row of bars; a flat zero series is a row of "▁".
    public static func render(_ values: [Double], width: Int) -> String {
        render(values, width: width, rows: 1).first ?? ""
    }

    /// The last `width` values as `rows` rows of bars, top row first, right-aligned.
    public static func render(_ values: [Double], width: Int, rows: Int) -> [String] {
        guard width > 0, rows > 0 else { return [] }
        let shown = Array(values.suffix(width))
        let top = shown.max() ?? 0
        let levels = shown.map { v -> Int in
            guard top > 0, v > 0 else { return 0 }
            return max(1, Int((v / top * Double(rows * 8)).rounded()))
        }
        let pad = String(repeating: " ", count: width - shown.count)
        return (0..<rows).map { i in
            let floor = (rows - 1 - i) * 8
            return pad
                + String(
                    levels.map { level -> Character in
                        let fill = min(8, level - floor)
                        if fill > 0 { return bars[fill - 1] }
                        return i == rows - 1 ? "▁" : " "
                    })
        }
    }
}
