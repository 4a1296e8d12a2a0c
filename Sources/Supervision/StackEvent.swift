import StackRecipes

/// Something that happened to a running stack, as `up --json` streams it and the dashboard shows it.
/// Events are named in the past tense; `tMs` is milliseconds since launch on a monotonic clock.
public struct StackEvent: Sendable, Equatable {
    public var tMs: Int
    public var kind: Kind
    public var component: String?
    public var role: ProcessRole?
    public var pid: Int32?
    /// The process's pid inside its container (`spawned` events of a `container: true` stack).
    public var containerPid: Int32?

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
        /// A container image is being built or was found cached (`step`: base or image), before
        /// anything starts; `detail` is one line of progress.
        case building(step: String, detail: String)
        /// A component is being started: `argv` as spawned. For one that another component
        /// starts (`launchedBy`: supervisord, Apache, lighttpd) the command that one execs, or
        /// for forks that exec nothing (mod_wsgi daemons) what /proc shows of them.
        case starting(argv: [String], launchedBy: String? = nil)
        /// A component passed its readiness check after `afterMs` ms. For one another component
        /// started, `processes` are its processes found in /proc (mod_wsgi daemons, flup backends).
        case ready(afterMs: Int, processes: [HostedProcess] = [])
        /// A process of the stack appeared.
        case spawned(ppid: Int32?)
        /// A process of the stack exited: killed by `signal`, or exited with `status`; when
        /// neither could be learnt, `unknown` says why (JSON: `"how":"unknown","why":…`).
        case exited(signal: Int32?, status: Int32?, unknown: String? = nil)
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
        /// stacktop stopped watching an attached deploy and left it running (the last event of `attach`).
        case detached(detail: String)
        /// Something went wrong; `message` says what, `logTail` quotes the failing server's log.
        case error(message: String, logTail: [String])
        /// Requests of the last second (or, with `final`, of the whole run, right before `stopped`).
        case traffic(Traffic)
    }

    /// The JSON `type` field.
    public var typeName: String {
        switch kind {
        case .stack: return "stack"
        case .building: return "building"
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
        case .detached: return "detached"
        case .error: return "error"
        case .traffic: return "traffic"
        }
    }

    /// One JSON object on one line, fields in a stable order: t_ms, type, component, role, pid, then the rest.
    public var jsonLine: String {
        var fields: [(String, JSONValue)] = [("t_ms", .int(tMs)), ("type", .string(typeName))]
        if let component { fields.append(("component", .string(component))) }
        if let role { fields.append(("role", .string(role.rawValue))) }
        if let pid { fields.append(("pid", .int(Int(pid)))) }
        if let containerPid { fields.append(("container_pid", .int(Int(containerPid)))) }
        switch kind {
        case let .stack(topology, runDir, url):
            fields += [("topology", .string(topology)), ("run_dir", .string(runDir)), ("url", .string(url))]
        case let .building(step, detail):
            fields += [("step", .string(step)), ("detail", .string(detail))]
        case let .starting(argv, launchedBy):
            fields.append(("argv", .array(argv.map { .string($0) })))
            if let launchedBy { fields.append(("launched_by", .string(launchedBy))) }
        case let .ready(afterMs, processes):
            fields.append(("after_ms", .int(afterMs)))
            if !processes.isEmpty {
                fields.append(
                    (
                        "processes",
                        .array(
                            processes.map { p in
                                .object([("pid", .int(Int(p.pid))), ("argv", .array(p.argv.map { .string($0) }))])
                            })
                    ))
            }
        case let .spawned(ppid):
            if let ppid { fields.append(("ppid", .int(Int(ppid)))) }
        case let .exited(signal, status, unknown):
            if let signal {
                fields += [("how", .string("killed")), ("signal", .int(Int(signal)))]
            } else if let status {
                fields += [("how", .string("exited")), ("status", .int(Int(status)))]
            } else {
                fields += [("how", .string("unknown")), ("why", .string(unknown ?? "not reported"))]
            }
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
        case let .detached(detail):
            fields.append(("detail", .string(detail)))
        case let .error(message, logTail):
            fields += [("message", .string(message)), ("log_tail", .array(logTail.map { .string($0) }))]
        case let .traffic(traffic):
            fields += traffic.jsonFields
        }
        return JSONValue.object(fields).encoded
    }
}

/// A process of a component that another component started, as /proc showed it.
public struct HostedProcess: Sendable, Equatable {
    public var pid: Int32
    public var argv: [String]

    public init(pid: Int32, argv: [String]) {
        self.pid = pid
        self.argv = argv
    }
}
