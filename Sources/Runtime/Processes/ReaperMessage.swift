import Supervision

/// One line stacktop writes to its reaper: which sessions and processes to kill when stacktop is gone.
///
/// The wire format is text, one message per line: `session SID`, `process PID STARTTIME`,
/// `release SID` (a session stacktop already stopped itself: its id may be reused later),
/// `spawning RUNDIR` (a session leader naming RUNDIR is being forked; its `session` follows).
public enum ReaperMessage: Sendable, Equatable {
    case session(Int32)
    case process(ProcessIdentity)
    case release(Int32)
    /// Sent just before a fork: if stacktop dies before the child's `session` line, the reaper
    /// finds the child by the run dir its command line or environment names.
    case spawning(runDir: String)
    /// A container is being started: at EOF the reaper runs `podman rm -f -t 0` on it (by
    /// `cidfile`, else by `name`) with `config` as CONTAINERS_CONF. Paths have no spaces.
    case container(cidfile: String, name: String, config: String)
    /// A pod is being created: at EOF the reaper runs `podman pod rm -f -t 0` on it (by
    /// `idFile`, else by `name`), which removes its containers too. Paths have no spaces.
    case pod(idFile: String, name: String, config: String)

    /// The line for this message, newline included.
    public var line: String {
        switch self {
        case let .session(sid): return "session \(sid)\n"
        case let .process(p): return "process \(p.pid) \(p.startTime)\n"
        case let .release(sid): return "release \(sid)\n"
        case let .spawning(runDir): return "spawning \(runDir)\n"
        case let .container(cidfile, name, config): return "container \(cidfile) \(name) \(config)\n"
        case let .pod(idFile, name, config): return "pod \(idFile) \(name) \(config)\n"
        }
    }

    /// Parses one line (without its newline); nil for anything malformed.
    public static func parse(_ line: Substring) -> ReaperMessage? {
        if line.hasPrefix("spawning /") {
            let runDir = line.dropFirst("spawning ".count)
            return runDir.count > 1 && !runDir.contains("\0") ? .spawning(runDir: String(runDir)) : nil
        }
        let f = line.split(separator: " ")
        switch (f.first, f.count) {
        case ("session", 2): return Int32(f[1]).flatMap { $0 > 1 ? .session($0) : nil }
        case ("release", 2): return Int32(f[1]).flatMap { $0 > 1 ? .release($0) : nil }
        case ("container", 4):
            guard f[1].hasPrefix("/"), f[3].hasPrefix("/"), !f[2].isEmpty else { return nil }
            return .container(cidfile: String(f[1]), name: String(f[2]), config: String(f[3]))
        case ("pod", 4):
            guard f[1].hasPrefix("/"), f[3].hasPrefix("/"), !f[2].isEmpty else { return nil }
            return .pod(idFile: String(f[1]), name: String(f[2]), config: String(f[3]))
        case ("process", 3):
            guard let pid = Int32(f[1]), pid > 1, let start = UInt64(f[2]) else { return nil }
            return .process(ProcessIdentity(pid: pid, startTime: start))
        default: return nil
        }
    }
}

/// What the reaper must kill at EOF: the messages received so far, folded.
public struct ReaperTargets: Sendable, Equatable {
    public var sessions: Set<Int32> = []
    public var processes: [ProcessIdentity] = []
    /// The run dir of a fork whose `session` line never came (stacktop died in between).
    public var unrecordedSpawn: String?
    /// Containers and pods to remove (id file, name, containers.conf), in the order they were started.
    public var containers: [ContainerTarget] = []

    public init() {}

    /// Applies one message.
    public mutating func apply(_ message: ReaperMessage) {
        switch message {
        case let .spawning(runDir): unrecordedSpawn = runDir
        case let .session(sid):
            sessions.insert(sid)
            unrecordedSpawn = nil
        case let .process(p): if !processes.contains(p) { processes.append(p) }
        case let .container(cidfile, name, config):
            let target = ContainerTarget(cidfile: cidfile, name: name, config: config)
            if !containers.contains(target) { containers.append(target) }
        case let .pod(idFile, name, config):
            let target = ContainerTarget(cidfile: idFile, name: name, config: config, isPod: true)
            if !containers.contains(target) { containers.append(target) }
        case let .release(sid):
            sessions.remove(sid)
            processes.removeAll { $0.pid == sid }
        }
    }

    /// Applies every complete line of `buffer` and leaves the unfinished tail in it.
    public mutating func consume(_ buffer: inout [UInt8]) {
        while let newline = buffer.firstIndex(of: 10) {
            let line = String(decoding: buffer[..<newline], as: UTF8.self)
            buffer.removeSubrange(...newline)
            if let message = ReaperMessage.parse(Substring(line)) { apply(message) }
        }
    }
}

/// A container (or pod) the reaper removes.
public struct ContainerTarget: Sendable, Equatable {
    /// The container's cidfile, or the pod's id file.
    public var cidfile: String
    public var name: String
    public var config: String
    /// A pod (`podman pod rm`, its containers with it), not a container.
    public var isPod: Bool

    public init(cidfile: String, name: String, config: String, isPod: Bool = false) {
        self.cidfile = cidfile
        self.name = name
        self.config = config
        self.isPod = isPod
    }
}
