import Foundation
import StackModel
import StackRecipes

/// Makes the app dir and the venv readable by the user Apache's mod_wsgi daemons run as.
///
/// Apache refuses to serve as root, so its children and mod_wsgi daemons switch to `www-data`.
/// They then need to read the app dir and the venv (`python-home`). A project under a private
/// directory (`/root`, a 0700 `mktemp -d`) is unreadable to them; rather than asking the user to
/// open up their home, stacktop mirrors both into the launch's run dir (hard links where the file
/// system allows, a copy otherwise), whose directories the server user can traverse.
public struct ServerUserAccess: Sendable {
    /// Checks whether `user` can read and traverse a directory (absolute path).
    public var canRead: @Sendable (_ user: String, _ directory: String) -> Bool
    /// Copies the tree at `source` to `destination` (which must not exist yet).
    public var mirror: @Sendable (_ source: String, _ destination: String) throws -> Void

    public init(
        canRead: @escaping @Sendable (String, String) -> Bool = ServerUserAccess.probeAsUser,
        mirror: @escaping @Sendable (String, String) throws -> Void = ServerUserAccess.copyTree
    ) {
        self.canRead = canRead
        self.mirror = mirror
    }

    /// Adapts `topology` and `context` so a mod_wsgi stack's daemons can read what they load.
    /// Stacks without mod_wsgi, and launches not running as root, are returned unchanged.
    public func adapt(_ topology: Topology, context: LaunchContext) throws -> (Topology, LaunchContext) {
        guard context.runningAsRoot, topology.components.contains(where: { $0.kind == .modWSGI }) else {
            return (topology, context)
        }
        var topology = topology
        var context = context
        let user = context.serverUser
        let venv = topology.app.venv ?? context.venv
        if !canRead(user, venv) {
            let copy = context.runDir + "/mirror/venv"
            try mirrorChecked(venv, to: copy, user: user, what: "venv")
            topology.app.venv = copy
            context.venv = copy
        }
        if !canRead(user, topology.app.directory) {
            let copy = context.runDir + "/mirror/app"
            try mirrorChecked(topology.app.directory, to: copy, user: user, what: "app dir")
            topology.app.directory = copy
        }
        return (topology, context)
    }

    private func mirrorChecked(_ source: String, to destination: String, user: String, what: String) throws {
        do {
            try FileManager.default.createDirectory(
                atPath: (destination as NSString).deletingLastPathComponent, withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o711])
            try mirror(source, destination)
        } catch {
            throw AccessError("cannot mirror the \(what) \(source) for \(user) into the run dir: \(error)")
        }
        guard canRead(user, destination) else {
            throw AccessError(
                """
                the \(what) \(source) is not readable by \(user) (Apache's mod_wsgi daemons run as \(user)), \
                and neither is its mirror \(destination): make its files world-readable (chmod -R o+rX)
                """)
        }
    }

    /// Runs `test -r DIR -a -x DIR` as `user` through util-linux's setpriv.
    public static func probeAsUser(_ user: String, _ directory: String) -> Bool {
        let argv = [
            "/usr/bin/setpriv", "--reuid=\(user)", "--regid=\(user)", "--clear-groups",
            "/usr/bin/test", "-r", directory, "-a", "-x", directory,
        ]
        return (try? runQuietly(argv)) == 0
    }

    /// `cp -al` (hard links, new directories) and, across file systems, `cp -a`.
    /// A `source` that is a symlink (a venv linked from elsewhere) is followed, so the mirror
    /// holds the tree itself, not another link into the unreadable place.
    public static func copyTree(_ source: String, _ destination: String) throws {
        let source = URL(fileURLWithPath: source).resolvingSymlinksInPath().path
        if try runQuietly(["/bin/cp", "-al", source, destination]) == 0 { return }
        try? FileManager.default.removeItem(atPath: destination)
        let status = try runQuietly(["/bin/cp", "-a", source, destination])
        guard status == 0 else { throw AccessError("cp -a \(source) \(destination) exited with \(status)") }
    }

    private static func runQuietly(_ argv: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: argv[0])
        process.arguments = Array(argv.dropFirst())
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }
}

/// A directory the server user cannot read, and could not be given a readable copy of.
public struct AccessError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
