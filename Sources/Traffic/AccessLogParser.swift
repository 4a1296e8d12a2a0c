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
            while i < n && p[i] == 0x20 { i += 1 }                     // spaces between pairs
            let keyStart = i
            i = firstOf(0x3D, 0x20, p, from: i, to: n)                 // up to '='
            guard i < n, p[i] == 0x3D else { break }
            let key = LogKey(p, keyStart, i - keyStart)
            i += 1
            let value: Range<Int>
            if i < n, let close = closer(of: p[i]) {
                let start = i + 1
                let end = close == 0x22 ? closingQuote(p, from: start, to: n) : firstOf(close, close, p, from: start, to: n)
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

    @inline(__always)
    private static func closer(of byte: UInt8) -> UInt8? {
        switch byte {
        case 0x22: return 0x22   // "…"
        case 0x5B: return 0x5D   // […]
        case 0x3C: return 0x3E   // <…>
        default: return nil
        }
    }

    /// The index of the first `a` or `b` in `p[from..<to]`, or `to`; eight bytes at a time (the
    /// zero-byte test: the lowest flagged byte is exact) while eight remain, then byte by byte.
    @inline(__always)
    private static func firstOf(_ a: UInt8, _ b: UInt8, _ p: UnsafePointer<UInt8>, from: Int, to: Int) -> Int {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let aa = ones &* UInt64(a), bb = ones &* UInt64(b)
        var i = from
        while i &+ 8 <= to {
            let w = UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self)
            let x = w ^ aa, y = w ^ bb
            let hits = ((x &- ones) & ~x | (y &- ones) & ~y) & highs
            if hits != 0 { return i &+ hits.trailingZeroBitCount >> 3 }
            i &+= 8
        }
        while i < to && p[i] != a && p[i] != b { i &+= 1 }
        return i
    }

    /// The index of the `"` that closes a quoted value starting at `from` (or `to`): the first
    /// quote not escaped, i.e. not preceded by an odd run of backslashes (`\` escapes the next byte).
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

    private static func store(key: LogKey, value: Range<Int>, in b: UnsafeBufferPointer<UInt8>,
                              into f: inout AccessLogFields) {
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
