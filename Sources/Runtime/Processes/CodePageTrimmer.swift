import Glibc

/// When a long-running stacktop process (the dashboard, `up`) lets go of its code pages
/// (`ExecutableCodePages.release`): a few seconds after something ran code that watching does
/// not (a launch, a load switch, an operation, a drill: `requestSoon`), and whenever its
/// file-backed resident memory has grown by `growthKB` over the level it settled at after the
/// last release (a crash it reported, a config view, any path no request named).
///
/// Pure: the caller passes the time and the file-backed RSS in, and releases when `tick` says so.
public struct CodePageTrimmer: Sendable {
    /// How long after a request the release comes.
    public var delayMs = 3000
    /// How long after a release the file-backed RSS is taken as the settled level.
    public var settleMs = 10_000
    /// Growth over the settled level that calls for another release.
    public var growthKB = 1024
    private var dueMs: Int?
    private var releasedMs: Int?
    private var settledKB: Int?

    public init() {}

    /// Something just ran code watching will not run again: release in `delayMs` (a later
    /// request before then moves it back).
    public mutating func requestSoon(nowMs: Int) { dueMs = nowMs + delayMs }

    /// Whether to release now, given the time and the process's file-backed RSS (kB).
    public mutating func tick(nowMs: Int, fileKB: Int) -> Bool {
        if let due = dueMs, nowMs >= due {
            released(at: nowMs)
            return true
        }
        guard let at = releasedMs else { return false }
        guard let settled = settledKB else {
            if nowMs - at >= settleMs { settledKB = fileKB }
            return false
        }
        guard dueMs == nil, fileKB > settled + growthKB else { return false }
        released(at: nowMs)
        return true
    }

    private mutating func released(at nowMs: Int) {
        dueMs = nil
        releasedMs = nowMs
        settledKB = nil
    }

    /// This process's file-backed resident memory in kB (/proc/self/status `RssFile`).
    public static func ownFileKB() -> Int? {
        SmallFile.withContents(of: "/proc/self/status") { bytes -> Int? in
            let text = String(decoding: bytes, as: UTF8.self)
            guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("RssFile:") }) else { return nil }
            return Int(line.split(whereSeparator: { $0 == " " || $0 == "\t" }).dropFirst().first ?? "")
        }
            ?? nil
    }
}
