import Glibc

/// The last lines of a log file, for error messages that quote what a server said before failing.
public enum LogExcerpt {
    /// The last `count` non-empty lines of `path` (reads at most the last 64 KiB); [] if unreadable.
    public static func lines(of path: String, count: Int = 15) -> [String] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return [] }
        defer { close(fd) }
        let size = lseek(fd, 0, SEEK_END)
        guard size > 0 else { return [] }
        let window = min(Int(size), 65536)
        lseek(fd, off_t(Int(size) - window), SEEK_SET)
        var bytes = [UInt8](repeating: 0, count: window)
        var have = 0
        while have < window {
            let n = bytes[have...].withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            have += n
        }
        var lines = String(decoding: bytes[0..<have], as: UTF8.self)
            .split(separator: "\n", omittingEmptySubsequences: true)
            .map { String($0.trimmingCharacters(in: "\r")) }
            .filter { !$0.isEmpty }
        if window < Int(size), !lines.isEmpty { lines.removeFirst() }  // a partial first line
        return Array(lines.suffix(count))
    }

    /// What to quote when a component fails: the tail of its output log, then of each of its
    /// own log files except the access log, each headed by its name; files without lines skipped.
    public static func quote(
        runDir: String, outputLog: String, logFiles: [String], accessLog: String?,
        count: Int = 15
    ) -> [String] {
        var out: [String] = []
        var seen = Set<String>()
        for file in [outputLog] + logFiles where file != accessLog && !seen.contains(file) {
            seen.insert(file)
            let path = file.hasPrefix("/") ? file : runDir + "/" + file
            let all = lines(of: path, count: Int.max)
            guard !all.isEmpty else { continue }
            out.append("==> \(file) <==")
            out += withFirstException(all, count: count)
        }
        return out
    }

    /// The last `count` of `lines`, preceded by the first Python exception in them (and the
    /// two lines above it) when the tail does not reach back to it: gunicorn's master ends its
    /// log with its own HaltServer traceback, long after the worker's ImportError that caused it.
    static func withFirstException(_ lines: [String], count: Int) -> [String] {
        let tailStart = max(0, lines.count - count)
        guard let cause = firstException(lines), cause < tailStart else { return Array(lines[tailStart...]) }
        let context = Array(lines[max(0, cause - 2)...cause])
        let skipped = tailStart - cause - 1
        return context + (skipped > 0 ? ["… (\(skipped) lines)"] : []) + lines[tailStart...]
    }

    /// The index of the first line that ends a Python traceback (`ImportError: …`), also behind
    /// Apache's `[time] [wsgi:error] [pid …]` prefixes; nil when no traceback precedes one.
    static func firstException(_ lines: [String]) -> Int? {
        var sawTraceback = false
        for (index, line) in lines.enumerated() {
            var text = Substring(line)
            while text.hasPrefix("["), let close = text.firstIndex(of: "]") {
                text = text[text.index(after: close)...].drop { $0 == " " }
            }
            if text.hasPrefix("Traceback (most recent call last)") { sawTraceback = true; continue }
            guard sawTraceback, let first = text.first, first.isLetter || first == "_" else { continue }
            let name = text.prefix { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." }
            let rest = text.dropFirst(name.count)
            if rest.isEmpty || rest.hasPrefix(":"),
                ["Error", "Exception", "Exit", "Interrupt"].contains(where: { name.hasSuffix($0) })
            {
                return index
            }
        }
        return nil
    }
}
