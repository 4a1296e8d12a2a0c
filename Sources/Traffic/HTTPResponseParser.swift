#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NIOCore

/// Reads HTTP/1.x responses from a byte stream, incrementally and without allocating on the
/// common path, keeping only what the load generator needs: status, `X-Worker-Pid`, keep-alive.
///
/// Framing follows RFC 9112 §6.3 for responses to GET (see `ResponseHead.framing`). Lines may
/// end in CRLF or a bare LF. A line split across reads is kept until its end arrives; body bytes
/// are skipped as they come. Any error leaves the parser unusable: close the connection.
struct HTTPResponseParser {
    /// The longest status line plus header section accepted.
    static let maxHeadBytes = 64 * 1024
    /// The longest chunk-size or trailer line accepted.
    static let maxChunkLineBytes = 4 * 1024

    enum State: Equatable {
        case statusLine, headers, fixedBody(Int), chunkSize, chunkData(Int), chunkDataEnd, trailers, untilClose
    }

    private(set) var state = State.statusLine
    /// The response being read.
    private var head = ResponseHead()
    private var headBytes = 0
    /// An unfinished line, and anything after it, carried over from earlier reads.
    private var stash: ByteBuffer?

    /// True between responses (nothing of the next one has been read).
    var isIdle: Bool { state == .statusLine && headBytes == 0 && stash == nil }

    /// Consumes bytes of `input` up to the end of one response and returns it, or consumes all
    /// of `input` and returns nil when no response ends in it. Call again while it returns one:
    /// the rest of `input` (or of the kept bytes) may hold the next.
    mutating func feed(_ input: inout ByteBuffer) throws -> ParsedResponse? {
        guard var kept = stash else { return try run(&input) }
        stash = nil
        kept.writeBuffer(&input)
        defer { if kept.readableBytes > 0 { stash = kept } }
        return try run(&kept)
    }

    /// The peer closed the connection: ends a response whose body runs to the close; throws
    /// `truncated` when a response was partly read; nil when idle.
    mutating func endOfInput() throws -> ParsedResponse? {
        if state == .untilClose {
            state = .statusLine
            headBytes = 0
            return head.response(keepAlive: false)
        }
        guard isIdle else { throw HTTPResponseParseError.truncated }
        return nil
    }

    private mutating func run(_ buf: inout ByteBuffer) throws -> ParsedResponse? {
        while buf.readableBytes > 0 {
            switch state {
            case .statusLine, .headers:
                guard let line = try nextLine(&buf, limit: Self.maxHeadBytes - headBytes) else { return nil }
                let done = try buf.withUnsafeReadableBytes { raw in
                    try headLine(UnsafeRawBufferPointer(rebasing: raw[..<line.length]))
                }
                buf.moveReaderIndex(forwardBy: line.consumed)
                if let done { return done }
            case .fixedBody(let remaining):
                let n = min(remaining, buf.readableBytes)
                buf.moveReaderIndex(forwardBy: n)
                if n == remaining { return finish() }
                state = .fixedBody(remaining - n)
            case .chunkData(let remaining):
                let n = min(remaining, buf.readableBytes)
                buf.moveReaderIndex(forwardBy: n)
                state = n == remaining ? .chunkDataEnd : .chunkData(remaining - n)
            case .chunkSize:
                guard let line = try nextLine(&buf, limit: Self.maxChunkLineBytes) else { return nil }
                let size = try buf.withUnsafeReadableBytes { raw in
                    try Self.chunkSize(UnsafeRawBufferPointer(rebasing: raw[..<line.length]))
                }
                buf.moveReaderIndex(forwardBy: line.consumed)
                state = size == 0 ? .trailers : .chunkData(size)
            case .chunkDataEnd:
                guard let line = try nextLine(&buf, limit: Self.maxChunkLineBytes) else { return nil }
                guard line.length == 0 else { throw HTTPResponseParseError.badChunk }
                buf.moveReaderIndex(forwardBy: line.consumed)
                state = .chunkSize
            case .trailers:
                guard let line = try nextLine(&buf, limit: Self.maxChunkLineBytes) else { return nil }
                buf.moveReaderIndex(forwardBy: line.consumed)
                if line.length == 0 { return finish() }
            case .untilClose:
                buf.moveReaderIndex(forwardBy: buf.readableBytes)
            }
        }
        return nil
    }

    /// One line of the head (without its line end); returns the response when the head ends one
    /// that has no body.
    private mutating func headLine(_ line: UnsafeRawBufferPointer) throws -> ParsedResponse? {
        if state == .statusLine {
            if line.isEmpty { return nil }   // stray empty lines between responses are skipped
            headBytes += line.count
            head = try ResponseHead(statusLine: line)
            state = .headers
            return nil
        }
        headBytes += line.count
        if !line.isEmpty {
            try head.add(headerLine: line)
            return nil
        }
        switch head.framing {   // the empty line: the head is complete
        case .informational:
            state = .statusLine
            return nil
        case .none, .length(0):
            return finish()
        case .length(let n):
            state = .fixedBody(n)
        case .chunked:
            state = .chunkSize
        case .untilClose:
            state = .untilClose
        }
        return nil
    }

    private mutating func finish() -> ParsedResponse {
        state = .statusLine
        headBytes = 0
        return head.response(keepAlive: head.keepAlive)
    }

    /// Where the next line of `buf` ends: its length without the line end, and with it. Nil
    /// when `buf` has no LF yet: then all of `buf` is consumed and kept for the next read.
    private mutating func nextLine(_ buf: inout ByteBuffer, limit: Int) throws -> (length: Int, consumed: Int)? {
        let found: (length: Int, consumed: Int)? = buf.withUnsafeReadableBytes { raw in
            guard let base = raw.baseAddress, let hit = memchr(base, 0x0A, raw.count) else { return nil }
            let lf = base.distance(to: UnsafeRawPointer(hit))
            let cr = lf > 0 && raw[lf - 1] == 0x0D
            return (cr ? lf - 1 : lf, lf + 1)
        }
        guard let found else {
            guard buf.readableBytes < limit else { throw HTTPResponseParseError.headTooLarge }
            stash = buf.slice()
            buf.moveReaderIndex(forwardBy: buf.readableBytes)
            return nil
        }
        guard found.consumed <= limit else { throw HTTPResponseParseError.headTooLarge }
        return found
    }

    /// The size in a chunk-size line: hex digits, then optionally whitespace and `;extensions`.
    static func chunkSize(_ line: UnsafeRawBufferPointer) throws -> Int {
        var size = 0
        var i = 0
        while i < line.count, let v = hexValue(line[i]) {
            guard size <= (Int.max >> 4) else { throw HTTPResponseParseError.badChunk }
            size = size << 4 | v
            i += 1
        }
        guard i > 0 else { throw HTTPResponseParseError.badChunk }
        while i < line.count, line[i] == 0x20 || line[i] == 0x09 { i += 1 }
        guard i == line.count || line[i] == UInt8(ascii: ";") else { throw HTTPResponseParseError.badChunk }
        return size
    }

    private static func hexValue(_ c: UInt8) -> Int? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): Int(c &- UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): Int(c &- UInt8(ascii: "a")) + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): Int(c &- UInt8(ascii: "A")) + 10
        default: nil
        }
    }
}
