import Glibc

/// Reads the machine's processes; tests substitute a `FakeProcessTable`.
public protocol ProcessTable: Sendable {
    /// The pids that exist right now.
    func pids() -> [Int32]
    /// The process's /proc/PID/stat, or nil when it is gone.
    func record(of pid: Int32) -> ProcessRecord?
    /// /proc/PID/cmdline with NULs as spaces ("" for kernel threads and zombies); nil when gone.
    func commandLine(of pid: Int32) -> String?
    /// The real uid, or nil when gone.
    func uid(of pid: Int32) -> UInt32?
    /// /proc/PID/cmdline as arguments (each without the padding a renamed process leaves);
    /// nil when gone.
    func arguments(of pid: Int32) -> [String]?
    /// The newest pid the kernel handed out (to a process or a thread), when the table can tell;
    /// nil makes every scan a full one (see `ScanScope`).
    func lastPid() -> Int32?
    /// The process a pid belongs to (itself for a process, its process for a thread); nil when gone.
    func threadGroup(of pid: Int32) -> Int32?
}

extension ProcessTable {
    /// Tables that cannot tell: every scan reads every process.
    public func lastPid() -> Int32? { nil }

    /// Tables that list processes only.
    public func threadGroup(of pid: Int32) -> Int32? { record(of: pid) == nil ? nil : pid }

    /// The command line split at spaces (tables that keep no NUL-separated original).
    public func arguments(of pid: Int32) -> [String]? {
        commandLine(of: pid).map { $0.split(separator: " ").map(String.init) }
    }

    /// Every process that could be read (a process may vanish between listing and reading).
    public func snapshot() -> [ProcessRecord] {
        pids().compactMap { record(of: $0) }
    }

    /// The live (not zombie) processes whose session id is in `sessions`.
    public func liveMembers(ofSessions sessions: Set<Int32>) -> [ProcessRecord] {
        guard !sessions.isEmpty else { return [] }
        return snapshot().filter { sessions.contains($0.sid) && !$0.isDead }
    }

    /// Whether `pid` exists and is not a zombie; with `startTime`, only if it is that same process.
    public func isAlive(_ pid: Int32, startTime: UInt64? = nil) -> Bool {
        guard let r = record(of: pid), !r.isDead else { return false }
        return startTime == nil || r.startTimeTicks == startTime
    }
}

/// The real process table, read from /proc.
public struct LinuxProcessTable: ProcessTable {
    /// Where procfs is mounted.
    public var procRoot: String

    public init(procRoot: String = "/proc") { self.procRoot = procRoot }

    public func pids() -> [Int32] {
        guard let dir = opendir(procRoot) else { return [] }
        defer { closedir(dir) }
        var result: [Int32] = []
        result.reserveCapacity(512)
        while let entry = readdir(dir) {
            let pid: Int32? = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                var value: Int32 = 0
                var digits = 0
                for byte in raw {
                    if byte == 0 { break }
                    guard byte >= 48, byte <= 57 else { return nil }
                    value = value &* 10 &+ Int32(byte - 48)
                    digits += 1
                }
                return digits > 0 ? value : nil
            }
            if let pid { result.append(pid) }
        }
        return result
    }

    public func record(of pid: Int32) -> ProcessRecord? {
        SmallFile.withContents(of: "\(procRoot)/\(pid)/stat") { ProcessRecord.parse(statBytes: $0) } ?? nil
    }

    public func commandLine(of pid: Int32) -> String? {
        guard var bytes = SmallFile.read("\(procRoot)/\(pid)/cmdline", limit: 16384) else { return nil }
        while bytes.last == 0 { bytes.removeLast() }
        return String(decoding: bytes.map { $0 == 0 ? 32 : $0 }, as: UTF8.self)
    }

    public func arguments(of pid: Int32) -> [String]? {
        guard var bytes = SmallFile.read("\(procRoot)/\(pid)/cmdline", limit: 16384) else { return nil }
        while bytes.last == 0 { bytes.removeLast() }
        guard !bytes.isEmpty else { return [] }
        return bytes.split(separator: 0, omittingEmptySubsequences: false).map { arg in
            var a = arg[...]
            while a.last == 32 { a = a.dropLast() }  // mod_wsgi pads its display name: "(wsgi:app)      "
            return String(decoding: a, as: UTF8.self)
        }
    }

    /// The fifth field of /proc/loadavg: the last pid handed out in this pid namespace.
    public func lastPid() -> Int32? {
        SmallFile.withContents(of: "\(procRoot)/loadavg") { bytes -> Int32? in
            guard let slash = bytes.lastIndex(of: UInt8(ascii: "/")),
                let space = bytes[slash...].firstIndex(of: UInt8(ascii: " "))
            else { return nil }
            var value: Int32 = 0
            var digits = 0
            for byte in bytes[(space + 1)...] {
                guard byte >= 48, byte <= 57 else { break }
                value = value &* 10 &+ Int32(byte - 48)
                digits += 1
            }
            return digits > 0 && digits < 10 ? value : nil
        } ?? nil
    }

    /// The Tgid line of /proc/PID/status (a thread's status names its process).
    public func threadGroup(of pid: Int32) -> Int32? {
        SmallFile.withContents(of: "\(procRoot)/\(pid)/status") { bytes -> Int32? in
            let text = String(decoding: bytes, as: UTF8.self)
            guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("Tgid:") }) else { return nil }
            return Int32(line.dropFirst(5).trimmingPrefix(while: { $0 == " " || $0 == "\t" }))
        } ?? nil
    }

    public func uid(of pid: Int32) -> UInt32? {
        guard let bytes = SmallFile.read("\(procRoot)/\(pid)/status") else { return nil }
        let text = String(decoding: bytes, as: UTF8.self)
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("Uid:") }) else { return nil }
        let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
        return fields.count > 1 ? UInt32(fields[1]) : nil
    }
}

/// Reads small files (procfs entries, pidfiles) with plain syscalls.
enum SmallFile {
    /// Calls `body` with the first 4 KiB of `path` in a stack buffer; nil if it cannot be opened.
    static func withContents<R>(of path: String, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 4096) { buffer -> R? in
            var have = 0
            while have < buffer.count {
                let n = Glibc.read(fd, buffer.baseAddress! + have, buffer.count - have)
                if n < 0 && errno == EINTR { continue }
                if n < 0 { return nil }
                if n == 0 { break }
                have += n
            }
            return body(UnsafeBufferPointer(rebasing: buffer[0..<have]))
        }
    }

    /// The first `limit` bytes of `path`, or nil if it cannot be opened.
    static func read(_ path: String, limit: Int = 65536) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while out.count < limit {
            let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            out.append(contentsOf: buffer[0..<n])
        }
        return out.count > limit ? Array(out[0..<limit]) : out
    }
}
