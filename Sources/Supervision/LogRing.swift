/// Keeps the last `capacity` lines of one log stream, fed with chunks that may split lines.
///
/// Bytes are split on "\n" (a trailing "\r" is dropped) and decoded as UTF-8 once a line is
/// complete, so a character split across chunks survives. A line longer than `maxLineBytes` is
/// cut there (at a character boundary) and continued as the next line.
public struct LogRing: Sendable, Equatable {
    public let capacity: Int
    public let maxLineBytes: Int
    private var storage: [String] = []
    /// Where the next line goes once `storage` is full.
    private var head = 0
    private var pending: [UInt8] = []
    /// Complete lines ever appended, kept or not.
    public private(set) var totalLines = 0

    public init(capacity: Int = 200, maxLineBytes: Int = 4_096) {
        self.capacity = max(1, capacity)
        self.maxLineBytes = max(4, maxLineBytes)
    }

    /// Appends a chunk of bytes as read from a file or pipe.
    public mutating func append(_ bytes: [UInt8]) {
        var start = 0
        for (i, byte) in bytes.enumerated() where byte == 0x0A {
            absorb(bytes[start..<i])
            finishLine()
            start = i + 1
        }
        absorb(bytes[start...])
    }

    /// Appends a chunk of text.
    public mutating func append(_ text: String) {
        append(Array(text.utf8))
    }

    /// Ends the pending partial line, if any (the stream ended without a final newline).
    public mutating func flush() {
        if !pending.isEmpty { finishLine() }
    }

    /// The kept lines, oldest first (without the partial line).
    public var lines: [String] {
        storage.count < capacity ? storage : Array(storage[head...] + storage[..<head])
    }

    /// The text after the last newline, not yet a line; nil when there is none.
    public var partialLine: String? {
        pending.isEmpty ? nil : String(decoding: pending, as: UTF8.self)
    }

    /// The last `count` lines, oldest first; with `includingPartial`, the partial line counts as the last.
    public func tail(_ count: Int, includingPartial: Bool = false) -> [String] {
        var all = lines
        if includingPartial, let partialLine { all.append(partialLine) }
        return Array(all.suffix(max(0, count)))
    }

    /// Lines pushed out of the ring so far.
    public var droppedLines: Int { totalLines - storage.count }

    /// Adds bytes of the current line, cutting it into lines of at most `maxLineBytes`.
    private mutating func absorb(_ bytes: ArraySlice<UInt8>) {
        pending += bytes
        while pending.count > maxLineBytes {
            var cut = maxLineBytes
            // Back off over UTF-8 continuation bytes (10xxxxxx) so no character is split.
            while cut > 0 && pending[cut] & 0xC0 == 0x80 { cut -= 1 }
            if cut == 0 { cut = maxLineBytes }
            let rest = Array(pending[cut...])
            pending = Array(pending[..<cut])
            finishLine()
            pending = rest
        }
    }

    private mutating func finishLine() {
        if pending.last == 0x0D { pending.removeLast() }
        let line = String(decoding: pending, as: UTF8.self)
        pending.removeAll(keepingCapacity: true)
        totalLines += 1
        if storage.count < capacity {
            storage.append(line)
        } else {
            storage[head] = line
            head = (head + 1) % capacity
        }
    }
}
