import Foundation
import StackModel

extension InstallationProbe {
    /// Prints tab-separated lines: the venv's Python version and base prefix, then per package
    /// its name, version and directory (nothing after the name when it is not installed).
    static let pythonScript = """
        import sys, os, importlib.metadata as m, importlib.util as u
        print("python", sys.version.split()[0], sys.base_prefix, sep="\\t")
        for name in sys.argv[1:]:
            try:
                spec = u.find_spec(name)
                print(name, m.version(name), os.path.dirname(spec.origin), sep="\\t")
            except Exception:
                print(name)
        """

    /// The venv and the Python packages in it, from one `python -c` run.
    func pythonStatuses() async -> [InstallationStatus] {
        let packages = InstallationComponent.allCases.filter { $0.pythonDistribution != nil }
        let python = venv + "/bin/python"
        func allMissing(_ why: String) -> [InstallationStatus] {
            [.missing(.venv, why)] + packages.map { .missing($0, "no usable venv at \(venv)") }
        }
        guard FileManager.default.isExecutableFile(atPath: python) else {
            return allMissing("no venv at \(venv)")
        }
        let arguments = ["-c", Self.pythonScript] + packages.compactMap(\.pythonDistribution)
        guard let result = await InstallationCommand(python, arguments, timeout: timeout).run(), result.status == 0
        else {
            return allMissing("\(python) did not run")
        }
        var found: [String: (version: String, path: String)] = [:]
        var venvStatus = InstallationStatus.missing(.venv, "\(python) printed no version")
        for line in result.output.split(separator: "\n") {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            if fields.count == 3, fields[0] == "python" {
                // Debian's mod_wsgi and uWSGI plugin embed /usr's Python 3.11: the venv must share it.
                venvStatus =
                    fields[2] == "/usr" || !requireDebianPython
                    ? .found(.venv, path: venv, version: "Python " + fields[1])
                    : .missing(
                        .venv, "\(venv) uses Python \(fields[1]) from \(fields[2]), not Debian's /usr/bin/python3")
            } else if fields.count == 3 {
                found[fields[0]] = (fields[1], fields[2])
            }
        }
        return [venvStatus]
            + packages.map { component in
                let name = component.pythonDistribution ?? component.rawValue
                if let (version, path) = found[name] {
                    return .found(component, path: path, version: version)
                }
                return .missing(component, "\(name) not installed in \(venv)")
            }
    }
}
