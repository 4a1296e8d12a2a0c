import Glibc

/// Lets go of the pages of this process's own executable code that the launch used and watching
/// does not: argument parsing, YAML, recipes, the launcher, the unwinder's tables read once at
/// start. A release build of stacktop is one 100 MB static executable; after a launch, about
/// 14 MB of its code is mapped in, of which watching uses about 6.
///
/// `MADV_DONTNEED` on the executable's read-and-execute mapping removes it from the page tables;
/// the pages stay in the page cache, and code that runs again is mapped back in on its first
/// call (a minor fault). Only mappings that hold no private copy (smaps `Anonymous: 0 kB`: never
/// written, e.g. by a debugger's breakpoint) are released, so nothing but residency can change.
/// `STACKTOP_KEEP_CODE=1` turns it off (benchmarks measure one against the other).
public enum ExecutableCodePages {
    /// One mapping of the executable.
    public struct Mapping: Equatable, Sendable {
        public var start: UInt
        public var end: UInt
        /// `r-xp`, `r--p`, `rw-p`.
        public var permissions: String = "r-xp"
        /// Where in the file it starts.
        public var fileOffset: UInt = 0
        /// Resident kB (smaps `Rss`).
        public var residentKB: Int
        /// Privately copied kB (smaps `Anonymous`): such a mapping is left alone.
        public var anonymousKB: Int
    }

    /// The read-and-execute mappings of `executable` in an smaps text.
    public static func codeMappings(smaps: String, executable: String) -> [Mapping] {
        mappings(smaps: smaps, executable: executable).filter { $0.permissions == "r-xp" }
    }

    /// Every mapping of `executable` in an smaps text.
    public static func mappings(smaps: String, executable: String) -> [Mapping] {
        var out: [Mapping] = []
        var current: Mapping?
        for line in smaps.split(separator: "\n", omittingEmptySubsequences: true) {
            if let first = line.first, first.isHexDigit, line.contains("-") {
                if let c = current { out.append(c) }
                current = nil
                let fields = line.split(separator: " ", maxSplits: 5, omittingEmptySubsequences: true)
                guard fields.count == 6, fields[5].trimmingLeadingSpaces == executable else { continue }
                let range = fields[0].split(separator: "-")
                guard range.count == 2, let start = UInt(range[0], radix: 16), let end = UInt(range[1], radix: 16),
                    let offset = UInt(fields[2], radix: 16)
                else { continue }
                current = Mapping(
                    start: start, end: end, permissions: String(fields[1]), fileOffset: offset, residentKB: 0,
                    anonymousKB: 0)
            } else if current != nil {
                if line.hasPrefix("Rss:") {
                    current?.residentKB = kilobytes(line)
                } else if line.hasPrefix("Anonymous:") {
                    current?.anonymousKB = kilobytes(line)
                }
            }
        }
        if let c = current { out.append(c) }
        return out
    }

    /// Releases this process's unmodified code mappings of its executable, and the pages of its
    /// read-only data that are still the file's (`ExecutableReadOnlyPages`); the kB that were
    /// resident in them, or nil when turned off or nothing could be read.
    @discardableResult
    public static func release() -> Int? {
        if let keep = getenv("STACKTOP_KEEP_CODE"), String(cString: keep) == "1" { return nil }
        guard let executable = ownExecutable(), let smaps = SmallFile.read("/proc/self/smaps", limit: 8 << 20)
        else { return nil }
        let all = mappings(smaps: String(decoding: smaps, as: UTF8.self), executable: executable)
        var released = 0
        for m in all where m.permissions == "r-xp" && m.anonymousKB == 0 {
            guard let base = UnsafeMutableRawPointer(bitPattern: m.start) else { continue }
            if madvise(base, Int(m.end - m.start), MADV_DONTNEED) == 0 { released += m.residentKB }
        }
        released += ExecutableReadOnlyPages.release(mappings: all, executable: executable)
        return released
    }

    /// The executable's path as /proc/self/maps names it (`/proc/self/exe`'s target).
    static func ownExecutable() -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard n > 0 else { return nil }
        return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    private static func kilobytes(_ line: Substring) -> Int {
        Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") ?? 0
    }
}

extension Substring {
    fileprivate var trimmingLeadingSpaces: Substring { drop { $0 == " " } }
}
