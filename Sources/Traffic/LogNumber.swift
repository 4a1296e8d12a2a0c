/// Reads the numbers of access log values straight from bytes: integers, decimal seconds,
/// comma-separated upstream lists and Common Log Format timestamps.
enum LogNumber {
    /// A non-negative decimal integer filling the whole range; nil for `-`, empty or junk.
    @inline(__always)
    static func integer(_ b: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> Int? {
        guard !r.isEmpty, r.count <= 18, let p = b.baseAddress else { return nil }
        var v = 0
        var i = r.lowerBound
        while i < r.upperBound {
            let d = Int(p[i]) &- 0x30
            guard d >= 0 && d <= 9 else { return nil }
            v = v &* 10 &+ d
            i += 1
        }
        return v
    }

    /// Decimal seconds (`0.004`, `12`, `1.5`) as microseconds; digits past the sixth are dropped.
    @inline(__always)
    static func micros(_ b: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> Int? {
        scaled(b, r, unit: 1_000_000)
    }

    /// Decimal seconds since the epoch (`1718000000.123`) as milliseconds.
    @inline(__always)
    static func millis(_ b: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> Int64? {
        scaled(b, r, unit: 1000).map(Int64.init)
    }

    /// Decimal seconds times `unit` (a power of ten): digits, at most one `.`, more digits
    /// (those finer than the unit are checked, then dropped). Nil for junk; `.` alone is 0.
    @inline(__always)
    private static func scaled(_ b: UnsafeBufferPointer<UInt8>, _ r: Range<Int>, unit: Int) -> Int? {
        guard !r.isEmpty, r.count <= 24, let p = b.baseAddress else { return nil }
        var i = r.lowerBound
        let end = r.upperBound
        var whole = 0
        if end - i > 8, let eight = eightDigits(p + i) {  // epoch seconds: 10 digits
            whole = eight
            i += 8
        }
        while i < end {
            let d = Int(p[i]) &- 0x30
            guard d >= 0 && d <= 9 else { break }
            whole = whole &* 10 &+ d
            i += 1
        }
        guard i < end else { return whole &* unit }
        guard p[i] == 0x2E else { return nil }
        i += 1
        var fraction = 0
        var place = unit
        while i < end {
            let d = Int(p[i]) &- 0x30
            guard d >= 0 && d <= 9 else { return nil }
            if place > 1 {
                fraction = fraction &* 10 &+ d
                place /= 10
            }
            i += 1
        }
        return whole &* unit &+ fraction &* place
    }

    /// The value of the eight ASCII digits at `p`, or nil if any of them is not a digit
    /// (eight at once: a word load, a range test per byte, three multiply-shift folds).
    @inline(__always)
    static func eightDigits(_ p: UnsafePointer<UInt8>) -> Int? {
        let w = UnsafeRawPointer(p).loadUnaligned(as: UInt64.self)
        // Every byte in 0x30...0x39: its high nibble is 3, and adding 6 does not carry into it.
        guard w & 0xF0F0_F0F0_F0F0_F0F0 == 0x3030_3030_3030_3030,
            (w &+ 0x0606_0606_0606_0606) & 0xF0F0_F0F0_F0F0_F0F0 == 0x3030_3030_3030_3030
        else { return nil }
        var v = w & 0x0F0F_0F0F_0F0F_0F0F  // digits, the first in the lowest byte
        v = (v &* 2561) >> 8 & 0x00FF_00FF_00FF_00FF  // pairs: 10 * first + second
        v = (v &* 6_553_601) >> 16 & 0x0000_FFFF_0000_FFFF  // quads
        v = (v &* 42_949_672_960_001) >> 32  // all eight
        return Int(v)
    }

    /// Calls `body` with each item of a list like `0.001, 0.002 : 0.003` (nginx separates tries
    /// with `, ` and upstream groups of an internal redirect with ` : `).
    @inline(__always)
    static func forEachListItem(_ b: UnsafeBufferPointer<UInt8>, _ r: Range<Int>, _ body: (Range<Int>) -> Void) {
        var i = r.lowerBound
        while i < r.upperBound {
            while i < r.upperBound && (b[i] == 0x20 || b[i] == 0x2C || b[i] == 0x3A) { i += 1 }
            let start = i
            while i < r.upperBound && b[i] != 0x20 && b[i] != 0x2C && b[i] != 0x3A { i += 1 }
            if i > start { body(start..<i) }
        }
    }

    /// Common Log Format time `26/Nov/2026:01:26:22 +0000` (brackets already removed) as
    /// milliseconds since the epoch.
    static func commonLogTimeMillis(_ b: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> Int64? {
        guard r.count >= 26 else { return nil }
        let s = r.lowerBound
        func num(_ off: Int, _ len: Int) -> Int? { integer(b, (s + off)..<(s + off + len)) }
        guard let day = num(0, 2), let year = num(7, 4), let hh = num(12, 2), let mm = num(15, 2),
            let ss = num(18, 2), let zh = num(22, 2), let zm = num(24, 2),
            let month = monthNumber(b[s + 3], b[s + 4], b[s + 5])
        else { return nil }
        let sign: Int = b[s + 21] == 0x2D ? -1 : 1
        let days = daysFromCivil(year: year, month: month, day: day)
        let seconds = days * 86_400 + hh * 3600 + mm * 60 + ss - sign * (zh * 3600 + zm * 60)
        return Int64(seconds) * 1000
    }

    private static func monthNumber(_ a: UInt8, _ b: UInt8, _ c: UInt8) -> Int? {
        switch UInt32(a) << 16 | UInt32(b) << 8 | UInt32(c) {
        case 0x4A616E: return 1  // Jan
        case 0x466562: return 2  // Feb
        case 0x4D6172: return 3  // Mar
        case 0x417072: return 4  // Apr
        case 0x4D6179: return 5  // May
        case 0x4A756E: return 6  // Jun
        case 0x4A756C: return 7  // Jul
        case 0x417567: return 8  // Aug
        case 0x536570: return 9  // Sep
        case 0x4F6374: return 10  // Oct
        case 0x4E6F76: return 11  // Nov
        case 0x446563: return 12  // Dec
        default: return nil
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}
