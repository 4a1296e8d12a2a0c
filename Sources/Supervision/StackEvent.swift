import StackRecipes

/// Something that happened to a running stack, as `up --json` streams it and the dashboard shows it.
/// Events are named in the past tense; `tMs` is milliseconds since launch on a monotonic clock.
public struct StackEvent: Sendable, Equatable {
    public var tMs: Int
    public var kind: Kind
    public var component: String?
    public var role: ProcessRole?
    public var pid: Int32?

    public init(tMs: Int, _ kind: Kind, component: String? = nil, role: ProcessRole? = nil, pid: Int32? = nil) {
        self.tMs = tMs
        self.kind = kind
        self.component = component
        self.role = role
        self.pid = pid
    }

    /// The type-specific part of an event.
    public enum Kind: Sendable, Equatable {
        /// First event of a launch.
        case stack(topology: String, runDir: String, url: String)
        /// A component is being started (`argv` as spawned; empty when another component starts it).
        case starting(argv: [String])
        /// A component passed its readiness check after `afterMs` ms.
        case ready(afterMs: Int)
        /// A process of the stack appeared.
        case spawned(ppid: Int32?)
        /// A process of the stack exited: killed by `signal`, or exited with `status`.
        case exited(signal: Int32?, status: Int32?)
        /// A worker slot (or a supervised component) got a new process `gapMs` after the old one died.
        case replaced(oldPid: Int32, newPid: Int32, gapMs: Int)
        /// A slot died too often: `exits` times within `windowMs` (supervisor's FATAL).
        case crashLooping(exits: Int, windowMs: Int)
        /// A process whose parent died keeps running (nginx/Apache children after a master SIGKILL).
        case orphaned
        /// A master or front server died and nothing restarted it.
        case down
        /// A hop started or stopped answering.
        case health(hop: String, answering: Bool, detail: String)
        /// stacktop injected a fault (`action` like "SIGKILL").
        case fault(action: String, detail: String)
        /// The stack stopped; `clean` is false when something had to be SIGKILLed.
        case stopped(clean: Bool, detail: String)
        /// Something went wrong; `message` says what, `logTail` quotes the failing server's log.
        case error(message: String, logTail: [String])
    }

    /// The JSON `type` field.
    public var typeName: String {
        switch kind {
        case .stack: return "stack"
        case .starting: return "starting"
        case .ready: return "ready"
        case .spawned: return "spawned"
        case .exited: return "exited"
        case .replaced: return "replaced"
        case .crashLooping: return "crash_looping"
        case .orphaned: return "orphaned"
        case .down: return "down"
        case .health: return "health"
        case .fault: return "fault"
        case .stopped: return "stopped"
        case .error: return "error"
        }
    }

    /// One JSON object on one line, fields in a stable order: t_ms, type, component, role, pid, then the rest.
    public var jsonLine: String {
        var fields: [(String, JSONValue)] = [("t_ms", .int(tMs)), ("type", .string(typeName))]
        if let component { fields.append(("component", .string(component))) }
        if let role { fields.append(("role", .string(role.rawValue))) }
        if let pid { fields.append(("pid", .int(Int(pid)))) }
        switch kind {
        case let .stack(topology, runDir, url):
            fields += [("topology", .string(topology)), ("run_dir", .string(runDir)), ("url", .string(url))]
        case let .starting(argv):
            fields.append(("argv", .array(argv.map { .string($0) })))
        case let .ready(afterMs):
            fields.append(("after_ms", .int(afterMs)))
        case let .spawned(ppid):
            if let ppid { fields.append(("ppid", .int(Int(ppid)))) }
        case let .exited(signal, status):
            if let signal { fields.append(("signal", .int(Int(signal)))) }
            if let status { fields.append(("status", .int(Int(status)))) }
        case let .replaced(oldPid, newPid, gapMs):
            fields += [("old_pid", .int(Int(oldPid))), ("new_pid", .int(Int(newPid))), ("gap_ms", .int(gapMs))]
        case let .crashLooping(exits, windowMs):
            fields += [("exits", .int(exits)), ("window_ms", .int(windowMs))]
        case .orphaned, .down:
            break
        case let .health(hop, answering, detail):
            fields += [("hop", .string(hop)), ("answering", .bool(answering)), ("detail", .string(detail))]
        case let .fault(action, detail):
            fields += [("action", .string(action)), ("detail", .string(detail))]
        case let .stopped(clean, detail):
            fields += [("clean", .bool(clean)), ("detail", .string(detail))]
        case let .error(message, logTail):
            fields += [("message", .string(message)), ("log_tail", .array(logTail.map { .string($0) }))]
        }
        return JSONValue.object(fields).encoded
    }
}
