/// Reads the numbers of access log values straight from bytes: integers, decimal seconds,
/// comma-separated upstream lists and Common Log Format timestamps.
enum LogNumber {
    /// A non-negative decimal integer filling the whole range; nil for `-`, empty or junk.
    static func integer(_ b: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> Int? {
        guard !r.isEmpty, r.count <= 18 else { return nil }
        var v = 0
        for i in r {
            let d = Int(b[i]) &- 0x30
            guard d >= 0 && d <= 9 else { return nil }
            v = v &* 10 &+ d
        }
        return v
    }

    /// Decimal seconds (`0.004`, `12`, `1.5`) as microseconds; digits past the sixth are dropped.
    static func micros(_ b: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> Int? {
        scaled(b, r, fractionDigits: 6)
    }

    /// Decimal seconds since the epoch (`1718000000.123`) as milliseconds.
    static func millis(_ b: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> Int64? {
        scaled(b, r, fractionDigits: 3).map(Int64.init)
    }

    private static func scaled(_ b: UnsafeBufferPointer<UInt8>, _ r: Range<Int>, fractionDigits: Int) -> Int? {
        guard !r.isEmpty, r.count <= 24 else { return nil }
        var whole = 0
        var frac = 0
        var fracDigits = -1          // -1: no '.' seen yet
        for i in r {
            let c = b[i]
            if c == 0x2E, fracDigits < 0 { fracDigits = 0; continue }
            let d = Int(c) &- 0x30
            guard d >= 0 && d <= 9 else { return nil }
            if fracDigits < 0 {
                whole = whole &* 10 &+ d
            } else if fracDigits < fractionDigits {
                frac = frac &* 10 &+ d
                fracDigits += 1
            }
        }
        var scale = 1
        for _ in 0..<fractionDigits { scale &*= 10 }
        var fracScale = 1
        for _ in 0..<max(0, fractionDigits - max(0, fracDigits)) { fracScale &*= 10 }
        return whole &* scale &+ frac &* fracScale
    }

    /// Calls `body` with each item of a list like `0.001, 0.002 : 0.003` (nginx separates tries
    /// with `, ` and upstream groups of an internal redirect with ` : `).
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
              let month = monthNumber(b[s + 3], b[s + 4], b[s + 5]) else { return nil }
        let sign: Int = b[s + 21] == 0x2D ? -1 : 1
        let days = daysFromCivil(year: year, month: month, day: day)
        let seconds = days * 86_400 + hh * 3600 + mm * 60 + ss - sign * (zh * 3600 + zm * 60)
        return Int64(seconds) * 1000
    }

    private static func monthNumber(_ a: UInt8, _ b: UInt8, _ c: UInt8) -> Int? {
        switch UInt32(a) << 16 | UInt32(b) << 8 | UInt32(c) {
        case 0x4A616E: return 1    // Jan
        case 0x466562: return 2    // Feb
        case 0x4D6172: return 3    // Mar
        case 0x417072: return 4    // Apr
        case 0x4D6179: return 5    // May
        case 0x4A756E: return 6    // Jun
        case 0x4A756C: return 7    // Jul
        case 0x417567: return 8    // Aug
        case 0x536570: return 9    // Sep
        case 0x4F6374: return 10   // Oct
        case 0x4E6F76: return 11   // Nov
        case 0x446563: return 12   // Dec
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
