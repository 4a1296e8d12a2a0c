#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import Supervision

/// The facts of one HTTP/1.x response head that decide its framing and what the load generator
/// reports, read from raw status and header lines (names compared without regard to case).
struct ResponseHead {
    var status = 0
    var minorVersion = 1
    var workerPid: Int32?
    /// `X-App-Version` (the demo app's version number), when present and numeric.
    var appVersion: Int32?
    var contentLength: Int?
    /// A `Transfer-Encoding` header came.
    var transferEncoded = false
    /// The last transfer coding is `chunked`.
    var chunked = false
    var connectionClose = false
    var connectionKeepAlive = false

    /// How the body of a response is delimited (RFC 9112 §6.3).
    enum Framing: Equatable {
        /// 1xx: no body, and the final response follows.
        case informational
        /// 204 or 304: no body.
        case none
        case length(Int)
        case chunked
        /// Until the server closes the connection.
        case untilClose
    }

    init() {}

    /// Reads `HTTP/1.x NNN[ reason]`; 101 is refused (the generator never asks to switch).
    init(statusLine line: UnsafeRawBufferPointer) throws {
        guard line.count >= 12, line[0] == UInt8(ascii: "H"), line[1] == UInt8(ascii: "T"),
            line[2] == UInt8(ascii: "T"),
            line[3] == UInt8(ascii: "P"), line[4] == UInt8(ascii: "/"), line[6] == UInt8(ascii: "."),
            Self.isDigit(line[5]), Self.isDigit(line[7]), line[8] == 0x20,
            line.count == 12 || line[12] == 0x20,
            Self.isDigit(line[9]), Self.isDigit(line[10]), Self.isDigit(line[11]), line[9] != UInt8(ascii: "0")
        else { throw HTTPResponseParseError.badStatusLine }
        guard line[5] == UInt8(ascii: "1") else { throw HTTPResponseParseError.unsupportedVersion }
        minorVersion = Int(line[7] &- UInt8(ascii: "0"))
        status = Int(line[9] &- 48) * 100 + Int(line[10] &- 48) * 10 + Int(line[11] &- 48)
        if status == 101 { throw HTTPResponseParseError.unexpectedSwitch }
    }

    /// Reads one `Name: value` line, keeping the headers that matter.
    mutating func add(headerLine line: UnsafeRawBufferPointer) throws {
        guard let base = line.baseAddress, let hit = memchr(base, Int32(UInt8(ascii: ":")), line.count) else {
            throw HTTPResponseParseError.badHeader
        }
        let colon = base.distance(to: UnsafeRawPointer(hit))
        // Names are checked for what makes a line ambiguous (empty, whitespace, controls, non-ASCII);
        // the four names read are compared exactly, so a delimiter in another one changes nothing.
        guard colon > 0, Self.isVisibleASCII(UnsafeRawBufferPointer(rebasing: line[..<colon])) else {
            throw HTTPResponseParseError.badHeader
        }
        var start = colon + 1
        var end = line.count
        if Self.hasControlByte(UnsafeRawBufferPointer(rebasing: line[start..<end])) {
            throw HTTPResponseParseError.badHeader
        }
        while start < end, line[start] == 0x20 || line[start] == 0x09 { start += 1 }
        while end > start, line[end - 1] == 0x20 || line[end - 1] == 0x09 { end -= 1 }
        let name = UnsafeRawBufferPointer(rebasing: line[..<colon])
        let value = UnsafeRawBufferPointer(rebasing: line[start..<end])
        switch name.count {
        case 14 where Self.equalsIgnoringCase(name, "content-length"):
            guard let n = Self.decimal(value, maxDigits: 18), contentLength == nil || contentLength == n
            else { throw HTTPResponseParseError.badContentLength }
            contentLength = n
        case 17 where Self.equalsIgnoringCase(name, "transfer-encoding"):
            var last: UnsafeRawBufferPointer?
            Self.forEachToken(value) { last = $0 }
            guard let last else { throw HTTPResponseParseError.badTransferEncoding }
            transferEncoded = true
            chunked = Self.equalsIgnoringCase(last, "chunked")
        case 10 where Self.equalsIgnoringCase(name, "connection"):
            Self.forEachToken(value) { token in
                if Self.equalsIgnoringCase(token, "close") { connectionClose = true }
                if Self.equalsIgnoringCase(token, "keep-alive") { connectionKeepAlive = true }
            }
        case 12 where Self.equalsIgnoringCase(name, "x-worker-pid"):
            if workerPid == nil, let n = Self.decimal(value, maxDigits: 10), n <= Int(Int32.max) {
                workerPid = Int32(n)
            }
        case 13 where Self.equalsIgnoringCase(name, "x-app-version"):
            if appVersion == nil, let n = Self.decimal(value, maxDigits: 9) { appVersion = Int32(n) }
        default:
            break
        }
    }

    /// How the body is delimited. A transfer coding wins over a length; any coding but a final
    /// `chunked`, or no length at all, runs until the close.
    var framing: Framing {
        switch status {
        case 100..<200: return .informational
        case 204, 304: return .none
        default: break
        }
        if transferEncoded { return chunked ? .chunked : .untilClose }
        if let contentLength { return .length(contentLength) }
        return .untilClose
    }

    /// Whether the connection may carry the next request: HTTP/1.1 unless `Connection: close`,
    /// HTTP/1.0 only with `Connection: keep-alive`; never after a body delimited by the close,
    /// nor after a message with both a transfer coding and a length (RFC 9112 §6.3, item 3).
    var keepAlive: Bool {
        if framing == .untilClose || (transferEncoded && contentLength != nil) { return false }
        if connectionClose { return false }
        return minorVersion >= 1 || connectionKeepAlive
    }

    func response(keepAlive: Bool) -> ParsedResponse {
        ParsedResponse(status: status, workerPid: workerPid, keepAlive: keepAlive, appVersion: appVersion)
    }

    // MARK: bytes

    static func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }

    /// Whether every byte of `bytes` is visible ASCII (0x21...0x7E), eight bytes at a time.
    static func isVisibleASCII(_ bytes: UnsafeRawBufferPointer) -> Bool {
        // A byte below 0x21 borrows into its high bit; a byte above 0x7E has it set after +1.
        !anyWord(of: bytes, filler: 0x61) { w in ((w &- ones &* 0x21) & ~w | (w &+ ones) | w) & highs != 0 }
    }

    /// Whether `bytes` holds a control byte other than HTAB, or DEL, eight bytes at a time (a
    /// value with a HTAB is then looked at byte by byte).
    static func hasControlByte(_ bytes: UnsafeRawBufferPointer) -> Bool {
        let suspect = anyWord(of: bytes, filler: 0x61) { w in
            let del = w ^ (ones &* 0x7F)
            return ((w &- ones &* 0x20) & ~w | (del &- ones) & ~del) & highs != 0
        }
        guard suspect else { return false }
        for c in bytes where (c < 0x20 && c != 0x09) || c == 0x7F { return true }
        return false
    }

    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let highs: UInt64 = 0x8080_8080_8080_8080

    /// Whether `test` holds for any 8-byte word of `bytes`: words from the start, the last one
    /// overlapping its neighbour, or for fewer than 8 bytes one word padded with `filler`.
    @inline(__always)
    private static func anyWord(of bytes: UnsafeRawBufferPointer, filler: UInt8, _ test: (UInt64) -> Bool) -> Bool {
        let n = bytes.count
        guard n >= 8 else {
            var w = ones &* UInt64(filler)
            if let base = bytes.baseAddress, n > 0 {
                withUnsafeMutableBytes(of: &w) { $0.baseAddress!.copyMemory(from: base, byteCount: n) }
            }
            return test(w)
        }
        var i = 0
        while i + 8 < n {
            if test(bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self)) { return true }
            i += 8
        }
        return test(bytes.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self))
    }

    /// `bytes` equals the lowercase ASCII `lower`, ignoring the case of letters in `bytes`.
    static func equalsIgnoringCase(_ bytes: UnsafeRawBufferPointer, _ lower: StaticString) -> Bool {
        guard bytes.count == lower.utf8CodeUnitCount else { return false }
        let l = lower.utf8Start
        for i in 0..<bytes.count {
            var c = bytes[i]
            if c >= 0x41 && c <= 0x5A { c |= 0x20 }
            if c != l[i] { return false }
        }
        return true
    }

    /// A non-empty run of at most `maxDigits` decimal digits, and nothing else.
    static func decimal(_ bytes: UnsafeRawBufferPointer, maxDigits: Int) -> Int? {
        guard !bytes.isEmpty, bytes.count <= maxDigits else { return nil }
        var n = 0
        for c in bytes {
            guard isDigit(c) else { return nil }
            n = n * 10 + Int(c &- 0x30)
        }
        return n
    }

    /// Calls `body` with each non-empty comma-separated element of `list`, trimmed of whitespace.
    static func forEachToken(_ list: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) -> Void) {
        var start = 0
        while start <= list.count {
            var end = start
            while end < list.count && list[end] != UInt8(ascii: ",") { end += 1 }
            var a = start, b = end
            while a < b, list[a] == 0x20 || list[a] == 0x09 { a += 1 }
            while b > a, list[b - 1] == 0x20 || list[b - 1] == 0x09 { b -= 1 }
            if b > a { body(UnsafeRawBufferPointer(rebasing: list[a..<b])) }
            start = end + 1
        }
    }
}

/// One complete response as the load generator counts it.
struct ParsedResponse: Equatable {
    var status: Int
    var workerPid: Int32?
    /// The connection may carry the next request.
    var keepAlive: Bool
    /// `X-App-Version`, when the app sent one.
    var appVersion: Int32? = nil
}

/// Why bytes from a server are not a valid HTTP/1.x response.
enum HTTPResponseParseError: Error, Equatable, CaseIterable {
    case badStatusLine, unsupportedVersion, unexpectedSwitch, badHeader, badContentLength
    case badTransferEncoding, badChunk, headTooLarge
    /// The connection closed in the middle of a response.
    case truncated

    /// How a request that met this error is counted: cut short is `reset`, malformed is `other`.
    var kind: LoadErrorKind { self == .truncated ? .reset : .other }
}
