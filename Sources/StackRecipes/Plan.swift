import StackModel

/// Everything needed to launch one stack: files to write into the run dir and the processes
/// to start, in start order. Pure data rendered from a `Topology` and a `LaunchContext`.
public struct Plan: Sendable, Equatable {
    public var topology: String
    /// Directories to create under the run dir (relative), before any file is written.
    public var directories: [String]
    /// Files to write under the run dir.
    public var files: [RenderedFile]
    /// One entry per component, in start order. Components supervised by supervisord or
    /// running inside another component are listed too, with `launchedBy` set.
    public var processes: [ProcessSpec]
    /// The URL a client uses to reach the stack (`http://127.0.0.1:PORT/`).
    public var frontDoorURL: String
    /// The path readiness and health probes ask for through the front door (the topology's
    /// `app.health`): an answer below 500 is healthy, a 5xx unhealthy.
    public var healthPath: String
    /// Set for a `container: true` stack once its image is built: the root component runs in
    /// this container instead of directly on the host.
    public var container: ContainerPlacement?
    /// Set for a `container: pod` stack once its images are built: each component stacktop
    /// starts runs in its own container of this pod.
    public var pod: PodPlacement?

    public init(
        topology: String, directories: [String], files: [RenderedFile],
        processes: [ProcessSpec], frontDoorURL: String, healthPath: String = "/"
    ) {
        self.topology = topology
        self.directories = directories
        self.files = files
        self.processes = processes
        self.frontDoorURL = frontDoorURL
        self.healthPath = healthPath
    }

    /// The full URL of the health check (`http://127.0.0.1:PORT/health`).
    public var healthURL: String {
        (frontDoorURL.hasSuffix("/") ? String(frontDoorURL.dropLast()) : frontDoorURL) + healthPath
    }
}

/// Where a container stack's component runs: one container of `image`, named `name`, with the
/// run dir mounted at the same path and the host's network (directly for `container: true`,
/// through its pod for `container: pod`), so every path, port and command line in the plan
/// means the same inside and outside.
public struct ContainerPlacement: Sendable, Equatable {
    public var name: String
    public var image: String
    /// The file podman writes the container id to (absolute): stacktop and its reaper remove
    /// the container by it.
    public var cidfile: String
    /// The pod the container joins (`container: pod`), nil for a container of its own.
    public var pod: PodPlacement.Identity?
    public init(name: String, image: String, cidfile: String, pod: PodPlacement.Identity? = nil) {
        self.name = name
        self.image = image
        self.cidfile = cidfile
        self.pod = pod
    }

    /// `podman run` arguments (after `podman`) that start `spec` detached in this container.
    public func runArguments(_ spec: ProcessSpec, runDir: String) -> [String] {
        // A pod's containers share the pod's network namespace (the host's, see PodPlacement).
        let network = pod.map { ["--pod", $0.name] } ?? ["--network", "host"]
        var args =
            ["run", "-d", "--name", name, "--cidfile", cidfile] + network + [
                "--pull=never", "--label", "io.stacktop.run_dir=" + runDir,
                "--volume", runDir + ":" + runDir, "--workdir", spec.workingDirectory,
            ]
        for key in spec.environment.keys.sorted() { args += ["--env", key + "=" + spec.environment[key]!] }
        return args + [image] + spec.argv
    }

    /// The container's name in a `podman run` argv (the `starting` event of a `container: true`
    /// stack), nil when `argv` does not run podman.
    public static func name(inRunArgv argv: [String]) -> String? {
        guard argv.first?.hasSuffix("/podman") == true, let i = argv.firstIndex(of: "--name"), i + 1 < argv.count else {
            return nil
        }
        return argv[i + 1]
    }
}

/// A config file (or script) rendered for the run dir.
public struct RenderedFile: Sendable, Equatable {
    /// Path relative to the run dir.
    public var path: String
    public var contents: String
    /// Permission bits, e.g. 0o644.
    public var mode: UInt16
    /// The component it belongs to (the `v` key of the dashboard shows it).
    public var component: String
    public init(path: String, contents: String, mode: UInt16 = 0o644, component: String) {
        self.path = path
        self.contents = contents
        self.mode = mode
        self.component = component
    }
}

/// How to start, check, stop and read one component's processes.
public struct ProcessSpec: Sendable, Equatable {
    public var component: String
    public var kind: ServerKind
    /// argv[0] is an absolute path; never passed through a shell. Empty when there is nothing
    /// to exec (mod_wsgi: Apache's parent forks the daemons); for flup under lighttpd it is the
    /// command lighttpd execs (`launchedBy` is set in both cases).
    public var argv: [String]
    /// The complete environment (nothing is inherited beyond it).
    public var environment: [String: String]
    /// Absolute working directory.
    public var workingDirectory: String
    /// Where stdout and stderr go, relative to the run dir.
    public var outputLog: String
    /// Log files the server writes itself (error log, access log), relative to the run dir.
    public var logFiles: [String]
    /// The access log stacktop asks the server to write, if any (relative to the run dir).
    public var accessLog: String?
    /// How to tell the component is ready to serve.
    public var readiness: Readiness
    /// The signal that stops it gracefully (nginx QUIT, gunicorn TERM, …).
    public var stopSignal: Signal
    /// flup fork ignores its stop signal until a request arrives: send one after the signal.
    public var stopNeedsRequest: Bool
    /// Set when another component starts this one (supervisord, or Apache/lighttpd hosting it):
    /// the runtime does not spawn it, only waits for its readiness and watches it.
    public var launchedBy: String?
    /// How to label the processes of this component's tree.
    public var roles: RoleRule
    /// Word sequences that identify this component's processes by command line (see `claims(_:)`).
    /// A component with `launchedBy` set owns the processes of the launcher's tree that match:
    /// mod_wsgi daemons in Apache's tree (`(wsgi:app)`), flup backends under lighttpd
    /// (`--name app`), supervisord's programs (their config path). Matched processes and their
    /// descendants belong to this component, not to the launcher.
    public var claimMarkers: [String]
    /// The server's own pid file, relative to the run dir (nil when it writes none).
    public var pidFile: String?
    /// A place the server reports its own live state, if stacktop configured one.
    public var status: StatusEndpoint?
    /// Seconds to wait after `stopSignal` before killing what is left (supervisord's stopwaitsecs).
    public var stopTimeout: Int

    public init(
        component: String, kind: ServerKind, argv: [String], environment: [String: String],
        workingDirectory: String, outputLog: String, logFiles: [String] = [],
        accessLog: String? = nil, readiness: Readiness, stopSignal: Signal,
        stopNeedsRequest: Bool = false, launchedBy: String? = nil, roles: RoleRule,
        claimMarkers: [String] = [], pidFile: String? = nil, status: StatusEndpoint? = nil,
        stopTimeout: Int = 10
    ) {
        self.component = component
        self.kind = kind
        self.argv = argv
        self.environment = environment
        self.workingDirectory = workingDirectory
        self.outputLog = outputLog
        self.logFiles = logFiles
        self.accessLog = accessLog
        self.readiness = readiness
        self.stopSignal = stopSignal
        self.stopNeedsRequest = stopNeedsRequest
        self.launchedBy = launchedBy
        self.roles = roles
        self.claimMarkers = claimMarkers
        self.pidFile = pidFile
        self.status = status
        self.stopTimeout = stopTimeout
    }

    /// Whether a process with this command line (argv joined by single spaces) is one of this
    /// component's: some marker occurs in it as whole words (`--name app` does not match
    /// `--name app2`).
    public func claims(commandLine: String) -> Bool {
        let padded =
            " "
            + commandLine.split(separator: " ", omittingEmptySubsequences: true)
            .joined(separator: " ") + " "
        return claimMarkers.contains { padded.contains(" " + $0 + " ") }
    }
}

/// Where a running server reports its own state.
public enum StatusEndpoint: Sendable, Equatable {
    /// nginx `stub_status` (active connections, accepts, requests), answered only to loopback.
    case nginxStubStatus(host: String, port: Int, path: String)
    /// uWSGI's stats server: connect to this unix socket (absolute path) and read one JSON document.
    case uwsgiStats(socket: String)
    /// supervisord's XML-RPC over this unix socket (absolute path); `supervisorctl -c CONFIG`.
    case supervisor(socket: String, config: String)
}

/// A check that passes once a component is ready.
public enum Readiness: Sendable, Equatable {
    /// An HTTP GET answered with any status below 500 (the app may 404 on `path`).
    case http(host: String, port: Int, path: String)
    /// A TCP connect succeeds.
    case tcp(host: String, port: Int)
    /// A connect to a unix socket (absolute path) succeeds.
    case unixSocket(path: String)
    /// Nothing to probe directly (e.g. lighttpd's spawned backends): ready with its parent.
    case withParent
}

/// The role of one process of a stack, as events and the dashboard show it.
public enum ProcessRole: String, Sendable, Equatable, Codable {
    case front, master, worker, supervisor, helper
}

/// Facts about one process, enough for a recipe to say what it is.
public struct ProcessFacts: Sendable, Equatable {
    public var pid: Int32
    public var ppid: Int32
    /// 0 for the component's root process, 1 for its children, …
    public var depth: Int
    /// /proc/PID/cmdline joined with spaces.
    public var commandLine: String
    /// /proc/PID/comm.
    public var command: String
    public var uid: UInt32
    public init(pid: Int32, ppid: Int32, depth: Int, commandLine: String, command: String, uid: UInt32) {
        self.pid = pid
        self.ppid = ppid
        self.depth = depth
        self.commandLine = commandLine
        self.command = command
        self.uid = uid
    }
}

/// How to label the processes of one component's tree from their facts.
public struct RoleRule: Sendable, Equatable {
    /// The role of the component's root process (front for nginx, master for gunicorn,
    /// supervisor for supervisord; worker for a single-process server like waitress).
    public var root: ProcessRole
    /// Substrings of the command line that mark a child as a helper, not a worker
    /// (`uWSGI http`, `cache manager`); every other child is a worker.
    public var helperMarkers: [String]
    /// Substrings that mark a child as a worker when `helperMarkers` alone is not enough
    /// (Apache: `wsgi-` daemons are workers of the mod_wsgi component). Empty: all non-helpers.
    public var workerMarkers: [String]

    public init(root: ProcessRole, helperMarkers: [String] = [], workerMarkers: [String] = []) {
        self.root = root
        self.helperMarkers = helperMarkers
        self.workerMarkers = workerMarkers
    }

    /// The role of a process of this component.
    public func role(of p: ProcessFacts) -> ProcessRole {
        if p.depth == 0 { return root }
        if helperMarkers.contains(where: { p.commandLine.contains($0) }) { return .helper }
        if workerMarkers.isEmpty || workerMarkers.contains(where: { p.commandLine.contains($0) }) {
            return .worker
        }
        return .helper
    }
}
