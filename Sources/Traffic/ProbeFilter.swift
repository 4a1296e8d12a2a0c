/// Tells stacktop's own probe requests (`/health` every 2 s, `/__stacktop/…`) apart from traffic
/// in an access log line, by the path in its `request="METHOD TARGET PROTO"` field.
///
/// Every format of `StackRecipes.AccessLogFormat` logs that field. A path matches when it equals
/// one of `paths` or starts with one of `prefixes`; the query (`?…`) is not part of the path.
/// Works on the raw bytes of the line, without allocating.
public struct ProbeFilter: Sendable, Equatable {
    public let paths: [String]
    public let prefixes: [String]
    private let pathBytes: [[UInt8]]
    private let prefixBytes: [[UInt8]]

    /// stacktop's private prefix (nginx `stub_status` lives under it).
    public static let privatePrefix = "/__stacktop/"

    /// A filter for `paths` (exact) and `prefixes`; by default the private prefix only.
    public init(paths: [String] = [], prefixes: [String] = [ProbeFilter.privatePrefix]) {
        self.paths = paths
        self.prefixes = prefixes
        pathBytes = paths.map { Array($0.utf8) }
        prefixBytes = prefixes.map { Array($0.utf8) }
    }

    /// Whether the line's request path is a probe's. A line without a request field is not.
    public func matches(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let path = Self.requestPath(line) else { return false }
        for p in pathBytes where p.count == path.count && Self.equal(line, path, p) { return true }
        for p in prefixBytes
        where p.count <= path.count && Self.equal(line, path.lowerBound..<(path.lowerBound + p.count), p) {
            return true
        }
        return false
    }

    /// Whether a line given as text matches (tests and tools).
    public func matches(_ line: String) -> Bool {
        var copy = line
        return copy.withUTF8 { matches($0) }
    }

    /// The byte range of the path (the request target up to `?`) in the line's `request` field.
    public static func requestPath(_ b: UnsafeBufferPointer<UInt8>) -> Range<Int>? {
        let key: StaticString = "request=\""
        let k = key.utf8CodeUnitCount
        let keyBytes = key.utf8Start
        var i = 0
        let n = b.count
        while i + k <= n {
            // A key starts the line or follows a space.
            if (i == 0 || b[i - 1] == 0x20) && b[i] == keyBytes[0] {
                var j = 1
                while j < k && b[i + j] == keyBytes[j] { j += 1 }
                if j == k { return target(b, from: i + k) }
            }
            i += 1
        }
        return nil
    }

    /// Skips the method, returns the target's path up to `?`, a space or the closing quote.
    private static func target(_ b: UnsafeBufferPointer<UInt8>, from start: Int) -> Range<Int>? {
        var i = start
        let n = b.count
        while i < n && b[i] != 0x20 && b[i] != 0x22 { i += 1 }  // METHOD
        guard i < n, b[i] == 0x20 else { return nil }
        i += 1
        let pathStart = i
        while i < n && b[i] != 0x20 && b[i] != 0x22 && b[i] != 0x3F { i += 1 }
        return i > pathStart ? pathStart..<i : nil
    }

    private static func equal(_ b: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, _ p: [UInt8]) -> Bool {
        var j = 0
        for i in range {
            if b[i] != p[j] { return false }
            j += 1
        }
        return true
    }
}
