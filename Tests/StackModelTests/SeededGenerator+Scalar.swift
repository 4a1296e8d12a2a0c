import TestSupport

/// The topology fuzzer's draw of awkward characters, on the shared seeded generator (a run seeded
/// with the same number makes the same inputs everywhere: "seed S, case N" replays exactly).
extension SeededGenerator {
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
