import Glibc
import Live
import StackRecipes

/// The demo app's "fail to import" switch for the crash-loop drill: a file in the launch's
/// TMPDIR (`<run dir>/tmp`, which every server stacktop starts has as TMPDIR).
///
/// While it exists, `topologies/apps/demo/app.py` raises at import, so every worker or master
/// that starts afresh dies at boot. Only the demo app reads it, and only this launch's processes
/// see this run dir's TMPDIR: user apps and other launches are never affected.
public struct CrashLoopSwitch: Sendable {
    /// The name the demo app looks for (keep in step with FAIL_IMPORT_SWITCH in app.py).
    public static let fileName = "stacktop-demo-fail-import"

    public let path: String

    public init(runDir: String) {
        path = runDir + "/" + RunDirLayout.tmp + "/" + Self.fileName
    }

    /// Creates the switch (world-readable, so Apache's www-data daemons can stat it).
    public func turnOn() throws(CLIError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw CLIError("cannot create the crash-loop switch \(path): \(String(cString: strerror(errno)))")
        }
        let note = "stacktop drill --scenario crash-loop: the demo app refuses to import while this file exists\n"
        _ = note.withCString { write(fd, $0, strlen($0)) }
        close(fd)
    }

    /// Removes the switch; quiet when it is already gone.
    public func turnOff() {
        unlink(path)
    }

    public var isOn: Bool { access(path, F_OK) == 0 }
}
