import Glibc
import StackRecipes
import Supervision

/// Follows a stack's log files (each component's output log and its own log files, access logs
/// apart) and feeds what they gain into a `ComponentLogs`, so the dashboard's log pane shows
/// their last lines.
///
/// Each file is read once per poll even when several components list it; a file that shrank
/// (truncated) is read again from its start; a burst larger than `maxChunk` skips to its end.
final class LogFollower {
    private struct Followed {
        let path: String
        let components: [String]
        var fd: Int32 = -1
        var offset: Int64 = 0
    }

    private var files: [Followed]
    /// The most read from one file per poll; a larger gain keeps only its last `maxChunk` bytes.
    let maxChunk: Int

    /// Follows `files` (absolute paths), each feeding the components listed with it.
    init(files byComponent: [(component: String, path: String)], maxChunk: Int = 64 * 1024) {
        var order: [String] = []
        var owners: [String: [String]] = [:]
        for (component, path) in byComponent {
            if owners[path] == nil { order.append(path) }
            if owners[path, default: []].contains(component) == false { owners[path, default: []].append(component) }
        }
        files = order.map { Followed(path: $0, components: owners[$0] ?? []) }
        self.maxChunk = maxChunk
    }

    /// The files of every component of `stack` (see `files(of:runDir:)`).
    convenience init(stack: RunningStack) {
        self.init(files: LogFollower.files(of: stack.plan, runDir: stack.runDir))
    }

    /// What the log pane follows for each component: its output (stdout/stderr) and its own
    /// log files, but not its access log. `FlowMonitor` reads every access log already and
    /// shows its requests as flow figures; following it here too would read each file twice
    /// and, under load, flood the pane with one line per request, pushing out the errors the
    /// pane is for. An access log that is also the output log stays (it is the output).
    static func files(of plan: Plan, runDir: String) -> [(component: String, path: String)] {
        var list: [(component: String, path: String)] = []
        for spec in plan.processes {
            for file in [spec.outputLog] + spec.logFiles where !file.isEmpty {
                if file == spec.accessLog && file != spec.outputLog { continue }
                list.append((spec.component, file.hasPrefix("/") ? file : runDir + "/" + file))
            }
        }
        return list
    }

    /// What every file gained since the last poll, as chunks for each component listing it.
    func poll() -> [(component: String, bytes: [UInt8])] {
        var chunks: [(component: String, bytes: [UInt8])] = []
        for i in files.indices {
            guard let chunk = read(&files[i]), !chunk.isEmpty else { continue }
            for component in files[i].components { chunks.append((component, chunk)) }
        }
        return chunks
    }

    /// Reads what every file gained since the last poll into `logs`.
    func poll(into logs: inout ComponentLogs) {
        for (component, bytes) in poll() { logs.append(bytes, to: component) }
    }

    private func read(_ f: inout Followed) -> [UInt8]? {
        if f.fd < 0 {
            f.fd = open(f.path, O_RDONLY | O_CLOEXEC)
            guard f.fd >= 0 else { return nil }
        }
        var st = stat()
        guard fstat(f.fd, &st) == 0 else { return nil }
        let size = Int64(st.st_size)
        if size < f.offset { f.offset = 0 }  // truncated: start again
        guard size > f.offset else { return nil }
        if size - f.offset > Int64(maxChunk) { f.offset = size - Int64(maxChunk) }
        var bytes = [UInt8](repeating: 0, count: Int(size - f.offset))
        var have = 0
        while have < bytes.count {
            let n = bytes[have...].withUnsafeMutableBytes {
                pread(f.fd, $0.baseAddress, $0.count, off_t(f.offset) + off_t(have))
            }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            have += n
        }
        f.offset += Int64(have)
        return Array(bytes[0..<have])
    }

    deinit {
        for f in files where f.fd >= 0 { close(f.fd) }
    }
}
