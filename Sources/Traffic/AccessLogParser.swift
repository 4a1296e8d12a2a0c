/// Parses stacktop's `key=value` access log lines into `AccessLogFields`, byte by byte.
///
/// One parser reads every format of `StackRecipes.AccessLogFormat` (nginx, Apache, lighttpd,
/// gunicorn, uWSGI): the keys say what each value is. Values are bare (up to a space), quoted
/// (`"…"`, with `\` escaping the next byte), bracketed (`[…]`, gunicorn's time) or angled
/// (`<…>`, gunicorn's pid). Unknown keys are skipped. No allocation, no regex, no `String`.
public enum AccessLogParser {
    /// Parses one line (without its newline). Nil when the line has no numeric `status`.
    public static func parse(_ line: UnsafeBufferPointer<UInt8>) -> AccessLogFields? {
        var fields = AccessLogFields(status: -1)
        var i = 0
        let n = line.count
        while i < n {
            while i < n && line[i] == 0x20 { i += 1 }                 // spaces between pairs
            let keyStart = i
            while i < n && line[i] != 0x3D && line[i] != 0x20 { i += 1 }  // up to '='
            guard i < n, line[i] == 0x3D else { break }
            let key = keyStart..<i
            i += 1
            var value = i..<i
            if i < n, let close = closer(of: line[i]) {
                let start = i + 1
                i = start
                while i < n && line[i] != close {
                    i += (line[i] == 0x5C && close == 0x22) ? 2 : 1     // backslash escape in "…"
                }
                value = start..<min(i, n)
                i += 1
            } else {
                while i < n && line[i] != 0x20 { i += 1 }
                value = value.lowerBound..<i
            }
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
        guard let open = line.firstIndex(of: 0x5B), let close = line[open...].firstIndex(of: 0x5D) else { return nil } // [ ]
        var i = close + 1
        while i < n && line[i] == 0x20 { i += 1 }
        guard i < n, line[i] == 0x22 else { return nil }                          // "REQUEST"
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

    private static func closer(of byte: UInt8) -> UInt8? {
        switch byte {
        case 0x22: return 0x22   // "…"
        case 0x5B: return 0x5D   // […]
        case 0x3C: return 0x3E   // <…>
        default: return nil
        }
    }

    private static func store(key: Range<Int>, value: Range<Int>, in b: UnsafeBufferPointer<UInt8>,
                              into f: inout AccessLogFields) {
        let k = LogKey(b, key)
        switch k {
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
