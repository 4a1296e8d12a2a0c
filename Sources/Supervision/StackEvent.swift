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
                fields.append(("processes", .array(processes.map { p in
                    .object([("pid", .int(Int(p.pid))), ("argv", .array(p.argv.map { .string($0) }))])
                })))
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

extension StackEvent {
    /// The figures of a `traffic` event: stacktop's own requests (the load generator's view) and
    /// every request each access log saw (`logs`, the front door's first).
    public struct Traffic: Sendable, Equatable {
        /// True for the run's totals (sent once, right before `stopped`), false for one second.
        public var final: Bool
        /// The span the figures cover, in ms.
        public var windowMs: Int
        /// Whether the load generator was on, and its target rate (requests per second).
        public var load: Bool
        public var rate: Int
        /// Requests of the generator that ended in the span (answered or failed).
        public var sent: Int
        /// Answered requests per second.
        public var rps: Double
        public var p50Ms: Double?
        public var p90Ms: Double?
        public var p99Ms: Double?
        public var maxMs: Double?
        public var byStatus: [Int: Int]
        /// Requests without an answer by kind (`refused`, `reset`, `timeout`, `overflow`, `cancelled`, `other`).
        public var byError: [String: Int]
        /// Answered requests by `X-Worker-Pid`.
        public var byWorker: [Int32: Int]
        public var logs: [Log]
        /// Answered requests by `X-App-Version` (the demo app's version); empty without it.
        public var byVersion: [Int32: Int] = [:]

        public init(final: Bool = false, windowMs: Int, load: Bool, rate: Int, sent: Int, rps: Double,
                    p50Ms: Double? = nil, p90Ms: Double? = nil, p99Ms: Double? = nil, maxMs: Double? = nil,
                    byStatus: [Int: Int] = [:], byError: [String: Int] = [:], byWorker: [Int32: Int] = [:],
                    logs: [Log] = []) {
            self.final = final
            self.windowMs = windowMs
            self.load = load
            self.rate = rate
            self.sent = sent
            self.rps = rps
            self.p50Ms = p50Ms
            self.p90Ms = p90Ms
            self.p99Ms = p99Ms
            self.maxMs = maxMs
            self.byStatus = byStatus
            self.byError = byError
            self.byWorker = byWorker
            self.logs = logs
        }

        /// One server's access log view: every client's requests (stacktop's probes apart).
        public struct Log: Sendable, Equatable {
            public var component: String
            public var server: String
            public var frontDoor: Bool
            /// Lines read (requests and probes).
            public var lines: Int
            public var requests: Int
            /// stacktop's own health probes among the lines.
            public var probes: Int
            public var rps: Double
            /// The server's own time per request.
            public var p50Ms: Double?
            public var p99Ms: Double?
            /// Time waiting for the upstream (front servers that log it).
            public var upstreamP50Ms: Double?
            public var upstreamP99Ms: Double?
            public var byStatus: [Int: Int]
            /// Requests by the app process that served them, as the log names it.
            public var byWorker: [Int32: Int]
            /// 5xx the server made itself because no app process answered (nginx's 502/504).
            public var frontErrors: Int
            /// 5xx an app process answered.
            public var appErrors: Int

            public init(component: String, server: String, frontDoor: Bool, lines: Int, requests: Int, probes: Int,
                        rps: Double, p50Ms: Double? = nil, p99Ms: Double? = nil, upstreamP50Ms: Double? = nil,
                        upstreamP99Ms: Double? = nil, byStatus: [Int: Int] = [:], byWorker: [Int32: Int] = [:],
                        frontErrors: Int = 0, appErrors: Int = 0) {
                self.component = component
                self.server = server
                self.frontDoor = frontDoor
                self.lines = lines
                self.requests = requests
                self.probes = probes
                self.rps = rps
                self.p50Ms = p50Ms
                self.p99Ms = p99Ms
                self.upstreamP50Ms = upstreamP50Ms
                self.upstreamP99Ms = upstreamP99Ms
                self.byStatus = byStatus
                self.byWorker = byWorker
                self.frontErrors = frontErrors
                self.appErrors = appErrors
            }

            var jsonValue: JSONValue {
                var f: [(String, JSONValue)] = [
                    ("component", .string(component)), ("server", .string(server)), ("front_door", .bool(frontDoor)),
                    ("lines", .int(lines)), ("requests", .int(requests)), ("probes", .int(probes)),
                    ("rps", .double(rps)), ("p50_ms", Traffic.ms(p50Ms)), ("p99_ms", Traffic.ms(p99Ms)),
                ]
                if upstreamP50Ms != nil || upstreamP99Ms != nil {
                    f += [("upstream_p50_ms", Traffic.ms(upstreamP50Ms)), ("upstream_p99_ms", Traffic.ms(upstreamP99Ms))]
                }
                f += [("by_status", Traffic.counts(byStatus)), ("by_worker", Traffic.counts(byWorker)),
                      ("front_errors", .int(frontErrors)), ("app_errors", .int(appErrors))]
                return .object(f)
            }
        }

        /// The event's own fields in a stable order (DESIGN's `rps`, `p50_ms`, `p99_ms`,
        /// `by_status`, `by_worker` among them); count objects have sorted keys.
        var jsonFields: [(String, JSONValue)] {
            var f: [(String, JSONValue)] = []
            if final { f.append(("final", .bool(true))) }
            f += [
                ("window_ms", .int(windowMs)), ("load", .bool(load)), ("rate", .int(rate)), ("sent", .int(sent)),
                ("rps", .double(rps)), ("p50_ms", Self.ms(p50Ms)), ("p90_ms", Self.ms(p90Ms)),
                ("p99_ms", Self.ms(p99Ms)), ("max_ms", Self.ms(maxMs)),
                ("by_status", Self.counts(byStatus)),
                ("by_error", .object(byError.sorted { $0.key < $1.key }.map { ($0.key, .int($0.value)) })),
                ("by_worker", Self.counts(byWorker)),
            ]
            if !byVersion.isEmpty { f.append(("by_version", Self.counts(byVersion))) }
            f.append(("logs", .array(logs.map(\.jsonValue))))
            return f
        }

        static func ms(_ v: Double?) -> JSONValue { v.map { .double($0) } ?? .null }

        static func counts<K: BinaryInteger>(_ d: [K: Int]) -> JSONValue {
            .object(d.sorted { $0.key < $1.key }.map { (String($0.key), .int($0.value)) })
        }
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
