import Foundation
import StackModel
import StackRecipes

/// Checks, without starting any server, what would make a launch fail on the app's side: the
/// venv exists and has a Python, the app dir exists, the module imports and has the callable,
/// and the app servers the topology runs (and flup) import in that venv. Every problem is a
/// `Diagnostic` at the topology field at fault (`app.venv`, `app.dir`, `app.module`, the
/// component), as `stacktop check` prints them.
public struct AppPreflight: Sendable {
    /// The venv the stack's Python runs with: the topology's `app.venv`, else the project's.
    public var venv: String
    /// Seconds the Python probe (which imports the user's module) may take.
    public var timeout: TimeInterval
    /// True when `venv` is the project's own `.venv` (scripts/install-components makes it).
    public var isProjectVenv: Bool

    public init(venv: String, isProjectVenv: Bool = false, timeout: TimeInterval = 15) {
        self.venv = venv
        self.isProjectVenv = isProjectVenv
        self.timeout = timeout
    }

    /// The checks that need no Python: the venv's interpreter and the app dir.
    public func quickDiagnostics(_ topology: Topology) -> [Diagnostic] {
        var found: [Diagnostic] = []
        if let problem = Self.venvProblem(venv, isProjectVenv: isProjectVenv, topologyPath: topology.sourcePath) {
            found.append(Diagnostic(Self.venvLocation(topology), problem))
        } else {
            for kind in Self.embeddingKinds(topology) {
                let cfg = (try? String(contentsOfFile: venv + "/pyvenv.cfg", encoding: .utf8)) ?? ""
                let verdict = VenvCompatibility.check(pyvenvCfg: cfg, venv: venv, server: kind.rawValue)
                if !verdict.isCompatible {
                    found.append(Diagnostic(Self.venvLocation(topology), verdict.message))
                    break
                }
            }
        }
        if let problem = Self.directoryProblem(topology.app.directory) {
            found.append(Diagnostic(Self.directoryLocation(topology), problem))
        }
        if found.isEmpty {
            for package in Self.packages(for: topology) where !isInstalled(package) {
                found.append(missing(package, topology, why: "not installed"))
            }
        }
        return found
    }

    /// A cheap look for `package` in the venv, without running Python: its console script
    /// (gunicorn, waitress-serve) or, without one, its directory in site-packages (flup, werkzeug).
    func isInstalled(_ package: Package) -> Bool {
        if let script = package.consoleScript {
            return FileManager.default.isExecutableFile(atPath: venv + "/bin/" + script)
        }
        let top = String(package.module.split(separator: ".").first ?? "")
        let libs = ((try? FileManager.default.contentsOfDirectory(atPath: venv + "/lib")) ?? []).filter {
            $0.hasPrefix("python")
        }
        return libs.contains {
            FileManager.default.fileExists(atPath: "\(venv)/lib/\($0)/site-packages/\(top)/__init__.py")
        }
    }

    /// The diagnostic for a server package the venv lacks, naming the venv and how to fill it.
    func missing(_ package: Package, _ topology: Topology, why: String) -> Diagnostic {
        let c = package.component
        let fix =
            isProjectVenv
            ? "run \(InstallationComponent.installerCommand) (make run does it)"
            : "stacktop doctor \(topology.sourcePath) --fix (or: \(venv)/bin/pip install \(package.requirement))"
        return Diagnostic(
            c.serverLocation ?? c.location,
            "\(c.name) (\(c.kind.rawValue)) needs the Python package \(package.distribution) in the venv \(venv), where it is \(why); install it with: \(fix)"
        )
    }

    /// Every check: the quick ones, then one Python run in the venv (bounded by `timeout`) that
    /// imports the servers' packages and the app.
    public func diagnostics(_ topology: Topology) async -> [Diagnostic] {
        let quick = quickDiagnostics(topology)
        guard quick.isEmpty else { return quick }
        let packages = Self.packages(for: topology)
        let app = topology.app
        var env = [
            "PATH": venv + "/bin:/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8", "VIRTUAL_ENV": venv,
            "PYTHONDONTWRITEBYTECODE": "1", "HOME": NSTemporaryDirectory(),
        ]
        if let home = ProcessInfo.processInfo.environment["HOME"] { env["HOME"] = home }
        let command = InstallationCommand(
            venv + "/bin/python",
            ["-c", Self.probeScript, app.directory, app.moduleName, app.callable]
                + packages.map(\.module),
            timeout: timeout, workingDirectory: app.directory, environment: env)
        let moduleAt = Self.moduleLocation(topology)
        guard let result = await command.run() else {
            return [
                Diagnostic(
                    moduleAt,
                    "importing \(app.module) with \(venv)/bin/python did not finish within \(Int(timeout)) s (or could not start)"
                )
            ]
        }
        guard let line = result.output.split(separator: "\n").last(where: { $0.hasPrefix(Self.marker) }),
            let object = try? JSONSerialization.jsonObject(with: Data(line.dropFirst(Self.marker.count).utf8))
                as? [String: String]
        else {
            let tail = result.output.split(separator: "\n").suffix(3).joined(separator: " | ")
            return [Diagnostic(moduleAt, "the import probe in \(venv) failed (exit \(result.status)): \(tail)")]
        }
        var found: [Diagnostic] = []
        for package in packages {
            guard let problem = object["package:" + package.module], !problem.isEmpty else { continue }
            found.append(missing(package, topology, why: "not importable (\(problem))"))
        }
        if let problem = object["app"], !problem.isEmpty {
            found.append(
                Diagnostic(moduleAt, "app \(app.module) in \(app.directory) with the venv \(venv): \(problem)"))
        }
        return found
    }

    /// What each Python server of the topology imports, and from which pinned distribution.
    struct Package: Sendable {
        var component: Component
        var module: String
        var distribution: String
        var requirement: String
        /// Its console script in the venv's `bin/`, when it has one.
        var consoleScript: String?
    }

    static func packages(for topology: Topology) -> [Package] {
        topology.components.compactMap { c -> Package? in
            guard let package = c.kind.facts.venvPackage else { return nil }
            let dist = package.distribution
            return Package(
                component: c, module: package.module, distribution: dist.pythonDistribution ?? dist.rawValue,
                requirement: dist.pinnedRequirements.joined(separator: " "), consoleScript: package.consoleScript)
        }
    }

    /// The servers of the topology that embed Debian's Python and so need a venv made by it.
    static func embeddingKinds(_ topology: Topology) -> [ServerKind] {
        topology.components.map(\.kind).filter { $0.facts.embedsDebianPython }
    }

    /// Why `venv` cannot run Python, or nil.
    public static func venvProblem(_ venv: String, isProjectVenv: Bool = false, topologyPath: String = "TOPOLOGY")
        -> String?
    {
        let fix =
            isProjectVenv
            ? "run \(InstallationComponent.installerCommand) (make run does it)"
            : "create it with python3 -m venv \(venv) (/usr/bin/python3 for mod_wsgi or uWSGI), install the app into it, then run stacktop doctor \(topologyPath) --fix"
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: venv, isDirectory: &isDirectory) else {
            return "the venv \(venv) does not exist: \(fix)"
        }
        guard isDirectory.boolValue else { return "the venv \(venv) is not a directory: \(fix)" }
        guard FileManager.default.isExecutableFile(atPath: venv + "/bin/python") else {
            return "the venv \(venv) has no bin/python, so it is not a virtualenv: \(fix)"
        }
        return nil
    }

    /// Why the app dir cannot be used, or nil.
    public static func directoryProblem(_ directory: String) -> String? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) else {
            return "the app dir \(directory) does not exist"
        }
        guard isDirectory.boolValue else { return "the app dir \(directory) is not a directory" }
        guard FileManager.default.isReadableFile(atPath: directory) else {
            return "the app dir \(directory) cannot be read"
        }
        return nil
    }

    static func fallback(_ topology: Topology) -> SourceLocation {
        topology.app.locations.section ?? SourceLocation(file: topology.sourcePath, line: 1, column: 1)
    }

    static func venvLocation(_ t: Topology) -> SourceLocation { t.app.locations.venv ?? fallback(t) }
    static func directoryLocation(_ t: Topology) -> SourceLocation {
        t.app.locations.directory ?? t.app.locations.module ?? fallback(t)
    }
    static func moduleLocation(_ t: Topology) -> SourceLocation {
        t.app.locations.module ?? t.app.locations.directory ?? fallback(t)
    }

    static let marker = "stacktop-preflight "

    /// Imports each package, then the app's module from the app dir and its (dotted) callable;
    /// prints one JSON line after `marker`: "" for each success, else the exception in one line.
    static let probeScript = """
        import importlib, json, sys, traceback
        app_dir, module, attr, packages = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
        out = {}
        def why(e):
            return "%s: %s" % (type(e).__name__, str(e).splitlines()[0] if str(e) else "")
        for name in packages:
            try:
                importlib.import_module(name)
                out["package:" + name] = ""
            except BaseException as e:
                out["package:" + name] = why(e)
        sys.path.insert(0, app_dir)
        try:
            obj = importlib.import_module(module)
            try:
                for part in attr.split("."):
                    obj = getattr(obj, part)
                out["app"] = "" if callable(obj) else "%s is not callable (a %s), so it is no WSGI app" % (attr, type(obj).__name__)
            except AttributeError:
                out["app"] = "module %s (%s) has no %s" % (module, getattr(sys.modules.get(module), "__file__", "?"), attr)
        except BaseException as e:
            tb = traceback.extract_tb(e.__traceback__)
            where = (" (%s:%s)" % (tb[-1].filename, tb[-1].lineno)) if tb else ""
            out["app"] = "cannot import %s: %s%s" % (module, why(e), where)
        sys.stdout.flush()
        print("\\n\(marker)" + json.dumps(out))
        """
}
