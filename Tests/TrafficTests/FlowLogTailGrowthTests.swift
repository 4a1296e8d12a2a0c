import Foundation
import XCTest
import Traffic
#if canImport(Glibc)
    import Glibc
#endif

/// `LogTail` on a file that grows while it is polled (a server logging 200 requests a second):
/// every line is read exactly once.
final class FlowLogTailGrowthTests: XCTestCase {
    func testAFileGrowingDuringPollsIsReadOnce() throws {
        let path = NSTemporaryDirectory() + "stacktop-growth-\(getpid()).log"
        unlink(path)
        defer { unlink(path) }
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        XCTAssertGreaterThanOrEqual(fd, 0)
        let total = 20_000
        let writer = Thread {
            for i in 0..<total {
                let line = Array("status=200 request=\"GET /\(i) HTTP/1.1\"\n".utf8)
                _ = line.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
                if i % 50 == 0 { usleep(100) }
            }
            close(fd)
        }
        let tail = LogTail(path: path)
        var seen = 0
        var last = -1
        var inOrder = true
        writer.start()
        let deadline = Date().addingTimeInterval(20)
        while seen < total && Date() < deadline {
            tail.poll { line in
                seen += 1
                let text = String(decoding: line, as: UTF8.self)
                let parts = text.split(separator: "/")  // `…GET `, `N HTTP`, `1.1"`
                let n = parts.count == 3 ? Int(parts[1].prefix { $0 != " " }) ?? -2 : -2
                if n != last + 1 { inOrder = false }
                last = n
            }
        }
        Thread.sleep(forTimeInterval: 0.05)
        tail.poll { _ in seen += 1 }
        XCTAssertEqual(seen, total)
        XCTAssertTrue(inOrder, "a line was read twice or skipped")
    }
}
