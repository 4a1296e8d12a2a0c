import StackModel

/// Picks request paths in proportion to their weights, deterministically (smooth weighted
/// round-robin, as nginx balances upstreams): over any run of `totalWeight` picks, each path
/// comes exactly `weight` times, evenly spread.
public struct RequestMix: Sendable {
    public let paths: [String]
    private let weights: [Int]
    private var current: [Int]
    public let totalWeight: Int

    /// A mix of `entries`; entries with non-positive weights are left out, and an empty mix
    /// means `/`.
    public init(_ entries: [WeightedPath]) {
        var kept = entries.filter { $0.weight > 0 }
        if kept.isEmpty { kept = [WeightedPath(path: "/", weight: 1)] }
        paths = kept.map { $0.path.hasPrefix("/") ? $0.path : "/" + $0.path }
        weights = kept.map(\.weight)
        current = Array(repeating: 0, count: kept.count)
        totalWeight = weights.reduce(0, +)
    }

    /// The index of the next path in `paths`.
    public mutating func nextIndex() -> Int {
        var best = 0
        for i in current.indices {
            current[i] += weights[i]
            if current[i] > current[best] { best = i }
        }
        current[best] -= totalWeight
        return best
    }

    /// The next path.
    public mutating func next() -> String {
        paths[nextIndex()]
    }
}
