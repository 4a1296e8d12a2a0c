/// The WSGI application the stack serves: the bundled demo app or the user's own.
public struct AppSpec: Sendable, Equatable {
    /// `module:callable`, e.g. `app:app`.
    public var module: String
    /// Absolute directory holding the module (resolved against the topology file's directory).
    public var directory: String
    /// Absolute path of a virtualenv to run the app with; nil = the project's `.venv`.
    public var venv: String?
    /// True when this is stacktop's bundled demo app (it sets `X-Worker-Pid`, has `/slow`, `/crash`…).
    public var isDemo: Bool
    /// Where the fields were written in the topology file (nil = not written: a default).
    public var locations: AppLocations
    /// The `health:` path as written in the topology; nil = the default (see `health`).
    public var healthPath: String?

    public init(
        module: String, directory: String, venv: String? = nil, isDemo: Bool,
        healthPath: String? = nil, locations: AppLocations = AppLocations()
    ) {
        self.module = module
        self.directory = directory
        self.venv = venv
        self.isDemo = isDemo
        self.locations = locations
        self.healthPath = healthPath
    }

    /// The path stacktop's readiness and health probes ask for through the front door: any
    /// HTTP answer below 500 means the app is alive, a 5xx that it is unhealthy. Default `/`;
    /// the bundled demo app's is its `/health` route.
    public var health: String { healthPath ?? (isDemo ? Self.demoHealthPath : "/") }

    /// The demo app's health route.
    public static let demoHealthPath = "/health"

    /// Why `path` cannot be a health path, or nil when it can: an origin-form request target
    /// (starts with `/`, printable ASCII without spaces or `#`; a `?query` is allowed).
    public static func problem(withHealthPath path: String) -> String? {
        guard path.hasPrefix("/") else { return "must start with '/'" }
        if path.hasPrefix("//") { return "must not start with '//' (that reads as a host, not a path)" }
        guard path.utf8.count <= 1024 else { return "is longer than 1024 bytes" }
        if let bad = path.unicodeScalars.first(where: { $0.value <= 0x20 || $0.value >= 0x7f || $0 == "#" }) {
            let hex = String(bad.value, radix: 16, uppercase: true)
            let shown = bad == "#" ? "'#'" : "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
            return "must not contain \(shown): use percent-encoding (%20) for such characters"
        }
        return nil
    }

    /// The module part of `module:callable`.
    public var moduleName: String { String(module.split(separator: ":", maxSplits: 1).first ?? "") }
    /// The callable part of `module:callable`.
    public var callable: String {
        let parts = module.split(separator: ":", maxSplits: 1)
        return parts.count == 2 ? String(parts[1]) : "app"
    }
}

/// Where the `app:` fields were written, for messages that point at the field at fault.
public struct AppLocations: Sendable, Equatable {
    /// The `app:` key.
    public var section: SourceLocation?
    /// The values of `module:`, `dir:` and `venv:`.
    public var module: SourceLocation?
    public var directory: SourceLocation?
    public var venv: SourceLocation?

    public init(
        section: SourceLocation? = nil, module: SourceLocation? = nil,
        directory: SourceLocation? = nil, venv: SourceLocation? = nil
    ) {
        self.section = section
        self.module = module
        self.directory = directory
        self.venv = venv
    }
}

/// The default load stacktop sends when load is switched on.
public struct TrafficSpec: Sendable, Equatable {
    /// Requests per second.
    public var rate: Int
    /// Request paths with relative weights, in file order.
    public var mix: [WeightedPath]

    public init(rate: Int = 20, mix: [WeightedPath] = [WeightedPath(path: "/", weight: 1)]) {
        self.rate = rate
        self.mix = mix
    }
}

/// One entry of a request mix.
public struct WeightedPath: Sendable, Equatable {
    public var path: String
    public var weight: Int
    public init(path: String, weight: Int) {
        self.path = path
        self.weight = weight
    }
}
