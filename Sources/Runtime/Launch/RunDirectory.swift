import Foundation
import Glibc
import StackRecipes

/// A launch's private run dir under `ProjectPaths.runsRoot`: named, created, filled, pruned.
///
/// Names are `<topology>-<yyyymmdd-hhmmss>-<pid>`; only directories matching that pattern are
/// ever pruned, and never one whose pid is still running (another stacktop may be using it).
public struct RunDirectory: Sendable {
    /// Parent of the run dirs.
    public var root: String
    /// Mode of each new run dir (it must be traversable by nginx's nobody and Apache's www-data).
    public var mode: mode_t
    /// Subdirectories every run dir gets.
    public var subdirectories: [String]
    /// How many run dirs to keep.
    public var keep: Int

    public init(
        root: String = ProjectPaths.runsRoot, mode: mode_t = mode_t(RunDirLayout.runDirMode),
        subdirectories: [String] = RunDirLayout.topLevel, keep: Int = 10
    ) {
        self.root = root
        self.mode = mode
        self.subdirectories = subdirectories
        self.keep = keep
    }

    /// `<topology>-<yyyymmdd-hhmmss>-<pid>` for local time `time`.
    public static func name(topology: String, time: time_t, pid: Int32) -> String {
        var t = time
        var parts = tm()
        localtime_r(&t, &parts)
        func pad(_ v: Int32, _ width: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        let date = pad(parts.tm_year + 1900, 4) + pad(parts.tm_mon + 1, 2) + pad(parts.tm_mday, 2)
        let clock = pad(parts.tm_hour, 2) + pad(parts.tm_min, 2) + pad(parts.tm_sec, 2)
        return "\(safe(topology))-\(date)-\(clock)-\(pid)"
    }

    /// `topology` as a path component every config syntax can carry: ASCII letters, digits and
    /// `._-`, other characters replaced by `_`, starting with a letter or digit, at most
    /// `maxNameLength` long. A topology named after a file like `a;$(x).yaml` (the name
    /// defaults to the file's stem) still gets a run dir, no shell or config metacharacter
    /// reaches a config through its path, and a long name cannot push the stack's unix socket
    /// paths over Linux's 107 bytes.
    public static func safe(_ topology: String) -> String {
        func alnum(_ c: Unicode.Scalar) -> Bool {
            ("a"..."z").contains(c) || ("A"..."Z").contains(c) || ("0"..."9").contains(c)
        }
        var out = String(
            String.UnicodeScalarView(
                topology.unicodeScalars.map { alnum($0) || "._-".unicodeScalars.contains($0) ? $0 : "_" }))
        if out.unicodeScalars.first.map(alnum) != true { out = "t" + out }
        return String(out.prefix(maxNameLength))
    }

    /// The longest topology part of a run dir name: with /tmp/stacktop-runs, the time, a 7-digit
    /// pid and mod_wsgi's `run/wsgi.<pid>.<n>.<n>.sock`, socket paths stay under 108 bytes.
    public static let maxNameLength = 32

    /// The pid and sortable timestamp of a run dir name, or nil if it is not one of ours.
    public static func parse(name: String) -> (stamp: String, pid: Int32)? {
        let parts = name.split(separator: "-")
        guard parts.count >= 4, let pid = Int32(parts[parts.count - 1]), pid > 0 else { return nil }
        let date = parts[parts.count - 3], clock = parts[parts.count - 2]
        guard date.count == 8, clock.count == 6, date.allSatisfy({ $0 >= "0" && $0 <= "9" }),
            clock.allSatisfy({ $0 >= "0" && $0 <= "9" })
        else { return nil }
        let topology = parts[0..<(parts.count - 3)].joined(separator: "-")
        guard let first = topology.first, first.isLetter || first.isNumber,
            topology.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." })
        else { return nil }
        return (String(date + clock), pid)
    }

    /// Creates a fresh run dir for `topology` with `mode` and the subdirectories; returns its path.
    public func create(topology: String, time: time_t = time(nil), pid: Int32 = getpid()) throws -> String {
        try makeDirectory(root, mode: 0o711, existingOK: true)
        let path = root + "/" + RunDirectory.name(topology: topology, time: time, pid: pid)
        try makeDirectory(path, mode: mode, existingOK: false)
        for sub in subdirectories {
            try makeDirectory(path + "/" + sub, mode: mode_t(RunDirLayout.mode(of: sub)), existingOK: true)
        }
        return path
    }

    /// Removes the oldest of our run dirs beyond `keep`, never `current` nor one whose pid is alive.
    /// Returns the removed paths.
    @discardableResult
    public func prune(current: String? = nil, isRunning: (Int32) -> Bool = { kill($0, 0) == 0 || errno == EPERM })
        -> [String]
    {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        let ours = names.compactMap { name -> (name: String, stamp: String)? in
            guard let p = RunDirectory.parse(name: name) else { return nil }
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: root + "/" + name, isDirectory: &isDir), isDir.boolValue
            else { return nil }
            return (name, p.stamp)
        }.sorted { ($0.stamp, $0.name) > ($1.stamp, $1.name) }
        var removed: [String] = []
        for entry in ours.dropFirst(keep) {
            let path = root + "/" + entry.name
            guard path != current, let pid = RunDirectory.parse(name: entry.name)?.pid,
                pid == getpid() || !isRunning(pid)
            else { continue }
            if (try? FileManager.default.removeItem(atPath: path)) != nil { removed.append(path) }
        }
        return removed
    }

    /// Creates the plan's directories and writes its files under `runDir`, with their modes.
    public static func write(_ plan: Plan, into runDir: String) throws {
        for dir in plan.directories {
            try makeDirectory(
                runDir + "/" + dir, mode: mode_t(RunDirLayout.mode(of: dir)), existingOK: true,
                intermediates: true)
        }
        for file in plan.files {
            let path = runDir + "/" + file.path
            let parent = (path as NSString).deletingLastPathComponent
            let relative = String(parent.dropFirst(runDir.count).drop { $0 == "/" })
            try makeDirectory(
                parent, mode: mode_t(RunDirLayout.mode(of: relative)), existingOK: true,
                intermediates: true)
            try writeFile(path, contents: file.contents, mode: mode_t(file.mode))
        }
    }

    /// Writes `contents` to a new file at `path` with exactly `mode`. On any failure (a full
    /// disk among them) the partial file is removed and the error names the system's reason,
    /// e.g. "No space left on device".
    static func writeFile(_ path: String, contents: String, mode: mode_t) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw RunDirError(path: path, reason: String(cString: strerror(errno))) }
        var failure: Int32 = 0
        let bytes = Array(contents.utf8)
        var done = 0
        while done < bytes.count && failure == 0 {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + done, $0.count - done) }
            if n > 0 { done += n } else if n < 0 && errno == EINTR { continue } else { failure = n < 0 ? errno : EIO }
        }
        if failure == 0 && fchmod(fd, mode) != 0 { failure = errno }
        if close(fd) != 0 && failure == 0 && errno != EINTR { failure = errno }
        guard failure == 0 else {
            unlink(path)
            throw RunDirError(path: path, reason: String(cString: strerror(failure)))
        }
    }

    /// Removes `runDir` when it is one of ours made by this process (its name ends in our pid)
    /// and nothing was started in it: what a launch that failed before its first spawn leaves
    /// (a half-written run dir, e.g. on a full disk) would only confuse. Returns whether it did.
    @discardableResult
    public static func discard(_ runDir: String, pid: Int32 = getpid()) -> Bool {
        let name = (runDir as NSString).lastPathComponent
        guard parse(name: name)?.pid == pid else { return false }
        return (try? FileManager.default.removeItem(atPath: runDir)) != nil
    }
}

/// Creates `path` with exactly `mode` (umask does not apply).
func makeDirectory(_ path: String, mode: mode_t, existingOK: Bool, intermediates: Bool = false) throws {
    if intermediates {
        let parent = (path as NSString).deletingLastPathComponent
        if !parent.isEmpty, parent != path, access(parent, F_OK) != 0 {
            try makeDirectory(parent, mode: mode, existingOK: true, intermediates: true)
        }
    }
    if mkdir(path, mode) != 0 {
        let e = errno
        if e == EEXIST && existingOK { return }
        throw RunDirError(path: path, reason: String(cString: strerror(e)))
    }
    guard chmod(path, mode) == 0 else { throw RunDirError(path: path, reason: String(cString: strerror(errno))) }
}

/// A run dir (or a file in it) that could not be created.
public struct RunDirError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var reason: String
    public var description: String { "\(path): \(reason)" }
}
