/// A server program stacktop knows how to configure, launch and watch. What the model knows
/// about each is its `ServerFacts`, one file per kind under `Servers/`.
public enum ServerKind: String, CaseIterable, Sendable, Codable {
    case nginx
    case apache
    case lighttpd
    case gunicorn
    case uwsgi
    case waitress
    case werkzeug
    case flup
    case modWSGI = "mod_wsgi"
    case supervisord

    /// The role a component of this kind plays in a stack.
    public var role: ComponentRole { facts.role }

    /// Protocols this kind can speak to a front server when it is an app server.
    public var servedProtocols: [HopProtocol] { facts.servedProtocols }

    /// Protocols this front server can forward requests with.
    public var forwardedProtocols: [HopProtocol] { facts.forwardedProtocols }

    /// Whether this kind answers HTTP itself, so it can be the stack's front door.
    public var canBeFrontDoor: Bool { facts.canBeFrontDoor }

    /// Whether `workers` means something for this kind (processes that serve requests).
    public var hasWorkers: Bool { facts.workers.applies }

    /// Whether `threads` means something for this kind.
    public var hasThreads: Bool { facts.threads.applies }
}

/// What a component does in the stack.
public enum ComponentRole: String, Sendable, Codable {
    case front, app, supervisor
}

/// How a front server talks to the app server behind it.
public enum HopProtocol: String, CaseIterable, Sendable, Codable {
    case http
    case uwsgi
    case fastcgi
    /// The app server runs inside the front server (mod_wsgi in Apache).
    case embedded
}

/// How a hop is carried: a unix socket in the run dir or a loopback TCP port.
public enum Transport: String, CaseIterable, Sendable, Codable {
    case unix
    case tcp
}

/// The process model of an app server that has more than one (flup: fork or threaded).
public enum ProcessModel: String, CaseIterable, Sendable, Codable {
    case fork
    case threaded
}
