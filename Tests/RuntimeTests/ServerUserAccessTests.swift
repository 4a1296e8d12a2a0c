import Foundation
import Glibc
import Runtime
import StackModel
import StackRecipes
import XCTest
import TestSupport

/// The mod_wsgi daemons (www-data) get a readable mirror of an app dir or venv they cannot read.
final class ServerUserAccessTests: XCTestCase {
    private func topology(kinds: [ServerKind]) -> Topology {
        Topology(
            name: "t", description: "d", sourcePath: "",
            app: AppSpec(module: "app:app", directory: "/private/app", isDemo: true),
            components: kinds.enumerated().map { Component(name: "c\($0.offset)", kind: $0.element) },
            traffic: TrafficSpec())
    }

    private func context(root: Bool) -> LaunchContext {
        LaunchContext(runDir: "/RUN", ports: [:], tools: Toolchain(), venv: "/private/venv", runningAsRoot: root)
    }

    func testMirrorsOnlyWhatTheServerUserCannotRead() throws {
        let cases: [(kinds: [ServerKind], root: Bool, readable: Set<String>, venv: String, app: String)] = [
            ([.apache, .modWSGI], true, [], "/RUN/mirror/venv", "/RUN/mirror/app"),
            ([.apache, .modWSGI], true, ["/private/venv"], "/private/venv", "/RUN/mirror/app"),
            ([.apache, .modWSGI], true, ["/private/venv", "/private/app"], "/private/venv", "/private/app"),
            ([.apache, .modWSGI], false, [], "/private/venv", "/private/app"),
            ([.nginx, .gunicorn], true, [], "/private/venv", "/private/app"),
        ]
        for c in cases {
            let readable = c.readable.union(["/RUN/mirror/venv", "/RUN/mirror/app"])
            let access = ServerUserAccess(canRead: { _, dir in readable.contains(dir) }, mirror: { _, _ in })
            let (t, ctx) = try access.adapt(topology(kinds: c.kinds), context: context(root: c.root))
            XCTAssertEqual(t.app.venv ?? ctx.venv, c.venv, "\(c)")
            XCTAssertEqual(ctx.venv, c.venv, "\(c)")
            XCTAssertEqual(t.app.directory, c.app, "\(c)")
        }
    }

    func testUnreadableMirrorIsAClearError() {
        let access = ServerUserAccess(canRead: { _, _ in false }, mirror: { _, _ in })
        XCTAssertThrowsError(try access.adapt(topology(kinds: [.apache, .modWSGI]), context: context(root: true))) {
            XCTAssertTrue("\($0)".contains("not readable by www-data"), "\($0)")
        }
    }

    /// A real private directory: www-data cannot read it, its hard-linked mirror it can.
    func testRealPrivateDirectoryIsMirroredReadably() throws {
        guard geteuid() == 0 else { throw XCTSkip("needs root to switch to www-data") }
        let base = TestProject.temporaryDirectory("access")
        defer { try? FileManager.default.removeItem(atPath: base) }
        let secret = base + "/private"
        mkdir(secret, 0o700)
        mkdir(secret + "/app", 0o755)
        FileManager.default.createFile(
            atPath: secret + "/app/app.py", contents: Data("x = 1\n".utf8),
            attributes: [.posixPermissions: 0o644])
        XCTAssertFalse(ServerUserAccess.probeAsUser("www-data", secret + "/app"))
        let copy = base + "/open/app"
        mkdir(base + "/open", 0o711)
        try ServerUserAccess.copyTree(secret + "/app", copy)
        XCTAssertTrue(ServerUserAccess.probeAsUser("www-data", copy))
        XCTAssertEqual(RuntimeTestSupport.read(copy + "/app.py"), "x = 1\n")

        // A link to the private tree is followed: the mirror holds the files, not the link.
        XCTAssertEqual(symlink(secret + "/app", base + "/link"), 0)
        let linkCopy = base + "/open/linked"
        try ServerUserAccess.copyTree(base + "/link", linkCopy)
        var st = stat()
        XCTAssertEqual(lstat(linkCopy, &st), 0)
        XCTAssertEqual(st.st_mode & S_IFMT, S_IFDIR)
        XCTAssertTrue(ServerUserAccess.probeAsUser("www-data", linkCopy))
    }
}
