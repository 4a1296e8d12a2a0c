/// What stacktop's model knows about one server kind: the role it plays, the protocols it
/// speaks, whether `workers` and `threads` mean something for it (with their defaults) or why
/// they do not, what must be installed, how its processes show in /proc. One value per kind,
/// each in its own file under `Servers/` (`ServerFacts.nginx` in `Servers/Nginx.swift`);
/// `ServerKind`'s properties, `KindRules`, `InstallationComponent.needed(by:)`, the app
/// preflight (`Installation.AppPreflight`) and attach's `ServerIdentity` read them.
///
/// How a kind is configured and launched is its recipe (`StackRecipes/<Kind>Recipe.swift`);
/// docs/ARCHITECTURE.md lists every place a server kind appears.
public struct ServerFacts: Sendable {
    /// What a component of this kind does in a stack.
    public var role: ComponentRole
    /// Protocols it can speak to a front server when it is an app server.
    public var servedProtocols: [HopProtocol] = []
    /// Protocols it can forward requests with when it is a front server.
    public var forwardedProtocols: [HopProtocol] = []
    /// Whether it answers HTTP itself, so it can be the stack's front door.
    public var canBeFrontDoor: Bool
    /// What `workers` counts, with its default, or why the key does not apply.
    public var workers: Setting
    /// What `threads` counts, with its default, or why the key does not apply.
    public var threads: Setting
    /// The protocol it speaks, as an app server, when the file does not say; `behind` names
    /// front servers for which it speaks another.
    public var defaultProtocol: HopProtocol = .http
    public var defaultProtocolBehind: [ServerKind: HopProtocol] = [:]
    /// What a component of this kind needs installed to run (`doctor`, `list`, launch checks).
    /// Every app server runs Python from the project's venv (mod_wsgi with `python-home`,
    /// uWSGI with `--virtualenv`).
    public var installation: [InstallationComponent]
    /// How its processes show themselves in /proc: any one of these marks (see `ProcessMark`).
    public var processMarks: [ProcessMark]
    /// The Python package a server of this kind imports from the app's venv (the pip-installed
    /// servers); nil for servers that come from Debian packages.
    public var venvPackage: VenvPackage? = nil
    /// Whether it embeds Debian's Python (mod_wsgi, uWSGI), so the app's venv must be made by it.
    public var embedsDebianPython = false

    /// A server's Python package in the app's venv: the module it imports, the installable piece
    /// that provides it, and its console script in `bin/` when it has one.
    public struct VenvPackage: Sendable, Equatable {
        public var module: String
        public var distribution: InstallationComponent
        public var consoleScript: String?
    }

    /// A component key that counts something (`workers`, `threads`).
    public enum Setting: Sendable, Equatable {
        /// The key applies; `default` when the topology leaves it unset.
        case count(default: Int)
        /// The key does not apply: why (the part of the message after the key and the kind).
        case notApplicable(String)

        public var applies: Bool {
            if case .count = self { return true }
            return false
        }

        public var defaultCount: Int? {
            if case let .count(n) = self { return n }
            return nil
        }
    }
}

extension ServerKind {
    /// Everything the model knows about this kind (see `ServerFacts`).
    public var facts: ServerFacts {
        switch self {
        case .nginx: return .nginx
        case .apache: return .apache
        case .lighttpd: return .lighttpd
        case .gunicorn: return .gunicorn
        case .uwsgi: return .uwsgi
        case .waitress: return .waitress
        case .werkzeug: return .werkzeug
        case .flup: return .flup
        case .modWSGI: return .modWSGI
        case .supervisord: return .supervisord
        }
    }
}
