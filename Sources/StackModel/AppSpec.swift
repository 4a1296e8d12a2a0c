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

    public init(module: String, directory: String, venv: String? = nil, isDemo: Bool,
                locations: AppLocations = AppLocations()) {
        self.module = module
        self.directory = directory
        self.venv = venv
        self.isDemo = isDemo
        self.locations = locations
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

    public init(section: SourceLocation? = nil, module: SourceLocation? = nil,
                directory: SourceLocation? = nil, venv: SourceLocation? = nil) {
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
