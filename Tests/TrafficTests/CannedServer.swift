import Foundation
#if canImport(Glibc)
    import Glibc
#endif
import TestSupport

/// A loopback server that answers every request with the same canned bytes, written in small
/// pieces (so the client reads them split), then keeps the connection or closes it: for testing
/// the generator's response handling against what nginx never sends. Stopped by the test.
final class CannedServer: @unchecked Sendable {
    let port: Int
    private let listener: Int32
    private let reply: [UInt8]
    private let closeAfterReply: Bool
    private let pieceSize: Int
    private let lock = NSLock()
    private var accepted = 0
    private var open: Set<Int32> = []

    /// Listens on 127.0.0.1:`port` (0: a free port); each request gets `reply` in `pieceSize`-byte
    /// writes (an empty reply: the request is read and never answered).
    init(port: Int = 0, reply: String, closeAfterReply: Bool, pieceSize: Int = 7) throws {
        self.reply = Array(reply.utf8)
        self.closeAfterReply = closeAfterReply
        self.pieceSize = max(1, pieceSize)
        guard let (fd, bound) = Loopback.listener(port: port, backlog: 64, reuseAddress: true) else {
            throw NginxFixture.FixtureError.notReady(port)
        }
        self.port = bound
        listener = fd
        Thread.detachNewThread { [self] in acceptLoop() }
    }

    var url: String { "http://127.0.0.1:\(port)" }

    /// Connections accepted so far.
    var connections: Int { lock.lock(); defer { lock.unlock() }; return accepted }

    /// Connections accepted and not yet closed by the server.
    var openConnections: Int { lock.lock(); defer { lock.unlock() }; return open.count }

    /// Closes the listener and every open connection.
    func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
        lock.lock()
        let fds = open
        open.removeAll()
        lock.unlock()
        for fd in fds { shutdown(fd, Int32(SHUT_RDWR)) }
    }

    private func acceptLoop() {
        while true {
            let fd = accept(listener, nil, nil)
            guard fd >= 0 else { return }
            lock.lock()
            accepted += 1
            open.insert(fd)
            lock.unlock()
            Thread.detachNewThread { [self] in serve(fd) }
        }
    }

    /// Reads requests (up to each empty line) and answers each; closes when told or at EOF.
    private func serve(_ fd: Int32) {
        defer {
            lock.lock()
            open.remove(fd)
            lock.unlock()
            close(fd)
        }
        var pending: [UInt8] = []
        var scanned = 0
        var buf = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = read(fd, &buf, buf.count)
            guard n > 0 else { return }
            pending += buf[0..<n]
            while let end = Self.endOfHead(pending, from: scanned) {
                pending.removeFirst(end)
                scanned = 0
                var at = 0
                while at < reply.count {
                    let piece = Array(reply[at..<min(at + pieceSize, reply.count)])
                    // MSG_NOSIGNAL: a client that already closed is no SIGPIPE for the test process.
                    guard send(fd, piece, piece.count, Int32(MSG_NOSIGNAL)) == piece.count else { return }
                    at += piece.count
                    usleep(200)
                }
                if closeAfterReply { return }
            }
            scanned = max(0, pending.count - 3)  // a long request is scanned once, not once per read
        }
    }

    private static func endOfHead(_ bytes: [UInt8], from start: Int) -> Int? {
        guard bytes.count >= start + 4 else { return nil }
        for i in start...(bytes.count - 4)
        where bytes[i] == 13 && bytes[i + 1] == 10 && bytes[i + 2] == 13 && bytes[i + 3] == 10 {
            return i + 4
        }
        return nil
    }
}
