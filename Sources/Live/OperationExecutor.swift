import Foundation
import Glibc
import Runtime
import StackModel
import StackRecipes
import Supervision
import Synchronization

/// Carries out one operation on a live stack (a reload, a restart, one worker more or less) as
/// its recipe says: a checked signal (through `FaultInjector`), a write to uWSGI's master FIFO,
/// a supervisorctl command run on its own thread, or a restart in place (stop + start, on its
/// own thread: `LiveStack.restartInPlace`). Shared by the dashboard's keys and the
/// deploy drills. Never blocks on a command; `ended` says when it finished.
public struct OperationExecutor: Sendable {
    /// What went out, when, and the `fault` event that says so (not yet emitted).
    public struct Started: Sendable {
        public var atMs: Int
        public var event: StackEvent
    }

    public let live: LiveStack

    public init(live: LiveStack) { self.live = live }
    /// How long a command may run before it is killed.
    public static let commandTimeoutMs = 30_000

    /// The recipe for `op` on `component` of this stack.
    public func recipe(_ op: ComponentOperation, component: String) -> OperationRecipe {
        guard let prepared = live.prepared else {
            let why =
                "\(op.title) works on stacks stacktop launched (it uses the launch's own files); this deploy was attached"
            return OperationRecipe(operation: op, component: component, method: .unsupported(why), how: why)
        }
        return Operations.recipe(op, component: component, topology: prepared.topology, context: prepared.context)
    }

    /// Starts `recipe`. `rootPid` is the process a signal goes to (from `components`). `ended`
    /// is called once, from any thread: at once for a signal or a FIFO write, when the command
    /// exits for a command (with its output and whether it failed). Throws when nothing went out.
    public func start(
        _ recipe: OperationRecipe, rootPid: Int32?, components: [ComponentView],
        ended: @escaping @Sendable (_ atMs: Int, _ output: String?, _ failed: Bool) -> Void
    ) throws(CLIError) -> Started {
        let title = recipe.operation.title
        switch recipe.method {
        case let .unsupported(why):
            throw CLIError("\(recipe.component): cannot \(title): \(why)")
        case let .signalRoot(component, signal):
            guard let pid = rootPid else { throw CLIError("\(component) has no live root process to signal") }
            let name = DrillSignal.name(signal)
            let outcome = FaultInjector(live: live).send(
                signal, name: name, to: pid, component: component, root: true,
                components: components)
            var event = outcome.event
            if case let .fault(_, detail) = event.kind {
                event.kind = .fault(action: "\(title) (\(name))", detail: detail)
            }
            guard outcome.delivered else {
                if case let .fault(_, detail) = outcome.event.kind {
                    throw CLIError("\(name) to pid \(pid): \(detail)")
                }
                throw CLIError("\(name) to pid \(pid) was not delivered")
            }
            ended(event.tMs, nil, false)
            return Started(atMs: event.tMs, event: event)
        case let .fifo(path, command):
            let fd = open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC)
            guard fd >= 0 else {
                throw CLIError("cannot open uWSGI's master FIFO \(path): \(String(cString: strerror(errno)))")
            }
            let at = live.stack.clock.elapsedMs
            let wrote = command.withCString { write(fd, $0, strlen($0)) }
            close(fd)
            guard wrote == command.utf8.count else {
                throw CLIError("cannot write to uWSGI's master FIFO \(path): \(String(cString: strerror(errno)))")
            }
            ended(at, nil, false)
            return Started(
                atMs: at,
                event: StackEvent(
                    tMs: at, .fault(action: "\(title) (FIFO '\(command)')", detail: ""),
                    component: recipe.component))
        case let .restartInPlace(component):
            let at = live.stack.clock.elapsedMs
            let thread = Thread { [live] in
                do throws(CLIError) {
                    let summary = try live.restartInPlace(component)
                    ended(live.stack.clock.elapsedMs, summary, false)
                } catch {
                    ended(live.stack.clock.elapsedMs, error.description, true)
                }
            }
            thread.name = "stacktop.restart"
            thread.start()
            return Started(
                atMs: at,
                event: StackEvent(
                    tMs: at, .fault(action: "\(title) (stop + start)", detail: ""),
                    component: recipe.component))
        case let .command(argv):
            let at = live.stack.clock.elapsedMs
            try runCommand(argv, component: recipe.component, ended: ended)
            let words = argv.dropFirst(3).joined(separator: " ")
            return Started(
                atMs: at,
                event: StackEvent(
                    tMs: at, .fault(action: "\(title) (supervisorctl \(words))", detail: ""),
                    component: recipe.component))
        }
    }

    /// Spawns `argv` with its output in `logs/<component>.operation.out` and waits for it on its
    /// own thread (which the child dies with: parent-death signal).
    private func runCommand(
        _ argv: [String], component: String,
        ended: @escaping @Sendable (Int, String?, Bool) -> Void
    ) throws(CLIError) {
        let outPath = live.runDir + "/" + RunDirLayout.logs + "/" + component + ".operation.out"
        let clock = live.stack.clock
        let started = Mutex<Result<Void, CLIError>?>(nil)
        let thread = Thread {
            let fd = open(outPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
            guard fd >= 0 else {
                started.withLock { $0 = .failure(CLIError("\(outPath): \(String(cString: strerror(errno)))")) }
                return
            }
            let request = SpawnRequest(
                argv: argv, environment: ["PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8"],
                workingDirectory: live.runDir, stdoutFD: fd, stderrFD: fd, newSession: false,
                parentDeathSignal: SIGKILL)
            let pid: Int32
            do { pid = try ProcessSpawner().spawn(request) } catch {
                close(fd)
                started.withLock { $0 = .failure(CLIError("cannot run \(argv[0]): \(error)")) }
                return
            }
            close(fd)
            started.withLock { $0 = .success(()) }
            let child = ChildProcess(pid: pid, startTimeTicks: 0)
            var status = child.wait(timeoutMs: Self.commandTimeoutMs, intervalMs: 10)
            if status == nil {
                child.send(SIGKILL)
                status = child.wait(timeoutMs: 1_000)
            }
            let output = Self.read(outPath)
            ended(clock.elapsedMs, output, status != .exited(0))
        }
        thread.name = "stacktop.operation"
        thread.start()
        let waited = Stopwatch()
        while waited.elapsedMs < 5_000 {
            if let result = started.withLock({ $0 }) {
                if case let .failure(error) = result { throw error }
                return
            }
            Stopwatch.sleep(ms: 1)
        }
    }

    /// The file's text, trimmed, at most 500 bytes; nil when empty or unreadable.
    public static func read(_ path: String) -> String? {
        guard let f = fopen(path, "r") else { return nil }
        defer { fclose(f) }
        var buffer = [UInt8](repeating: 0, count: 501)
        let n = fread(&buffer, 1, 500, f)
        let text = String(decoding: buffer[0..<n], as: UTF8.self)
            .split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }.joined(separator: "; ")
        return text.isEmpty ? nil : text
    }
}
