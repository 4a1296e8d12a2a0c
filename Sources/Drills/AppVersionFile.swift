import Foundation
import Glibc
import Live
import StackRecipes

/// The demo app's version file in the launch's TMPDIR (`<run dir>/tmp/stacktop-app-version`):
/// the app reads it once at import and answers with it in `X-App-Version`.
public struct AppVersionFile: Sendable {
    /// Keep in step with VERSION_FILE in topologies/apps/demo/app.py.
    public static let fileName = "stacktop-app-version"

    public let path: String

    public init(runDir: String) {
        path = runDir + "/" + RunDirLayout.tmp + "/" + Self.fileName
    }

    /// The version in the file; 1 when it is missing or unreadable (as the app says then).
    public func current() -> Int {
        guard let f = fopen(path, "r") else { return 1 }
        defer { fclose(f) }
        var buffer = [CChar](repeating: 0, count: 32)
        guard fgets(&buffer, 32, f) != nil else { return 1 }
        let text = String(cString: buffer).trimmingCharacters(in: .whitespacesAndNewlines)
        return Int(text) ?? 1
    }

    /// Writes `version` (world-readable: Apache's www-data daemons read it).
    public func write(_ version: Int) throws(CLIError) {
        let tmp = path + ".new"
        let fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw CLIError("cannot write the app version file \(tmp): \(String(cString: strerror(errno)))")
        }
        let text = "\(version)\n"
        let wrote = text.withCString { Glibc.write(fd, $0, strlen($0)) }
        close(fd)
        guard wrote == text.utf8.count, rename(tmp, path) == 0 else {
            unlink(tmp)
            throw CLIError("cannot write the app version file \(path): \(String(cString: strerror(errno)))")
        }
    }
}
