/// One second of a drill's traffic as the client saw it: answers by outcome and by app version.
public struct DrillSecond: Sendable, Equatable {
    /// Start of the second, in ms relative to the fault (negative before it).
    public var startMs: Int
    /// Requests that ended well in this second.
    public var ok: Int
    /// Failed requests by kind ("502", "refused", …), as `DrillRequest.failureKind` says.
    public var failures: [String: Int]
    /// Answers by `X-App-Version` (answers without the header are not counted here).
    public var versions: [Int: Int]

    public init(startMs: Int, ok: Int = 0, failures: [String: Int] = [:], versions: [Int: Int] = [:]) {
        self.startMs = startMs
        self.ok = ok
        self.failures = failures
        self.versions = versions
    }

    /// Failed requests, all kinds together.
    public var failed: Int { failures.values.reduce(0, +) }

    /// The bins of `requests` (times in ms since launch) as seconds relative to `faultAtMs`,
    /// from the first to the last second that had a request, empty seconds included.
    public static func bins(_ requests: [DrillRequest], faultAtMs: Int) -> [DrillSecond] {
        var byIndex: [Int: DrillSecond] = [:]
        for r in requests where r.error != "cancelled" && !r.isCrashRequest {
            let rel = r.tMs - faultAtMs
            let index = rel >= 0 ? rel / 1000 : (rel - 999) / 1000
            var bin = byIndex[index] ?? DrillSecond(startMs: index * 1000)
            if let kind = r.failureKind { bin.failures[kind, default: 0] += 1 } else { bin.ok += 1 }
            if let v = r.appVersion { bin.versions[Int(v), default: 0] += 1 }
            byIndex[index] = bin
        }
        guard let first = byIndex.keys.min(), let last = byIndex.keys.max() else { return [] }
        return (first...last).map { byIndex[$0] ?? DrillSecond(startMs: $0 * 1000) }
    }
}
