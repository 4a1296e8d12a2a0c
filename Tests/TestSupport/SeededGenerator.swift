/// Deterministic pseudo-random numbers (SplitMix64) for tests that draw random cases.
///
/// A test draws every choice from this generator, never from the system's, so a run seeded with
/// the same number makes the same cases on every machine and toolchain: a failure printed with
/// its seed can be replayed exactly.
public struct SeededGenerator: RandomNumberGenerator {
    public private(set) var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    /// The generator of case `index` of a run seeded with `seed`; cases are independent, so one
    /// case can be replayed without replaying the cases before it.
    public static func forCase(_ index: Int, ofRun seed: UInt64) -> SeededGenerator {
        var mixer = SeededGenerator(seed: seed ^ (UInt64(truncatingIfNeeded: index) &* 0xD1B5_4A32_D192_ED03))
        return SeededGenerator(seed: mixer.next())
    }

    /// The next 64 random bits (SplitMix64: a Weyl sequence through a 64-bit finalizer).
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A number in 0..<bound (bound > 0), by the high half of a full-width product.
    public mutating func below(_ bound: Int) -> Int {
        precondition(bound > 0, "below(\(bound))")
        return Int(next().multipliedFullWidth(by: UInt64(bound)).high)
    }

    /// A number in `range`.
    public mutating func int(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + below(range.count)
    }

    /// True `percent` times in a hundred.
    public mutating func chance(_ percent: Int) -> Bool {
        below(100) < percent
    }

    /// One element of a non-empty array.
    public mutating func pick<T>(_ items: [T]) -> T {
        items[below(items.count)]
    }
}
