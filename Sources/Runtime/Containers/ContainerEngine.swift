import Foundation
import Glibc

/// stacktop's podman: every call runs `/usr/bin/podman` with `CONTAINERS_CONF` pointing at the
/// project's own `containers/containers.conf` (runc, no default ulimits, host network), so
/// nothing is installed into /etc and the machine's own podman settings stay untouched.
public struct ContainerEngine: Sendable {
    public var podman: String
    /// Absolute path of the containers.conf passed as CONTAINERS_CONF.
    public var config: String

    public init(podman: String = "/usr/bin/podman", config: String) {
        self.podman = podman
        self.config = config
    }

    /// The engine for the project at `paths` (its shipped `containers/containers.conf`).
    public init(paths: ProjectPaths) {
        self.init(config: paths.root + "/containers/containers.conf")
    }

    /// Whether podman is installed and executable.
    public var isInstalled: Bool { access(podman, X_OK) == 0 }

    /// The environment of every podman call: a plain PATH (podman finds runc, conmon and
    /// slirp4netns there), CONTAINERS_CONF, and the caller's HOME/TMPDIR.
    public var environment: [String: String] {
        let inherited = ProcessInfo.processInfo.environment
        var env = [
            "PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            "CONTAINERS_CONF": config, "LANG": "C.UTF-8",
        ]
        for key in ["HOME", "TMPDIR", "XDG_RUNTIME_DIR"] { if let v = inherited[key] { env[key] = v } }
        return env
    }

    /// What a command printed and how it ended.
    public struct Result: Sendable {
        public var status: Int32
        public var output: String
        public var ok: Bool { status == 0 }
        /// The last `n` non-empty lines of the output.
        public func tail(_ n: Int = 6) -> [String] {
            Array(output.split(separator: "\n").map(String.init).suffix(n))
        }
    }

    /// Runs `podman ARGS`, stdout and stderr together; killed after `timeoutSeconds`.
    public func run(_ args: [String], timeoutSeconds: Double = 120) -> Result {
        CommandRun.run([podman] + args, environment: environment, timeoutSeconds: timeoutSeconds)
    }

    /// True when the image exists locally.
    public func imageExists(_ image: String) -> Bool {
        run(["image", "exists", image], timeoutSeconds: 30).ok
    }

    /// Host pid of the container's PID 1 (`State.Pid`), 0 when it does not run.
    public func initPid(_ container: String) -> Int32 {
        let r = run(["inspect", "--format", "{{.State.Pid}}", container], timeoutSeconds: 30)
        return r.ok ? Int32(r.output.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0 : 0
    }

    /// Exit code podman recorded for a stopped container (nil when unknown).
    public func exitCode(_ container: String) -> Int32? {
        let r = run(["inspect", "--format", "{{.State.ExitCode}}", container], timeoutSeconds: 30)
        return r.ok ? Int32(r.output.trimmingCharacters(in: .whitespacesAndNewlines)) : nil
    }

    /// `podman rm -f -t 0` the container named in `cidfile` (or by `name` when the file was
    /// never written); true when it is gone.
    @discardableResult
    public func remove(cidfile: String, name: String) -> Bool {
        let target = FileManager.default.fileExists(atPath: cidfile) ? ["--cidfile", cidfile] : [name]
        let r = run(["rm", "-f", "-t", "0", "--ignore"] + target, timeoutSeconds: 60)
        if r.ok { try? FileManager.default.removeItem(atPath: cidfile) }
        return r.ok
    }

    /// `podman pod rm -f -t 0` the pod named in `idFile` (or by `name` when the file was never
    /// written), with every container in it; true when it is gone.
    @discardableResult
    public func removePod(idFile: String, name: String) -> Bool {
        let target = FileManager.default.fileExists(atPath: idFile) ? ["--pod-id-file", idFile] : [name]
        let r = run(["pod", "rm", "-f", "-t", "0", "--ignore"] + target, timeoutSeconds: 60)
        if r.ok { try? FileManager.default.removeItem(atPath: idFile) }
        return r.ok
    }

    /// Names of the pods whose name starts with `prefix`.
    public func pods(named prefix: String) -> [String] {
        let r = run(["pod", "ps", "--format", "{{.Name}}"], timeoutSeconds: 30)
        guard r.ok else { return [] }
        return r.output.split(separator: "\n").map(String.init).filter { $0.hasPrefix(prefix) }
    }

    /// Names of the containers (running or not) whose name starts with `prefix`.
    public func containers(named prefix: String) -> [String] {
        let r = run(["ps", "-a", "--format", "{{.Names}}"], timeoutSeconds: 30)
        guard r.ok else { return [] }
        return r.output.split(separator: "\n").map(String.init).filter { $0.hasPrefix(prefix) }
    }
}

/// Runs a program to completion with its output captured in a file (never a pipe: `podman
/// run -d` leaves conmon holding whatever podman's stdout was, so a pipe would never reach EOF),
/// bounded in time.
public enum CommandRun {
    public static func run(
        _ argv: [String], environment: [String: String], timeoutSeconds: Double,
        outputFile: String? = nil, directory: String? = nil,
        shouldStop: @Sendable () -> Bool = { false }
    ) -> ContainerEngine.Result {
        let path =
            outputFile ?? NSTemporaryDirectory() + "/stacktop-cmd-\(getpid())-\(UInt64.random(in: 0...UInt64.max)).out"
        _ = FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600])
        defer { if outputFile == nil { try? FileManager.default.removeItem(atPath: path) } }
        let fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC)
        guard fd >= 0 else { return ContainerEngine.Result(status: 127, output: "cannot write \(path)") }
        defer { close(fd) }
        // stacktop's own spawner and waitpid: its children are reaped by their spawner only.
        let pid: Int32
        do {
            pid = try ProcessSpawner().spawn(
                SpawnRequest(
                    argv: argv, environment: environment,
                    workingDirectory: directory ?? "", stdinFD: nil,
                    stdoutFD: fd, stderrFD: fd, newSession: false))
        } catch {
            return ContainerEngine.Result(status: 127, output: "cannot run \(argv[0]): \(error)")
        }
        let child = ChildProcess(pid: pid, startTimeTicks: 0)
        // Polled, so a stop request (SIGINT during a long image build) ends the command early:
        // SIGTERM first (mmdebstrap removes its temporary directory), SIGKILL after 5 s.
        let clock = Stopwatch()
        var status: ChildProcess.ExitStatus?
        var stopped = false
        while status == nil && clock.elapsedMs < Int(timeoutSeconds * 1000) {
            if shouldStop() { stopped = true; break }
            status = child.wait(timeoutMs: 100, intervalMs: 10)
        }
        let timedOut = status == nil
        if timedOut {
            child.send(SIGTERM)
            status = child.wait(timeoutMs: 5000)
            if stopped { return ContainerEngine.Result(status: 130, output: "interrupted") }
            child.send(SIGKILL)
            status = child.wait(timeoutMs: 5000)
        }
        var text =
            FileManager.default.contents(atPath: path).map { String(decoding: $0.suffix(16_000), as: UTF8.self) } ?? ""
        if timedOut { text += "\n(killed after \(Int(timeoutSeconds)) s)" }
        let code: Int32
        switch status {
        case let .exited(c)?: code = c
        case let .signaled(sig)?: code = 128 + sig
        case nil: code = 124
        }
        return ContainerEngine.Result(status: timedOut ? 124 : code, output: text)
    }
}
