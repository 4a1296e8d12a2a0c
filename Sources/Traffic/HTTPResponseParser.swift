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
/// end in CRLF or a bare LF. Each read is parsed in one pass over its bytes; a line split across
/// reads is kept until its end arrives; body bytes are skipped as they come. Any error leaves the
/// parser unusable: close the connection.
struct HTTPResponseParser {
    /// The longest status line plus header section accepted.
    static let maxHeadBytes = 64 * 1024
    /// The longest chunk-size or trailer line accepted (longer ones are `headTooLarge` too).
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

    /// Bytes of an earlier read are kept (a `feed` with no new bytes may still end a response).
    var keepsBytes: Bool { stash != nil }

    /// True between responses (nothing of the next one has been read).
    var isIdle: Bool { state == .statusLine && headBytes == 0 && stash == nil }

    /// Consumes bytes of `input` up to the end of one response and returns it, or consumes all
    /// of `input` and returns nil when no response ends in it. Call again while it returns one:
    /// the rest of `input` (or of the kept bytes) may hold the next.
    mutating func feed(_ input: inout ByteBuffer) throws -> ParsedResponse? {
        if var kept = stash {
            stash = nil
            kept.writeBuffer(&input)
            let response = try step(&kept)
            if kept.readableBytes > 0 { stash = kept }
            return response
        }
        let response = try step(&input)
        if response == nil && input.readableBytes > 0 {  // an unfinished line: keep it
            stash = input.slice()
            input.moveReaderIndex(forwardBy: input.readableBytes)
        }
        return response
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

    /// Parses the readable bytes of `buf` in one pass and consumes what was parsed: up to the end
    /// of a response, or up to the start of an unfinished line, or all.
    private mutating func step(_ buf: inout ByteBuffer) throws -> ParsedResponse? {
        let (consumed, response) = try buf.withUnsafeReadableBytes { raw in try parse(raw) }
        buf.moveReaderIndex(forwardBy: consumed)
        return response
    }

    /// Parses `raw` in one pass, for a caller that keeps its own bytes (the closed loop's read
    /// buffer): returns how many bytes it consumed (up to the end of a response, or up to the
    /// start of an unfinished line, or all) and the response that ended, if one did. The caller
    /// keeps the unconsumed bytes and passes them again, followed by the next ones read.
    mutating func parse(_ raw: UnsafeRawBufferPointer) throws -> (consumed: Int, response: ParsedResponse?) {
        guard let base = raw.baseAddress else { return (0, nil) }
        let count = raw.count
        var at = 0
        while at < count {
            switch state {
            case .fixedBody(let remaining):
                let n = min(remaining, count - at)
                at += n
                if n == remaining { return (at, finish()) }
                state = .fixedBody(remaining - n)
            case .chunkData(let remaining):
                let n = min(remaining, count - at)
                at += n
                state = n == remaining ? .chunkDataEnd : .chunkData(remaining - n)
            case .untilClose:
                at = count
            case .statusLine, .headers, .chunkSize, .chunkDataEnd, .trailers:
                let inHead = state == .statusLine || state == .headers
                let limit = inHead ? Self.maxHeadBytes - headBytes : Self.maxChunkLineBytes
                guard let hit = memchr(base + at, 0x0A, count - at) else {
                    guard count - at < limit else { throw HTTPResponseParseError.headTooLarge }
                    return (at, nil)
                }
                let lf = base.distance(to: UnsafeRawPointer(hit))
                guard lf + 1 - at <= limit else { throw HTTPResponseParseError.headTooLarge }
                let end = lf > at && raw[lf - 1] == 0x0D ? lf - 1 : lf
                let line = UnsafeRawBufferPointer(rebasing: raw[at..<end])
                at = lf + 1
                if let done = try self.line(line) { return (at, done) }
            }
        }
        return (at, nil)
    }

    /// One line (without its line end) in a line state; returns the response if it ends one.
    private mutating func line(_ line: UnsafeRawBufferPointer) throws -> ParsedResponse? {
        switch state {
        case .statusLine:
            if line.isEmpty { return nil }  // stray empty lines between responses are skipped
            headBytes += line.count + 2
            head = try ResponseHead(statusLine: line)
            state = .headers
        case .headers:
            headBytes += line.count + 2
            if !line.isEmpty {
                try head.add(headerLine: line)
                return nil
            }
            switch head.framing {  // the empty line: the head is complete
            case .informational: state = .statusLine
            case .none, .length(0): return finish()
            case .length(let n): state = .fixedBody(n)
            case .chunked: state = .chunkSize
            case .untilClose: state = .untilClose
            }
        case .chunkSize:
            let size = try Self.chunkSize(line)
            state = size == 0 ? .trailers : .chunkData(size)
        case .chunkDataEnd:
            guard line.isEmpty else { throw HTTPResponseParseError.badChunk }
            state = .chunkSize
        case .trailers:
            if line.isEmpty { return finish() }
        case .fixedBody, .chunkData, .untilClose:
            break
        }
        return nil
    }

    private mutating func finish() -> ParsedResponse {
        state = .statusLine
        headBytes = 0
        return head.response(keepAlive: head.keepAlive)
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
