#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Splits a byte stream that arrives in chunks into lines, carrying a partial last line over to
/// the next chunk.
///
/// Whole lines inside a chunk are handed out as views of the chunk itself (no copy); only a line
/// split across chunks is copied, into the carry buffer. A trailing `\r` is dropped.
public struct LineSplitter: Sendable {
    private var carry: [UInt8] = []
    /// Longest line kept; longer lines are cut there (the rest up to the newline is dropped).
    public let maxLineLength: Int
    /// Bytes of a partial line waiting for its newline.
    public var pendingBytes: Int { carry.count }

    public init(maxLineLength: Int = 64 * 1024) {
        self.maxLineLength = maxLineLength
    }

    /// Feeds a chunk and calls `body` once per complete line (without its newline).
    public mutating func feed(_ chunk: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        guard let base = chunk.baseAddress, chunk.count > 0 else { return }
        var start = 0
        while start < chunk.count {
            guard let hit = memchr(base + start, 0x0A, chunk.count - start) else { break }
            let end = UnsafePointer(hit.assumingMemoryBound(to: UInt8.self)) - base
            if carry.isEmpty {
                emit(UnsafeBufferPointer(start: base + start, count: end - start), body)
            } else {
                append(UnsafeBufferPointer(start: base + start, count: end - start))
                let line = carry
                carry.removeAll(keepingCapacity: true)
                line.withUnsafeBufferPointer { emit($0, body) }
            }
            start = end + 1
        }
        if start < chunk.count {
            append(UnsafeBufferPointer(start: base + start, count: chunk.count - start))
        }
    }

    /// Feeds bytes held in an array (tests and small inputs).
    public mutating func feed(_ bytes: [UInt8], _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        bytes.withUnsafeBufferPointer { feed($0, body) }
    }

    /// Drops the partial line (after the file was truncated or replaced).
    public mutating func reset() {
        carry.removeAll(keepingCapacity: true)
    }

    private mutating func append(_ part: UnsafeBufferPointer<UInt8>) {
        let room = maxLineLength - carry.count
        if room > 0 { carry.append(contentsOf: part.prefix(room)) }
    }

    private func emit(_ line: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        var count = min(line.count, maxLineLength)
        if count > 0, line[count - 1] == 0x0D { count -= 1 }
        body(UnsafeBufferPointer(rebasing: line[0..<count]))
    }
}
