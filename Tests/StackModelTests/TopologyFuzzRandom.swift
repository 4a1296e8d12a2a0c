/// Deterministic pseudo-random numbers for the topology fuzzer (SplitMix64).
///
/// The fuzzer draws every choice from this generator, never from the system's, so a run seeded
/// with the same number makes the same inputs on every machine and toolchain: a failure printed
/// as "seed S, case N" can be replayed exactly.
struct TopologyFuzzRandom {
    private(set) var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    /// The generator of case `index` of a run seeded with `seed`; cases are independent, so one
    /// case can be replayed without replaying the cases before it.
    static func forCase(_ index: Int, ofRun seed: UInt64) -> TopologyFuzzRandom {
        var mixer = TopologyFuzzRandom(seed: seed ^ (UInt64(truncatingIfNeeded: index) &* 0xD1B5_4A32_D192_ED03))
        return TopologyFuzzRandom(seed: mixer.next())
    }

    /// The next 64 random bits (SplitMix64: a Weyl sequence through a 64-bit finalizer).
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A number in 0..<bound (bound > 0), by the high half of a full-width product.
    mutating func below(_ bound: Int) -> Int {
        precondition(bound > 0, "below(\(bound))")
        return Int(next().multipliedFullWidth(by: UInt64(bound)).high)
    }

    /// A number in `range`.
    mutating func int(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + below(range.count)
    }

    /// True `percent` times in a hundred.
    mutating func chance(_ percent: Int) -> Bool {
        below(100) < percent
    }

    /// One element of a non-empty array.
    mutating func pick<T>(_ items: [T]) -> T {
        items[below(items.count)]
    }

    /// A Unicode scalar from a mix of ranges that parsers treat specially: C0 and C1 controls,
    /// DEL, Latin-1, line and paragraph separators, the byte-order mark, CJK (wide), emoji
    /// (outside the BMP) and private use.
    mutating func scalar() -> Unicode.Scalar {
        let ranges: [ClosedRange<UInt32>] = [
            0x00...0x1F, 0x7F...0x7F, 0x80...0x9F, 0xA0...0xFF, 0x2028...0x2029, 0xFEFF...0xFEFF,
            0x4E00...0x9FFF, 0x1F300...0x1FAFF, 0xE000...0xF8FF, 0x20...0x7E, 0x300...0x36F,
            0xFFF0...0xFFFF, 0x10000...0x10FFFF,
        ]
        let range = pick(ranges)
        let value = range.lowerBound + UInt32(below(Int(range.upperBound - range.lowerBound) + 1))
        return Unicode.Scalar(value) ?? "?"
    }
}
