import Glibc

/// The last lines of a log file, for error messages that quote what a server said before failing.
public enum LogTail {
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
        if window < Int(size), !lines.isEmpty { lines.removeFirst() } // a partial first line
        return Array(lines.suffix(count))
    }

    /// What to quote when a component fails: the tail of its output log, then of each of its
    /// own log files except the access log, each headed by its name; files without lines skipped.
    public static func quote(runDir: String, outputLog: String, logFiles: [String], accessLog: String?,
                             count: Int = 15) -> [String] {
        var out: [String] = []
        var seen = Set<String>()
        for file in [outputLog] + logFiles where file != accessLog && !seen.contains(file) {
            seen.insert(file)
            let path = file.hasPrefix("/") ? file : runDir + "/" + file
            let tail = lines(of: path, count: count)
            guard !tail.isEmpty else { continue }
            out.append("==> \(file) <==")
            out += tail
        }
        return out
    }
}
