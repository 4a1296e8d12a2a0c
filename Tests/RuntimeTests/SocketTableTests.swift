import XCTest
import Glibc
@testable import Runtime
import TestSupport

/// /proc/net/tcp parsing and naming the process that holds a busy port.
final class SocketTableTests: XCTestCase {
    func testParsesProcNetTCP() {
        let text = """
              sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
               0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 53211 1 0000000000000000 100 0 0 10 0
               1: 0100007F:D431 0100007F:1F90 01 00000000:00000000 00:00000000 00000000  1000        0 53999 1 0000000000000000 20 4 30 10 -1
               2: 00000000000000000000000001000000:0050 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000    33        0 777 1 0000000000000000 100 0 0 10 0
            """
        let entries = SocketTable.parse(text)
        XCTAssertEqual(entries.count, 3)
        XCTAssertEqual(entries[0], SocketTable.Entry(localPort: 8080, state: 0x0A, uid: 0, inode: 53211))
        XCTAssertTrue(entries[0].isListening)
        XCTAssertEqual(entries[1].localPort, 0xD431)
        XCTAssertFalse(entries[1].isListening)
        XCTAssertEqual(entries[1].uid, 1000)
        XCTAssertEqual(entries[2].localPort, 80)
        XCTAssertEqual(entries[2].inode, 777)
        // With a port, only the lines whose local address carries it (the remote 1F90 of line 1
        // passes the text check; callers filter on localPort, as `listeners` does).
        XCTAssertEqual(SocketTable.parse(text, port: 8080).map(\.inode), [53211, 53999])
        XCTAssertEqual(SocketTable.parse(text, port: 80).map(\.inode), [777])
        XCTAssertEqual(SocketTable.parse(text, port: 0xD431).map(\.inode), [53999])
        XCTAssertEqual(SocketTable.parse(text, port: 81), [])
    }

    func testBusyPortNamesThisProcessAsHolder() throws {
        let port = try PortAllocator().freePort()
        let fd = try XCTUnwrap(listeningSocket(port: port))
        defer { close(fd) }
        XCTAssertThrowsError(try PortAllocator().checkFree(host: "127.0.0.1", port: port)) { error in
            guard let e = error as? PortError else { return XCTFail("\(error)") }
            XCTAssertEqual(e.port, port)
            XCTAssertEqual(e.holders.map(\.pid), [getpid()])
            XCTAssertTrue(e.description.contains("pid \(getpid())"), e.description)
        }
    }

    func testFreePortIsBindableAndAvoidsGivenPorts() throws {
        let allocator = PortAllocator()
        let first = try allocator.freePort()
        XCTAssertGreaterThan(first, 0)
        XCTAssertNoThrow(try allocator.checkFree(host: "127.0.0.1", port: first))
        let second = try allocator.freePort(avoiding: [first])
        XCTAssertNotEqual(first, second)
        XCTAssertThrowsError(try allocator.checkFree(host: "127.0.0.999", port: first))
    }

    /// A socket listening on 127.0.0.1:`port`.
    private func listeningSocket(port: Int) -> Int32? {
        Loopback.listener(port: port)?.fd
    }
}
