import Foundation
import StackModel

/// Finds each server stacktop uses on this machine and asks it for its version.
///
/// Binaries are looked up in `searchPath`; versions come from the programs themselves
/// (`nginx -v`, `apache2 -v`, `lighttpd -v`, `uwsgi-core --version`, `supervisord --version`),
/// from dpkg for the Apache and uWSGI plugins, and from one `python -c` in the venv for the
/// Python packages. The queries run in parallel, each with a timeout.
public struct InstallationProbe: Installation {
    /// The project's venv (`<project>/.venv`).
    public var venv: String
    /// Directories searched for binaries, in order.
    public var searchPath: [String]
    /// Seconds each query may take.
    public var timeout: TimeInterval
    /// Whether the venv must be one of Debian's /usr/bin/python3 (mod_wsgi and uWSGI embed it);
    /// a topology without them may run a venv of any Python 3.
    public var requireDebianPython = true

    public static let modWSGIModule = "/usr/lib/apache2/modules/mod_wsgi.so"
    public static let uwsgiPluginDirectory = "/usr/lib/uwsgi/plugins"

    /// A probe of the machine, with `PATH` plus the sbin directories (nginx, apache2 and
    /// lighttpd live in /usr/sbin, which a user's PATH may lack).
    public init(
        venv: String,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        timeout: TimeInterval = 5
    ) {
        let path = (environment["PATH"] ?? "").split(separator: ":").map(String.init)
        var seen = Set<String>()
        self.venv = venv
        self.searchPath = (path + ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"])
            .filter { !$0.isEmpty && seen.insert($0).inserted }
        self.timeout = timeout
    }

    public func statuses() async -> [InstallationStatus] {
        async let nginx = program(.nginx, "nginx", ["-v"], pattern: "nginx/")
        async let apache2 = program(.apache2, "apache2", ["-v"], pattern: "Apache/")
        async let lighttpd = program(.lighttpd, "lighttpd", ["-v"], pattern: "lighttpd/")
        async let uwsgi = program(.uwsgi, "uwsgi-core", ["--version"], pattern: "")
        async let supervisord = program(.supervisord, "supervisord", ["--version"], pattern: "")
        async let packages = debianVersions(["libapache2-mod-wsgi-py3", "uwsgi-plugin-python3", "uwsgi-core"])
        async let python = pythonStatuses()
        async let podman = program(.podman, "podman", ["--version"], pattern: "podman version")
        async let runc = program(.runc, "runc", ["--version"], pattern: "runc version")
        async let mmdebstrap = program(.mmdebstrap, "mmdebstrap", ["--version"], pattern: "mmdebstrap")
        async let catatonit = program(.catatonit, "catatonit", ["--version"], pattern: "version")
        let debian = await packages
        let plugins = [
            file(.modWSGI, Self.modWSGIModule, version: debian["libapache2-mod-wsgi-py3"]),
            file(
                .uwsgiPython3, Self.uwsgiPluginDirectory + "/python3_plugin.so", version: debian["uwsgi-plugin-python3"]
            ),
            file(.uwsgiHTTP, Self.uwsgiPluginDirectory + "/http_plugin.so", version: debian["uwsgi-core"]),
        ]
        let all =
            await [nginx, apache2, lighttpd, uwsgi, supervisord] + plugins + python + [
                podman, runc, mmdebstrap, catatonit,
            ]
        return InstallationComponent.allCases.map { component in
            all.first { $0.component == component } ?? .missing(component, "not probed")
        }
    }

    /// The first executable named `name` in the search path.
    public func locate(_ name: String) -> String? {
        searchPath.map { $0 + "/" + name }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Runs `name arguments` and takes the version from the first word after `pattern` in its
    /// output (the first word of the output when `pattern` is empty).
    func program(
        _ component: InstallationComponent, _ name: String, _ arguments: [String],
        pattern: String
    ) async -> InstallationStatus {
        guard let path = locate(name) else { return .missing(component, "\(name) not found") }
        guard let result = await InstallationCommand(path, arguments, timeout: timeout).run() else {
            return .missing(component, "\(path) \(arguments.joined(separator: " ")) did not answer")
        }
        guard let version = Self.version(in: result.output, after: pattern) else {
            let firstLine = result.output.split(separator: "\n").first.map(String.init) ?? ""
            return .missing(component, "\(path) printed no version (exit \(result.status)): \(firstLine)")
        }
        return .found(component, path: path, version: version)
    }

    /// The version word in `output` after `pattern` (or the first word when `pattern` is empty).
    static func version(in output: String, after pattern: String) -> String? {
        var rest = Substring(output)
        if !pattern.isEmpty {
            guard let range = output.range(of: pattern) else { return nil }
            rest = output[range.upperBound...]
        }
        let word = rest.drop { $0 == " " || $0 == "\n" }.prefix { !$0.isWhitespace }
        return word.first?.isNumber == true ? String(word) : nil
    }

    /// A component that is a file (a module or plugin) with the version of its Debian package.
    func file(_ component: InstallationComponent, _ path: String, version: String?) -> InstallationStatus {
        guard FileManager.default.fileExists(atPath: path) else { return .missing(component, "\(path) not found") }
        guard let version else { return .missing(component, "\(path) present but its package is not installed") }
        return .found(component, path: path, version: version)
    }

    /// Installed versions of Debian packages, by package name (absent when not installed).
    func debianVersions(_ packages: [String]) async -> [String: String] {
        guard let dpkg = locate("dpkg-query"),
            let result = await InstallationCommand(
                dpkg, ["-W", "-f=${Package} ${db:Status-Status} ${Version}\\n"] + packages,
                timeout: timeout
            ).run()
        else { return [:] }
        var versions: [String: String] = [:]
        for line in result.output.split(separator: "\n") {
            let fields = line.split(separator: " ")
            if fields.count == 3, fields[1] == "installed" { versions[String(fields[0])] = String(fields[2]) }
        }
        return versions
    }
}
