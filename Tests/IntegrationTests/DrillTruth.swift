import Foundation
import Glibc
import Runtime

/// Independent sources the drill tests hold reports against: the kernel (/proc) and the front
/// server's own access log.
enum DrillTruth {
    /// Wall-clock seconds now (access logs stamp lines with it).
    static var wallSeconds: Double {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    /// ppid of a live process (nil when gone or a zombie).
    static func liveParent(of pid: Int32) -> Int32? {
        guard let r = LinuxProcessTable().record(of: pid), !r.isDead else { return nil }
        return r.ppid
    }

    static func isGone(_ pid: Int32) -> Bool { liveParent(of: pid) == nil }

    /// Counts of the front door's access-log lines by status, for lines stamped up to `untilWall`
    /// (seconds), leaving out the demo app's deliberate `/error` and the probe paths.
    /// nginx and Apache both write `msec=SECONDS.MILLIS status=NNN … request="GET PATH HTTP/1.1"`.
    static func frontStatuses(log path: String, untilWall: Double) -> [Int: Int] {
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        var counts: [Int: Int] = [:]
        for line in text.split(separator: "\n") {
            guard let msec = field(line, "msec=").flatMap(Double.init), msec <= untilWall,
                let status = field(line, "status=").flatMap(Int.init)
            else { continue }
            let request = line.range(of: "request=\"").map { line[$0.upperBound...] } ?? ""
            let path = request.split(separator: " ").dropFirst().first ?? ""
            if path.hasPrefix("/error") || path.hasPrefix("/health") || path.hasPrefix("/__stacktop") { continue }
            counts[status, default: 0] += 1
        }
        return counts
    }

    /// The value after `key` up to the next space.
    private static func field(_ line: Substring, _ key: String) -> String? {
        guard let r = line.range(of: key) else { return nil }
        return String(line[r.upperBound...].prefix { $0 != " " })
    }

    /// 5xx lines of a status count.
    static func serverErrors(_ counts: [Int: Int]) -> Int {
        counts.filter { $0.key >= 500 }.values.reduce(0, +)
    }
}
