import NIOCore
import XCTest
@testable import Traffic

/// The lean HTTP/1.x response parser: framing, keep-alive, headers without regard to case,
/// malformed input, each fed whole, split at every byte boundary and one byte at a time.
final class HTTPResponseParserTests: XCTestCase {
    typealias R = ParsedResponse

    static let nginx =
        "HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\nDate: Thu, 26 Nov 2026 03:00:00 GMT\r\n"
        + "Content-Type: text/html\r\nContent-Length: 5\r\nConnection: keep-alive\r\nETag: \"x\"\r\n\r\nhello"

    /// Input, the responses it holds, and what the end of input then gives (nil: idle).
    static let complete: [(name: String, input: String, responses: [R], atEnd: R?)] = [
        ("nginx static", nginx, [R(status: 200, workerPid: nil, keepAlive: true)], nil),
        ("two pipelined", nginx + nginx, [R(status: 200, keepAlive: true), R(status: 200, keepAlive: true)], nil),
        (
            "names in any case",
            "HTTP/1.1 503 Busy\r\ncontent-LENGTH: 3\r\nX-WORKER-PID: 4242\r\nCONNECTION: Close\r\n\r\nabc",
            [R(status: 503, workerPid: 4242, keepAlive: false)], nil
        ),
        (
            "worker pid trimmed, first wins",
            "HTTP/1.1 200 OK\r\nx-worker-pid: \t 77 \r\nX-Worker-Pid: 88\r\nContent-Length: 0\r\n\r\n",
            [R(status: 200, workerPid: 77, keepAlive: true)], nil
        ),
        (
            "app version beside the worker pid",
            "HTTP/1.1 200 OK\r\nX-App-Version: 7\r\nX-Worker-Pid: 5\r\nContent-Length: 0\r\n\r\n",
            [R(status: 200, workerPid: 5, keepAlive: true, appVersion: 7)], nil
        ),
        (
            "app version not numeric", "HTTP/1.1 200 OK\r\nx-app-version: 2.0\r\nContent-Length: 0\r\n\r\n",
            [R(status: 200, workerPid: nil, keepAlive: true)], nil
        ),
        (
            "worker pid not numeric", "HTTP/1.1 200 OK\r\nX-Worker-Pid: abc\r\nContent-Length: 0\r\n\r\n",
            [R(status: 200, workerPid: nil, keepAlive: true)], nil
        ),
        (
            "worker pid beyond Int32", "HTTP/1.1 200 OK\r\nX-Worker-Pid: 4294967296\r\nContent-Length: 0\r\n\r\n",
            [R(status: 200, workerPid: nil, keepAlive: true)], nil
        ),
        (
            "chunked, extensions, trailers",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5;name=value\r\nhello\r\nA \r\n0123456789\r\n0\r\nX-Trailer: 1\r\n\r\n" + nginx,
            [R(status: 200, keepAlive: true), R(status: 200, keepAlive: true)], nil
        ),
        (
            "chunked in any case, last coding",
            "HTTP/1.1 200 OK\r\ntransfer-encoding: gzip, CHUNKED\r\n\r\n1f\r\n"
                + String(repeating: "z", count: 31) + "\r\n0\r\n\r\n", [R(status: 200, keepAlive: true)], nil
        ),
        (
            "chunked not last: until close", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\n\r\nbody",
            [], R(status: 200, keepAlive: false)
        ),
        (
            "coding and length: coding wins, then close",
            "HTTP/1.1 200 OK\r\nContent-Length: 99\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n",
            [R(status: 200, keepAlive: false)], nil
        ),
        (
            "no length, close: body until close",
            "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nall of this is body\r\n\r\nHTTP/1.1 200",
            [], R(status: 200, keepAlive: false)
        ),
        (
            "no length, no close: still until close", "HTTP/1.1 500 Oops\r\n\r\nbody", [],
            R(status: 500, keepAlive: false)
        ),
        (
            "204 ignores a length", "HTTP/1.1 204 No Content\r\nContent-Length: 10\r\n\r\n" + nginx,
            [R(status: 204, keepAlive: true), R(status: 200, keepAlive: true)], nil
        ),
        (
            "304 has no body", "HTTP/1.1 304 Not Modified\r\nETag: \"x\"\r\n\r\n" + nginx,
            [R(status: 304, keepAlive: true), R(status: 200, keepAlive: true)], nil
        ),
        (
            "100 and 103 are skipped",
            "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\n" + nginx,
            [R(status: 200, keepAlive: true)], nil
        ),
        (
            "HTTP/1.0 closes by default", "HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok",
            [R(status: 200, keepAlive: false)], nil
        ),
        (
            "HTTP/1.0 keep-alive", "HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 2\r\n\r\nok",
            [R(status: 200, keepAlive: true)], nil
        ),
        (
            "connection token list", "HTTP/1.1 200 OK\r\nConnection: upgrade ,close\r\nContent-Length: 0\r\n\r\n",
            [R(status: 200, keepAlive: false)], nil
        ),
        (
            "bare LF line ends", "HTTP/1.1 404 Not Found\nContent-Length: 4\n\nnope", [R(status: 404, keepAlive: true)],
            nil
        ),
        ("no reason phrase", "HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n", [R(status: 200, keepAlive: true)], nil),
        ("stray empty lines before a response", "\r\n\r\n" + nginx, [R(status: 200, keepAlive: true)], nil),
        (
            "repeated equal lengths", "HTTP/1.1 200 OK\r\nContent-Length: 2\r\ncontent-length: 2\r\n\r\nok",
            [R(status: 200, keepAlive: true)], nil
        ),
    ]

    /// Input that is not a response, and the error it must give (fed whole or in any pieces).
    static let malformed: [(name: String, input: String, error: HTTPResponseParseError)] = [
        ("not HTTP", "SSH-2.0-OpenSSH_9.2\r\n", .badStatusLine),
        ("four-digit status", "HTTP/1.1 2000 OK\r\n", .badStatusLine),
        ("status below 100", "HTTP/1.1 099 Low\r\n", .badStatusLine),
        ("lowercase protocol", "http/1.1 200 OK\r\n", .badStatusLine),
        ("no space after status", "HTTP/1.1 200OK\r\n", .badStatusLine),
        ("HTTP/2 text", "HTTP/2.0 200 OK\r\n", .unsupportedVersion),
        ("101 never asked for", "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n", .unexpectedSwitch),
        ("header without colon", "HTTP/1.1 200 OK\r\nServer nginx\r\n\r\n", .badHeader),
        ("space before colon", "HTTP/1.1 200 OK\r\nContent-Length : 2\r\n\r\nok", .badHeader),
        ("empty name", "HTTP/1.1 200 OK\r\n: x\r\n\r\n", .badHeader),
        ("non-ASCII name", "HTTP/1.1 200 OK\r\nX-Ä: 1\r\n\r\n", .badHeader),
        ("control in name", "HTTP/1.1 200 OK\r\nX\u{7F}Y: 1\r\n\r\n", .badHeader),
        ("folded line", "HTTP/1.1 200 OK\r\nX-A: 1\r\n  2\r\n\r\n", .badHeader),
        ("control byte in value", "HTTP/1.1 200 OK\r\nX-A: a\u{01}b\r\n\r\n", .badHeader),
        ("bare CR in value", "HTTP/1.1 200 OK\r\nX-A: a\rb\r\n\r\n", .badHeader),
        ("length not a number", "HTTP/1.1 200 OK\r\nContent-Length: 1x\r\n\r\n", .badContentLength),
        ("negative length", "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", .badContentLength),
        ("empty length", "HTTP/1.1 200 OK\r\nContent-Length:\r\n\r\n", .badContentLength),
        ("conflicting lengths", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n", .badContentLength),
        ("length list", "HTTP/1.1 200 OK\r\nContent-Length: 5, 5\r\n\r\n", .badContentLength),
        ("huge length", "HTTP/1.1 200 OK\r\nContent-Length: 1234567890123456789\r\n\r\n", .badContentLength),
        ("empty coding", "HTTP/1.1 200 OK\r\nTransfer-Encoding: ,\r\n\r\n", .badTransferEncoding),
        ("chunk size not hex", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", .badChunk),
        (
            "chunk size overflow",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + String(repeating: "f", count: 17) + "\r\n",
            .badChunk
        ),
        ("chunk size then junk", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5 x\r\nhello\r\n", .badChunk),
        (
            "chunk longer than its size", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n0\r\n\r\n",
            .badChunk
        ),
        (
            "head too large", "HTTP/1.1 200 OK\r\nX-Big: " + String(repeating: "b", count: 70_000) + "\r\n\r\n",
            .headTooLarge
        ),
        (
            "line without end too large", "HTTP/1.1 200 OK\r\nX-Big: " + String(repeating: "b", count: 70_000),
            .headTooLarge
        ),
    ]

    /// Feeds `pieces` in order, then the end of input; returns the responses or the error.
    static func parse(_ pieces: [ByteBuffer]) -> (responses: [R], atEnd: R?, error: HTTPResponseParseError?) {
        var parser = HTTPResponseParser()
        var out: [R] = []
        do {
            for var piece in pieces {
                while let r = try parser.feed(&piece) { out.append(r) }
                XCTAssertEqual(piece.readableBytes, 0, "feed consumes every byte it is given")
            }
            return (out, try parser.endOfInput(), nil)
        } catch {
            return (out, nil, error as? HTTPResponseParseError)
        }
    }

    static func splits(_ text: String) -> [(String, [ByteBuffer])] {
        let bytes = Array(text.utf8)
        var cases: [(String, [ByteBuffer])] = [("whole", [ByteBuffer(bytes: bytes)])]
        if bytes.count < 2_000 {
            for cut in 1..<max(1, bytes.count) {
                cases.append(("cut at \(cut)", [ByteBuffer(bytes: bytes[..<cut]), ByteBuffer(bytes: bytes[cut...])]))
            }
            cases.append(("byte by byte", bytes.map { ByteBuffer(bytes: [$0]) }))
        } else {
            cases.append(
                (
                    "4 KiB pieces",
                    stride(from: 0, to: bytes.count, by: 4096).map {
                        ByteBuffer(bytes: bytes[$0..<min($0 + 4096, bytes.count)])
                    }
                ))
        }
        return cases
    }

    func testCompleteResponsesAtEveryBoundary() {
        for c in Self.complete {
            for (how, pieces) in Self.splits(c.input) {
                let got = Self.parse(pieces)
                XCTAssertNil(got.error, "\(c.name), \(how)")
                XCTAssertEqual(got.responses, c.responses, "\(c.name), \(how)")
                XCTAssertEqual(got.atEnd, c.atEnd, "\(c.name), \(how)")
            }
        }
    }

    func testMalformedInputAtEveryBoundary() {
        for c in Self.malformed {
            for (how, pieces) in Self.splits(c.input) {
                let got = Self.parse(pieces)
                XCTAssertEqual(got.error, c.error, "\(c.name), \(how)")
                XCTAssertEqual(got.responses, [], "\(c.name), \(how)")
            }
        }
    }

    /// A connection that closes in the middle of a response, at every byte of it, is `truncated`
    /// (counted as `reset`); after a whole response it is idle.
    func testCloseMidResponseIsTruncated() {
        let chunked = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"
        for text in [Self.nginx, chunked] {
            let bytes = Array(text.utf8)
            for cut in 1..<bytes.count {
                let got = Self.parse([ByteBuffer(bytes: bytes[..<cut])])
                XCTAssertEqual(got.error, .truncated, "cut at \(cut)")
            }
            XCTAssertNil(Self.parse([ByteBuffer(bytes: bytes)]).error)
        }
        XCTAssertEqual(HTTPResponseParseError.truncated.kind, .reset)
        for e in HTTPResponseParseError.allCases where e != .truncated {
            XCTAssertEqual(e.kind, .other, "\(e)")
        }
    }

    /// A large body in many reads is skipped without keeping it.
    func testLargeBodyAcrossReads() {
        let body = String(repeating: "x", count: 1_000_000)
        let text = "HTTP/1.1 200 OK\r\nContent-Length: \(body.utf8.count)\r\n\r\n" + body + Self.nginx
        let got = Self.parse(Self.splits(text).last!.1)
        XCTAssertEqual(got.responses, [R(status: 200, keepAlive: true), R(status: 200, keepAlive: true)])
        XCTAssertNil(got.error)
    }

    /// The word-at-a-time scans (control bytes in values, visible ASCII in names) agree with a byte
    /// loop at every position and length.
    func testControlByteScanAgreesWithBytes() {
        for length in 0..<20 {
            for position in 0..<max(1, length) {
                for bad: UInt8 in [0x00, 0x01, 0x0A, 0x0D, 0x1F, 0x7F, 0x09, 0x20, 0x7E, 0x80, 0xFF] {
                    var bytes = [UInt8](repeating: UInt8(ascii: "v"), count: length)
                    if length > 0 { bytes[position] = bad }
                    let expected = length > 0 && ((bad < 0x20 && bad != 0x09) || bad == 0x7F)
                    let got = bytes.withUnsafeBytes { ResponseHead.hasControlByte($0) }
                    XCTAssertEqual(got, expected, "length \(length), 0x\(String(bad, radix: 16)) at \(position)")
                    let visible = length == 0 || (bad > 0x20 && bad < 0x7F)
                    XCTAssertEqual(
                        bytes.withUnsafeBytes { ResponseHead.isVisibleASCII($0) }, visible,
                        "visible: length \(length), 0x\(String(bad, radix: 16)) at \(position)")
                }
            }
        }
    }

    func testEncodedRequestBytes() {
        let requests = EncodedRequests(paths: ["/", "/slow?ms=50", "/a b\u{7F}é"], authority: "127.0.0.1:19250")
        let texts = (0..<requests.count).map { String(buffer: requests[$0]) }
        let tail = " HTTP/1.1\r\nHost: 127.0.0.1:19250\r\nUser-Agent: stacktop\r\n\r\n"
        XCTAssertEqual(texts, ["GET /" + tail, "GET /slow?ms=50" + tail, "GET /a%20b%7F%C3%A9" + tail])
    }
}
