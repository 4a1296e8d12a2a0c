#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Follows a growing log file: each `poll` reads the bytes appended since the last one and hands
/// out complete lines, keeping a partial last line for later.
///
/// A file that does not exist yet is waited for; a file that shrinks (truncated) is read again
/// from the start; a file replaced under the same path (rotated) is finished, then the new one
/// is followed from its start. Poll-based: `fields(path:every:)` sleeps between polls, never spins.
public final class LogTail {
    /// Where to begin in a file that already has content when first opened.
    public enum Start: Sendable { case beginning, end }

    public let path: String
    private let start: Start
    private var fd: Int32 = -1
    private var inode: ino_t = 0
    private var offset: off_t = 0
    private var opened = false
    private var splitter: LineSplitter
    private var buffer: [UInt8]
    /// Lines that did not parse as access log lines (in `pollFields`).
    public private(set) var rejectedLines = 0

    public init(
        path: String, from start: Start = .beginning, maxLineLength: Int = 64 * 1024,
        readSize: Int = 256 * 1024
    ) {
        self.path = path
        self.start = start
        splitter = LineSplitter(maxLineLength: maxLineLength)
        buffer = [UInt8](repeating: 0, count: max(4096, readSize))
    }

    deinit {
        if fd >= 0 { close(fd) }
    }

    /// Reads what was appended and calls `body` per complete line; returns the bytes read.
    @discardableResult
    public func poll(_ body: (UnsafeBufferPointer<UInt8>) -> Void) -> Int {
        var total = 0
        if fd < 0 && !open() { return 0 }
        total += drain(body)
        // Sizes are looked at after reading: a size taken before would be stale once the file
        // grew during the read, and look like a truncation (everything read twice).
        var st = stat()
        if stat(path, &st) == 0, st.st_ino != inode {
            // Rotated: finish the old file (lines written before the rename), then follow the
            // new one from its start.
            total += drain(body)
            close(fd)
            fd = -1
            splitter.reset()
            if open(rotated: true) { total += drain(body) }
        } else if fstat(fd, &st) == 0, st.st_size < offset {
            offset = 0  // truncated
            splitter.reset()
            total += drain(body)
        }
        return total
    }

    /// Reads what was appended and calls `body` with each parsed access log line.
    @discardableResult
    public func pollFields(_ body: (AccessLogFields) -> Void) -> Int {
        poll { line in
            if let f = AccessLogParser.parse(line) { body(f) } else if !line.isEmpty { rejectedLines += 1 }
        }
    }

    /// Parsed lines of the log at `path`, polled every `interval` until the stream's consumer
    /// stops listening.
    public static func fields(
        path: String, from start: Start = .beginning,
        every interval: Duration = .milliseconds(100)
    ) -> AsyncStream<AccessLogFields> {
        AsyncStream { continuation in
            let task = Task {
                let tail = LogTail(path: path, from: start)
                while !Task.isCancelled {
                    tail.pollFields { continuation.yield($0) }
                    try? await Task.sleep(for: interval)
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    private func open(rotated: Bool = false) -> Bool {
        let f = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        guard f >= 0 else { return false }
        var st = stat()
        guard fstat(f, &st) == 0 else { close(f); return false }
        fd = f
        inode = st.st_ino
        offset = (!opened && !rotated && start == .end) ? st.st_size : 0
        opened = true
        return true
    }

    private func drain(_ body: (UnsafeBufferPointer<UInt8>) -> Void) -> Int {
        var total = 0
        while true {
            let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, offset) }
            guard n > 0 else { break }
            offset += off_t(n)
            total += n
            buffer.withUnsafeBufferPointer { splitter.feed(UnsafeBufferPointer(rebasing: $0[0..<n]), body) }
        }
        return total
    }
}
