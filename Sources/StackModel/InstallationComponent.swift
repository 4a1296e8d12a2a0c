/// A piece of installed software a stack needs: a server binary, a server plugin, the project's
/// venv, or a Python package in that venv.
public enum InstallationComponent: String, CaseIterable, Sendable, Codable {
    case nginx
    case apache2
    /// Debian's mod_wsgi for Apache (libapache2-mod-wsgi-py3).
    case modWSGI = "mod_wsgi"
    case lighttpd
    /// Debian's `/usr/bin/uwsgi-core`.
    case uwsgi
    /// uWSGI's python3 plugin (`--plugin python3`).
    case uwsgiPython3 = "uwsgi-python3-plugin"
    /// uWSGI's http plugin (`--plugin http`, the `--http` router); `--http-socket` is built in.
    case uwsgiHTTP = "uwsgi-http-plugin"
    case supervisord
    /// The project's `.venv`, a venv of Debian's `/usr/bin/python3`.
    case venv
    case gunicorn
    case waitress
    /// Flask, with Werkzeug: the dev server and the bundled demo app.
    case flask
    case flup
    /// podman (daemonless containers) for `container: true` stacks, run with runc.
    case podman
    case runc
    /// Builds the containers' base image from the apt mirror.
    case mmdebstrap
    /// The init of a podman pod's infra container (podman builds its pause image from it).
    case catatonit

    /// The command that installs this component on Debian 12.
    public var installCommand: String {
        if let package = aptPackage {
            return "apt-get install -y --no-install-recommends \(package)"
        }
        return InstallationComponent.installerCommand
    }

    /// The project's installer, which installs every component.
    public static let installerCommand = "scripts/install-components"

    /// The fewest commands that install all of `components`: one apt-get for the Debian packages,
    /// then the installer for what goes into the venv.
    public static func installCommands(for components: [InstallationComponent]) -> [String] {
        var packages: [String] = []
        for package in components.compactMap(\.aptPackage) where !packages.contains(package) {
            packages.append(package)
        }
        var commands: [String] = []
        if !packages.isEmpty {
            commands.append("apt-get install -y --no-install-recommends " + packages.joined(separator: " "))
        }
        if components.contains(where: { $0.aptPackage == nil }) { commands.append(installerCommand) }
        return commands
    }

    /// The fewest commands that install all of `components` when the Python side lives in a
    /// topology's own venv `ownVenv` (not the project's, which the installer fills): that venv's
    /// pip installs the pinned servers; a missing venv is the user's to create (with their app).
    /// nil `ownVenv` is `installCommands(for:)`.
    public static func installCommands(for components: [InstallationComponent], ownVenv: String?) -> [String] {
        guard let venv = ownVenv else { return installCommands(for: components) }
        var commands = installCommands(for: components.filter { $0.aptPackage != nil })
        if components.contains(.venv) {
            commands.append(
                "python3 -m venv \(venv)  (Debian's /usr/bin/python3 for mod_wsgi and uWSGI), then install your app into it"
            )
        }
        let pins = components.flatMap(\.pinnedRequirements)
        if !pins.isEmpty { commands.append("\(venv)/bin/pip install " + pins.joined(separator: " ")) }
        return commands
    }

    /// The command that installs this component alone (see `installCommands(for:ownVenv:)`).
    public func installCommand(ownVenv: String?) -> String {
        InstallationComponent.installCommands(for: [self], ownVenv: ownVenv).joined(separator: "; ")
    }

    /// The Debian package that provides it; nil for what the installer puts into the venv.
    public var aptPackage: String? {
        switch self {
        case .nginx: return "nginx"
        case .apache2: return "apache2"
        case .modWSGI: return "libapache2-mod-wsgi-py3"
        case .lighttpd: return "lighttpd"
        case .uwsgi, .uwsgiHTTP: return "uwsgi-core"
        case .uwsgiPython3: return "uwsgi-plugin-python3"
        case .supervisord: return "supervisor"
        case .podman: return "podman"
        case .runc: return "runc"
        case .mmdebstrap: return "mmdebstrap"
        case .catatonit: return "catatonit"
        case .venv, .gunicorn, .waitress, .flask, .flup: return nil
        }
    }

    /// The Python distribution name, for the packages that live in the venv.
    public var pythonDistribution: String? {
        switch self {
        case .gunicorn: return "gunicorn"
        case .waitress: return "waitress"
        case .flask: return "flask"
        case .flup: return "flup"
        default: return nil
        }
    }

    /// The pinned requirement (`name==version`) for the Python servers, the same as
    /// scripts/requirements.txt (a test keeps the two equal): what `doctor TOPOLOGY --fix` installs into
    /// a topology's own venv.
    public var pinnedRequirements: [String] {
        switch self {
        case .gunicorn: return ["gunicorn==27.0.1"]
        case .waitress: return ["waitress==3.0.2"]
        case .flup: return ["flup==1.0.3"]
        case .flask: return ["flask==3.1.3", "werkzeug==3.1.8"]
        default: return []
        }
    }

    /// What a component of `kind` needs installed to run. Every app server runs Python from the
    /// project's venv (mod_wsgi with `python-home`, uWSGI with `--virtualenv`).
    public static func needed(by kind: ServerKind) -> [InstallationComponent] {
        kind.facts.installation
    }

    /// What a stack of these kinds needs, in `allCases` order; the bundled demo app adds Flask
    /// (and the venv it is installed in).
    public static func needed(by kinds: [ServerKind], demoApp: Bool) -> [InstallationComponent] {
        var set = Set(kinds.flatMap { needed(by: $0) })
        if demoApp { set.formUnion([.venv, .flask]) }
        return allCases.filter { set.contains($0) }
    }

    /// What `topology` needs installed.
    public static func needed(by topology: Topology) -> [InstallationComponent] {
        // A container stack's servers and app packages are in its image: the host needs the
        // container tools (and the venv every launch checks).
        if topology.containerLayout == .pod { return [.venv, .podman, .runc, .mmdebstrap, .catatonit] }
        if topology.container { return [.venv, .podman, .runc, .mmdebstrap] }
        return needed(by: topology.components.map(\.kind), demoApp: topology.app.isDemo)
    }
}
