#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Parses stacktop's `key=value` access log lines into `AccessLogFields`, byte by byte.
///
/// One parser reads every format of `StackRecipes.AccessLogFormat` (nginx, Apache, lighttpd,
/// gunicorn, uWSGI): the keys say what each value is. Values are bare (up to a space), quoted
/// (`"…"`, with `\` escaping the next byte), bracketed (`[…]`, gunicorn's time) or angled
/// (`<…>`, gunicorn's pid). Unknown keys are skipped. No allocation, no regex, no `String`.
///
/// Speed (benchmarks/logparse.sh): the keys are told apart by their length and one or two
/// word loads (`LogKey`), keys and values are scanned eight bytes at a time for their delimiter
/// (most of a line's bytes are the quoted address and request, which nothing reads), and only
/// the values of known keys are read digit by digit.
public enum AccessLogParser {
    /// Parses one line (without its newline). Nil when the line has no numeric `status`.
    public static func parse(_ line: UnsafeBufferPointer<UInt8>) -> AccessLogFields? {
        guard let p = line.baseAddress else { return nil }
        var fields = AccessLogFields(status: -1)
        var i = 0
        let n = line.count
        while i < n {
            while i < n && p[i] == 0x20 { i += 1 }  // spaces between pairs
            let keyStart = i
            i = firstOf(0x3D, 0x20, p, from: i, to: n)  // up to '='
            guard i < n, p[i] == 0x3D else { break }
            let key = LogKey(p, keyStart, i - keyStart)
            i += 1
            let value: Range<Int>
            if i < n, let close = closer(of: p[i]) {
                let start = i + 1
                let end =
                    close == 0x22 ? closingQuote(p, from: start, to: n) : firstOf(close, close, p, from: start, to: n)
                value = start..<end
                i = end + 1
            } else {
                let start = i
                i = firstOf(0x20, 0x20, p, from: i, to: n)
                value = start..<i
            }
            if case .other = key { continue }
            store(key: key, value: value, in: line, into: &fields)
        }
        return fields.status >= 0 ? fields : nil
    }

    /// Parses a line given as text (tests and tools; the hot path uses the buffer form).
    public static func parse(_ line: String) -> AccessLogFields? {
        var copy = line
        return copy.withUTF8 { parse($0) }
    }

    /// Parses a Common or Combined Log Format line (`HOST - USER [TIME] "REQUEST" STATUS BYTES …`),
    /// the default of nginx, Apache, lighttpd and gunicorn: what a deploy stacktop attached to
    /// writes. Only the status and the time are read. Nil when the line has no such shape.
    public static func parseCommon(_ line: UnsafeBufferPointer<UInt8>) -> AccessLogFields? {
        let n = line.count
        // The bracketed time: [ ]
        guard let open = line.firstIndex(of: 0x5B), let close = line[open...].firstIndex(of: 0x5D) else { return nil }
        var i = close + 1
        while i < n && line[i] == 0x20 { i += 1 }
        guard i < n, line[i] == 0x22 else { return nil }  // "REQUEST"
        i += 1
        while i < n && line[i] != 0x22 { i += line[i] == 0x5C ? 2 : 1 }
        i += 1
        while i < n && line[i] == 0x20 { i += 1 }
        let start = i
        while i < n && line[i] >= 0x30 && line[i] <= 0x39 { i += 1 }
        guard i - start == 3, let status = LogNumber.integer(line, start..<i) else { return nil }
        return AccessLogFields(status: status, timeMillis: LogNumber.commonLogTimeMillis(line, (open + 1)..<close))
    }

    /// `parseCommon` for a line given as text.
    public static func parseCommon(_ line: String) -> AccessLogFields? {
        var copy = line
        return copy.withUTF8 { parseCommon($0) }
    }

    @inline(__always)
    private static func closer(of byte: UInt8) -> UInt8? {
        switch byte {
        case 0x22: return 0x22  // "…"
        case 0x5B: return 0x5D  // […]
        case 0x3C: return 0x3E  // <…>
        default: return nil
        }
    }

    /// The index of the first `a` or `b` in `p[from..<to]`, or `to`: sixteen bytes at a time
    /// while sixteen remain (two word tests whose nearest hit is picked without a branch, so
    /// keys and short values, which end within the first sixteen, cost one predictable branch),
    /// then eight, then byte by byte.
    @inline(__always)
    private static func firstOf(_ a: UInt8, _ b: UInt8, _ p: UnsafePointer<UInt8>, from: Int, to: Int) -> Int {
        var i = from
        while i &+ 16 <= to {
            let lo = hits(a, b, UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self))
            let hi = hits(a, b, UnsafeRawPointer(p + i).loadUnaligned(fromByteOffset: 8, as: UInt64.self))
            let k = lo != 0 ? lo.trailingZeroBitCount &>> 3 : 8 &+ hi.trailingZeroBitCount &>> 3  // 16: none
            if k < 16 { return i &+ k }
            i &+= 16
        }
        while i &+ 8 <= to {
            let h = hits(a, b, UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self))
            if h != 0 { return i &+ h.trailingZeroBitCount &>> 3 }
            i &+= 8
        }
        while i < to && p[i] != a && p[i] != b { i &+= 1 }
        return i
    }

    /// The high bit of each byte of `w` that equals `a` or `b` (the zero-byte test; bytes above
    /// the lowest hit may be flagged wrongly, the lowest is exact).
    @inline(__always)
    private static func hits(_ a: UInt8, _ b: UInt8, _ w: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let x = w ^ (ones &* UInt64(a)), y = w ^ (ones &* UInt64(b))
        return ((x &- ones) & ~x | (y &- ones) & ~y) & 0x8080_8080_8080_8080
    }

    /// The index of the `"` that closes a quoted value starting at `from` (or `to`): the first
    /// quote not escaped, i.e. not preceded by an odd run of backslashes (`\` escapes the next byte).
    @inline(__always)
    private static func closingQuote(_ p: UnsafePointer<UInt8>, from: Int, to: Int) -> Int {
        var at = from
        while true {
            let q = firstOf(0x22, 0x22, p, from: at, to: to)
            if q == to { return to }
            var backslashes = 0
            while q - backslashes - 1 >= from && p[q - backslashes - 1] == 0x5C { backslashes += 1 }
            if backslashes & 1 == 0 { return q }
            at = q + 1
        }
    }

    @inline(__always)
    private static func store(
        key: LogKey, value: Range<Int>, in b: UnsafeBufferPointer<UInt8>,
        into f: inout AccessLogFields
    ) {
        switch key {
        case .status:
            if let s = LogNumber.integer(b, value) { f.status = s }
        case .requestTime:
            f.totalMicros = LogNumber.micros(b, value)
        case .requestTimeMicros:
            f.totalMicros = LogNumber.integer(b, value)
        case .upstreamTime:
            var sum = 0
            var any = false
            LogNumber.forEachListItem(b, value) { item in
                if let t = LogNumber.micros(b, item) { sum += t; any = true }
            }
            f.upstreamMicros = any ? sum : nil
        case .upstreamStatus:
            var attempts = 0
            var last: Int?
            LogNumber.forEachListItem(b, value) { item in
                attempts += 1
                last = LogNumber.integer(b, item)
            }
            f.upstreamAttempts = last == nil && attempts == 1 ? 0 : attempts
            f.upstreamStatus = last
        case .workerPid:
            f.pid = LogNumber.integer(b, value).map { Int32(truncatingIfNeeded: $0) }
        case .serverPid:
            f.serverPid = LogNumber.integer(b, value).map { Int32(truncatingIfNeeded: $0) }
        case .msec:
            f.timeMillis = LogNumber.millis(b, value)
        case .epochMillis:
            f.timeMillis = LogNumber.integer(b, value).map(Int64.init)
        case .time:
            f.timeMillis = LogNumber.commonLogTimeMillis(b, value)
        case .other:
            break
        }
    }
}
