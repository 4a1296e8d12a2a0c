/// Whether a virtualenv can be used by servers that embed Debian's Python (mod_wsgi,
/// uWSGI's python3 plugin), judged from the text of its `pyvenv.cfg` (the Runtime reads it).
public struct VenvCompatibility: Sendable, Equatable {
    /// True when the embedded interpreter can load the venv's packages.
    public var isCompatible: Bool
    /// What to tell the user; empty when compatible.
    public var message: String

    /// The directory Debian's python3 lives in; a venv made by it has `home = /usr/bin`.
    public static let debianPythonHome = "/usr/bin"

    /// Judges `pyvenvCfg` (the file's contents) for a server `server` (e.g. "mod_wsgi") that
    /// embeds Debian's Python `embeddedVersion` (major.minor, e.g. "3.11"); `venv` is only
    /// used in the message.
    public static func check(
        pyvenvCfg: String, venv: String, server: String,
        embeddedVersion: String = "3.11"
    ) -> VenvCompatibility {
        var values: [String: String] = [:]
        for line in pyvenvCfg.split(whereSeparator: \.isNewline) {
            let parts = line.split(separator: "=", maxSplits: 1)
            guard parts.count == 2 else { continue }
            values[parts[0].trimmed.lowercased()] = parts[1].trimmed
        }
        let fix = "make the venv with Debian's Python: /usr/bin/python3 -m venv \(venv) (then reinstall its packages)"
        guard let home = values["home"] else {
            return VenvCompatibility(
                isCompatible: false,
                message:
                    "\(venv)/pyvenv.cfg has no `home` line, so stacktop cannot tell which Python made it; \(server) embeds Debian's Python \(embeddedVersion): \(fix)"
            )
        }
        let normalized = home.hasSuffix("/") ? String(home.dropLast()) : home
        guard normalized == debianPythonHome else {
            return VenvCompatibility(
                isCompatible: false,
                message:
                    "\(server) embeds Debian's Python \(embeddedVersion), but \(venv) was made by the Python in \(home); its packages would not load: \(fix)"
            )
        }
        let version = values["version"] ?? values["version_info"] ?? ""
        let majorMinor = version.split(separator: ".").prefix(2).joined(separator: ".")
        if !majorMinor.isEmpty && majorMinor != embeddedVersion {
            return VenvCompatibility(
                isCompatible: false,
                message: "\(server) embeds Python \(embeddedVersion), but \(venv) is a Python \(version) venv: \(fix)")
        }
        return VenvCompatibility(isCompatible: true, message: "")
    }
}

extension Substring {
    /// Without leading and trailing whitespace.
    var trimmed: String {
        String(drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
