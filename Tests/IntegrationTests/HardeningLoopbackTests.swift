import Foundation
import Glibc
import XCTest
import Runtime
import StackRecipes

/// Running stacks listen on loopback only, keep their run dirs private and never copy the
/// launching environment's secrets into configs, logs or their servers' environments.
final class HardeningLoopbackTests: XCTestCase {
    static let stacks = ["nginx-gunicorn-supervisord", "uwsgi", "apache-mod-wsgi", "lighttpd-flup"]

    /// Variables whose names look secret, set in stacktop's own environment.
    static let secrets: [String: String] = [
        "STACKTOP_TEST_SECRET_TOKEN": "s3cr3t-xyz-\(getpid())",
        "AWS_SECRET_ACCESS_KEY": "aws-s3cr3t-\(getpid())",
        "DATABASE_PASSWORD": "db-pa55-\(getpid())",
        "GITHUB_TOKEN": "ghp_t0ken\(getpid())",
    ]

    func testListenersAreLoopbackRunDirsPrivateAndSecretsNotCopied() throws {
        try IntegrationSupport.skipUnlessEveryServerInstalled()
        // All at once: also shows that concurrent stacks do not trip over each other.
        let runs = try HardeningLoopbackTests.stacks.map {
            try UpRun(["up", $0, "--json", "--for", "120"], environment: HardeningLoopbackTests.secrets)
        }
        defer { for run in runs { run.cleanUp() } }
        var sessionsByStack: [String: Set<Int32>] = [:]
        var runDirs: [String: String] = [:]
        for (stack, up) in zip(HardeningLoopbackTests.stacks, runs) {
            let components = try TopologySource.load(stack, paths: IntegrationSupport.paths).topology.components.count
            // Every component ready, then the front door checked: the launch is over once the
            // watcher reports its first processes (a SIGINT before that interrupts the launch: exit 1).
            let ready =
                up.waitFor("ready", count: components, timeoutMs: 60_000) && up.waitFor("spawned", timeoutMs: 30_000)
            XCTAssertTrue(ready, "\(stack): not ready: \(up.stdout) \(up.stderr)")
            guard ready, let runDir = up.runDir else { continue }
            sessionsByStack[stack] = up.eventPids
            // The secrets did reach stacktop, so finding none below means something.
            XCTAssertTrue(
                StackResidue.environment(of: up.pid).contains(HardeningLoopbackTests.secrets["GITHUB_TOKEN"]!))
            runDirs[stack] = runDir
        }

        for stack in HardeningLoopbackTests.stacks {
            guard let runDir = runDirs[stack], let sessions = sessionsByStack[stack] else { continue }
            let pids = StackResidue.pids(sessions: sessions, runDir: runDir)
            let inodes = StackResidue.socketInodes(of: pids)
            let listening = ListeningSocket.all().filter { inodes.contains($0.inode) }
            print(
                "\(stack): \(pids.count) processes, listening on \(listening.map(\.description).joined(separator: ", "))"
            )
            XCTAssertFalse(listening.isEmpty, "\(stack): found no listening socket of its \(pids.count) processes")
            XCTAssertEqual(listening.filter { !$0.isLoopback }, [], "\(stack): listens beyond loopback")
            assertPrivate(runDir, stack: stack)
            assertNoSecrets(runDir: runDir, pids: pids, stack: stack)
        }

        for up in runs { up.process.send(SIGINT) }
        for (stack, up) in zip(HardeningLoopbackTests.stacks, runs) {
            XCTAssertEqual(
                up.process.wait(timeoutMs: 30_000), .exited(0),
                "\(stack): \(up.stderr) last events: \(up.stdout.split(separator: "\n").suffix(8).joined(separator: "\n"))"
            )
            XCTAssertEqual(
                StackResidue.processes(sessions: sessionsByStack[stack] ?? [], runDir: runDirs[stack]), [],
                "\(stack): left running")
        }
    }

    /// The run dir is 0711 and its subdirectories have the modes of `RunDirLayout`; no file
    /// or directory in it is writable by others.
    private func assertPrivate(_ runDir: String, stack: String) {
        XCTAssertEqual(mode(runDir), mode_t(RunDirLayout.runDirMode), "\(stack): \(runDir)")
        for sub in RunDirLayout.topLevel {
            XCTAssertEqual(mode(runDir + "/" + sub), mode_t(RunDirLayout.mode(of: sub)), "\(stack): \(sub)/")
        }
        XCTAssertEqual(mode(runDir + "/" + RunDirLayout.conf), 0o700, "\(stack): conf/ must be private")
        XCTAssertEqual(mode(runDir + "/" + RunDirLayout.logs), 0o700, "\(stack): logs/ must be private")
        let walker = FileManager.default.enumerator(atPath: runDir)
        while let relative = walker?.nextObject() as? String {
            var st = stat()
            guard lstat(runDir + "/" + relative, &st) == 0 else { continue }
            let isSocket = (st.st_mode & S_IFMT) == S_IFSOCK
            // Symlinks (a mirrored venv's bin/python) always show 0777 on Linux; their mode is unused.
            let isSymlink = (st.st_mode & S_IFMT) == S_IFLNK
            // Unix sockets are world-connectable on purpose (nginx's workers run as nobody).
            if !isSocket && !isSymlink {
                XCTAssertEqual(
                    st.st_mode & 0o002, 0,
                    "\(stack): \(relative) is writable by others (mode \(String(st.st_mode & 0o7777, radix: 8)))")
            }
            let top = String(relative.split(separator: "/").first ?? "")
            if (top == RunDirLayout.conf || top == RunDirLayout.logs) && relative.contains("/")
                && (st.st_mode & S_IFMT) == S_IFDIR
            {
                XCTAssertEqual(st.st_mode & 0o077, 0, "\(stack): \(relative) must be private like \(top)/")
            }
        }
    }

    /// No secret value appears in any file of the run dir nor in the environment of the stack's processes.
    private func assertNoSecrets(runDir: String, pids: Set<Int32>, stack: String) {
        var checked = 0
        let walker = FileManager.default.enumerator(atPath: runDir)
        while let relative = walker?.nextObject() as? String {
            var st = stat()
            guard lstat(runDir + "/" + relative, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG,
                let data = FileManager.default.contents(atPath: runDir + "/" + relative)
            else { continue }
            checked += 1
            let text = String(decoding: data, as: UTF8.self)
            for (name, value) in HardeningLoopbackTests.secrets {
                XCTAssertFalse(text.contains(value), "\(stack): \(relative) contains the value of \(name)")
            }
        }
        XCTAssertGreaterThan(checked, 2, "\(stack): the run dir holds its configs and logs")
        for pid in pids {
            let environment = StackResidue.environment(of: pid)
            for (name, value) in HardeningLoopbackTests.secrets {
                XCTAssertFalse(
                    environment.contains(value) || environment.contains(name + "="),
                    "\(stack): pid \(pid) inherited \(name)")
            }
        }
    }

    private func mode(_ path: String) -> mode_t {
        var st = stat()
        return stat(path, &st) == 0 ? st.st_mode & 0o7777 : 0
    }
}
