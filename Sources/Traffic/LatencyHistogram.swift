import Histogram

/// A latency histogram in microseconds (1 µs .. 1 hour, 3 significant digits) whose storage is
/// allocated by its first value.
///
/// An HdrHistogram of that range holds 24,576 counters (192 KiB), written when made. A stack
/// keeps two tallies (window and run) per access log, with two histograms each (the server's
/// time and the upstream's), and most of them stay empty: app servers log no upstream time, and
/// an idle stack logs nothing. Made eagerly they were 3.9 MB of the dashboard's anonymous memory
/// on a five-log stack; now only the histograms that receive a value exist, and their counters
/// are 32-bit (96 KiB each): a histogram stops counting at 2^32 - 1 values (`isFull`; five days
/// of every request at the 10,000 requests/s cap), rather than let a counter wrap.
struct LatencyHistogram: Sendable {
    private var storage: Histogram<UInt32>?

    init() {}

    /// Records `micros`, clamped to the histogram's range, `count` times (not at all once full).
    mutating func record(micros: UInt64, count: UInt32 = 1) {
        let value = max(1, min(micros, 3_600_000_000))
        if storage == nil {
            storage = Histogram<UInt32>(
                lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000,
                numberOfSignificantValueDigits: .three)
        }
        guard totalCount + UInt64(count) <= UInt64(UInt32.max) else { return }
        _ = storage!.record(value, count: count)
    }

    /// It holds as many values as a 32-bit counter can: later ones are not counted.
    var isFull: Bool { totalCount >= UInt64(UInt32.max) }

    /// Empties it, keeping its storage.
    mutating func reset() {
        if totalCount > 0 { storage!.reset() }  // no copy held: reset in place
    }

    var totalCount: UInt64 { storage?.totalCount ?? 0 }

    /// Whether its storage was made (by a first value).
    var hasStorage: Bool { storage != nil }

    /// The value at percentile `p` in milliseconds; nil when empty.
    func ms(atPercentile p: Double) -> Double? {
        guard let s = storage, s.totalCount > 0 else { return nil }
        return Double(s.valueAtPercentile(p)) / 1000
    }

    /// The largest value in milliseconds; nil when empty.
    var maxMs: Double? {
        guard let s = storage, s.totalCount > 0 else { return nil }
        return Double(s.max) / 1000
    }
}
