import ArgumentParser
import Glibc
import Runtime
import StackModel
import StackRecipes
import Supervision
import Synchronization

/// `stacktop up TOPOLOGY`: launches a stack headless, streams its events, stops it cleanly.
struct UpCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "up",
        abstract: "Launch a stack without the dashboard and stream its events.",
        discussion: """
        Stops cleanly on SIGINT, SIGTERM or SIGHUP, or after --for seconds. Every process of the \
        stack is stopped when stacktop exits, even if stacktop itself is killed.
        """
    )

    @Argument(help: "A topology name from topologies/ or a path to a topology file.")
    var topology: String

    @Option(name: .customLong("for"), help: "Stop after this many seconds.")
    var seconds: Double?

    @Flag(help: "Print events as JSON Lines.")
    var json = false

    func validate() throws {
        if let seconds, !(seconds > 0) { throw ValidationError("--for needs a positive number of seconds") }
    }

    func run() throws {
        // First thing: from here on SIGINT/SIGTERM/SIGHUP only set a flag, so nothing we start
        // can be left half-launched by a signal's default action.
        let signals = StopSignals()
        defer { withExtendedLifetime(signals) {} } // its dispatch sources must live until we return
        let flag = signals.flag
        let output = EventOutput(json: json)
        let loaded: TopologySource
        do { loaded = try TopologySource.load(topology) } catch { throw CLIError("\(error)") }
        let preparation = LaunchPreparation(paths: loaded.paths)
        let context: LaunchContext
        let plan: Plan
        do {
            let (topology, prepared) = try preparation.prepareLaunch(loaded.topology)
            context = prepared
            plan = try Recipes.plan(for: topology, context: context)
        } catch {
            throw CLIError("\(loaded.topology.name): \(error)")
        }
        output.setKinds(Dictionary(uniqueKeysWithValues: plan.processes.map { ($0.component, $0.kind.rawValue) }))

        if flag.isSet { throw ExitCode(1) }
        let reaper: ReaperClient
        do { reaper = try ReaperClient(argv: ReaperClient.defaultArgv()) } catch {
            throw CLIError("cannot start the reaper that guards against leftovers: \(error)")
        }
        defer { reaper.finish() }
        let launcher = StackLauncher(registry: reaper, shouldStop: { flag.isSet })
        let stack: RunningStack
        do {
            stack = try launcher.launch(plan, runDir: context.runDir, events: output.sink)
        } catch {
            throw ExitCode(1) // the error and the stop were reported as events
        }
        output.ready(url: stack.url, runDir: stack.runDir, afterMs: stack.clock.elapsedMs)

        let deadline = seconds.map { Int($0 * 1000) }
        let running = Stopwatch()
        var reported = Set<String>()
        while !flag.isSet {
            if let deadline, running.elapsedMs >= deadline { break }
            for event in stack.exitEvents(reported: &reported) { output.emit(event) }
            Stopwatch.sleep(ms: 20)
        }
        if let sig = flag.signal, sig > 0 { output.note("received \(SignalName.of(sig)), stopping") }
        let report = launcher.stopper.stop(stack.components, clock: stack.clock, events: output.sink)
        if !report.survivors.isEmpty { throw ExitCode(3) }
    }
}

/// Where `up` writes: JSON Lines or human lines on stdout, unbuffered.
final class EventOutput: Sendable {
    private let json: Bool
    private let text = Mutex(HumanEventText(kinds: [:]))

    init(json: Bool) { self.json = json }

    /// Server kinds by component, for human lines.
    func setKinds(_ kinds: [String: String]) { text.withLock { $0.kinds = kinds } }

    /// The sink to hand the launcher.
    var sink: EventSink { { [self] event in self.emit(event) } }

    func emit(_ event: StackEvent) {
        let out = json ? event.jsonLine + "\n" : text.withLock { $0.text(for: event) }
        EventOutput.write(out)
    }

    /// The human summary once every component is ready (JSON consumers have the events).
    func ready(url: String, runDir: String, afterMs: Int) {
        guard !json else { return }
        EventOutput.write("stack ready in \(afterMs) ms: \(url)  run dir: \(runDir)\n")
    }

    /// A human note (not an event): skipped in JSON mode.
    func note(_ line: String) {
        guard !json else { return }
        EventOutput.write(line + "\n")
    }

    /// Writes all of `s` to `fd` with write(2), so lines appear at once even on a pipe.
    static func write(_ s: String, fd: Int32 = 1) {
        var bytes = Array(s.utf8)[...]
        while !bytes.isEmpty {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return }
            bytes = bytes.dropFirst(n)
        }
    }
}

/// A failure the user reads as one message (ArgumentParser prints it and exits 1).
struct CLIError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
