/// One server of a stack as the topology file describes it, defaults applied.
public struct Component: Sendable, Equatable {
    /// The key under `components:`; unique in a file.
    public var name: String
    public var kind: ServerKind
    /// Processes that serve requests (nginx worker_processes, gunicorn workers, uWSGI processes,
    /// mod_wsgi daemon processes, flup fork children, Apache MPM children). nil where the kind has none.
    public var workers: Int?
    /// Threads per worker, where the kind has them.
    public var threads: Int?
    /// flup only: fork (a master and child processes) or threaded (one process).
    public var processModel: ProcessModel?
    /// How the component is reached by the one forwarding to it; the front door always listens on TCP.
    public var transport: Transport
    /// Loopback address for TCP listeners.
    public var host: String
    /// nil = `auto`: a free port chosen at launch.
    public var port: Int?
    /// The protocol it speaks to the component forwarding to it (http for a front door).
    public var proto: HopProtocol
    /// Names of the app servers a front server forwards to (one pool).
    public var upstream: [String]
    /// The component whose process tree this one runs in (mod_wsgi in Apache, flup spawned by lighttpd).
    public var inside: String?
    /// supervisord only: components it starts and restarts.
    public var supervises: [String]
    /// Where the component is declared, for messages that point at it.
    public var location: SourceLocation
    /// Where its `server:` kind was written (nil when built in code), for messages about the
    /// server program itself (not installed in the venv).
    public var serverLocation: SourceLocation?

    public init(
        name: String, kind: ServerKind, workers: Int? = nil, threads: Int? = nil,
        processModel: ProcessModel? = nil, transport: Transport = .tcp,
        host: String = "127.0.0.1", port: Int? = nil, proto: HopProtocol = .http,
        upstream: [String] = [], inside: String? = nil, supervises: [String] = [],
        location: SourceLocation = SourceLocation(file: "", line: 0, column: 0),
        serverLocation: SourceLocation? = nil
    ) {
        self.name = name
        self.kind = kind
        self.workers = workers
        self.threads = threads
        self.processModel = processModel
        self.transport = transport
        self.host = host
        self.port = port
        self.proto = proto
        self.upstream = upstream
        self.inside = inside
        self.supervises = supervises
        self.location = location
        self.serverLocation = serverLocation
    }
}
