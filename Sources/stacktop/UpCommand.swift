import ArgumentParser
import Glibc
import Live
import Runtime
import StackModel
import StackRecipes
import Supervision
import Synchronization
import Traffic

/// `stacktop up TOPOLOGY`: launches a stack headless, streams its events, stops it cleanly.
struct UpCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "up",
        abstract: "Launch a stack without the dashboard and stream its events.",
        discussion: """
            Stops cleanly on SIGINT, SIGTERM or SIGHUP, or after --for seconds. Every process of the \
            stack is stopped when stacktop exits, even if stacktop itself is killed.

            Once a second a `traffic` event reports stacktop's own requests (with --load) and every \
            request the servers' access logs show, whoever sent it; right before `stopped` a final \
            `traffic` event ("final": true) carries the run's totals. The run dir keeps the logs.
            """
    )

    @Argument(help: "A topology name from topologies/ or a path to a topology file.")
    var topology: String

    @Option(name: .customLong("for"), help: "Stop after this many seconds.")
    var seconds: Double?

    @Option(
        name: .customLong("load"),
        help: ArgumentHelp(
            "Send RPS requests per second (1...\(LoadSettings.maxRate)) to the front door, with the topology's traffic mix.",
            valueName: "RPS"))
    var load: Int?

    @Option(
        name: .customLong("requests"),
        help: ArgumentHelp(
            "With --load: send exactly N requests, then keep the stack running without load.", valueName: "N"))
    var requests: Int?

    @Flag(help: "Print events as JSON Lines.")
    var json = false

    func validate() throws {
        if let seconds, !(seconds > 0) { throw ValidationError("--for needs a positive number of seconds") }
        if let load, !(1...LoadSettings.maxRate).contains(load) {
            throw ValidationError("--load needs a rate of 1...\(LoadSettings.maxRate) requests per second, not \(load)")
        }
        if let requests {
            guard load != nil else { throw ValidationError("--requests needs --load RPS (the rate to send them at)") }
            guard requests >= 1 else { throw ValidationError("--requests needs a positive number of requests") }
        }
    }

    func run() throws {
        // First thing: from here on SIGINT/SIGTERM/SIGHUP only set a flag, so nothing we start
        // can be left half-launched by a signal's default action.
        let flag = StopFlag(followingSignals: true)
        let output = EventOutput(json: json)
        let prepared: LiveStack.Prepared
        do { prepared = try LiveStack.prepare(topology) } catch {
            throw output.failedBeforeLaunch(error)
        }
        output.setKinds(prepared.kinds)

        if flag.isSet { throw output.failedBeforeLaunch(CLIError("stopped by a signal before the launch")) }
        let live: LiveStack
        do {
            live = try LiveStack.launch(prepared, events: output.sink, shouldStop: { flag.isSet })
        } catch is LiveStack.LaunchFailed {
            throw ExitCode(1)  // the error and the stop were reported as events
        } catch {
            throw output.failedBeforeLaunch(error)
        }
        output.ready(url: live.url, runDir: live.runDir, afterMs: live.stack.clock.elapsedMs)
        if let load {
            do {
                try live.traffic.startLoad(rate: load, requests: requests)
            } catch {
                output.emit(
                    StackEvent(
                        tMs: live.stack.clock.elapsedMs,
                        .error(message: "cannot start the load: \(error)", logTail: [])))
                live.stop()
                output.note("run dir (logs kept): \(live.runDir)")
                throw ExitCode(1)
            }
        }

        // The watcher reports what happens; this thread only waits for the end.
        let deadline = seconds.map { Int($0 * 1000) }
        let running = Stopwatch()
        // The launch's code pages are let go of a few seconds on, and again when more are mapped in.
        var trimmer = CodePageTrimmer()
        trimmer.requestSoon(nowMs: 0)
        var trimmedMs = 0
        while !flag.isSet {
            if let deadline, running.elapsedMs >= deadline { break }
            if running.elapsedMs - trimmedMs >= 1000 {
                trimmedMs = running.elapsedMs
                if trimmer.tick(nowMs: trimmedMs, fileKB: CodePageTrimmer.ownFileKB() ?? 0) {
                    ExecutableCodePages.release()
                }
            }
            Stopwatch.sleep(ms: min(50, max(1, (deadline ?? Int.max) - running.elapsedMs)))
        }
        if let sig = flag.signal, sig > 0 { output.note("received \(Signal(sig).name), stopping") }
        let report = live.stop()
        output.note("run dir (logs kept): \(live.runDir)")
        if let report, !report.survivors.isEmpty { throw ExitCode(3) }
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

    /// Writes one event; whole lines under one lock, since the watcher and the traffic ticker
    /// emit from their own threads.
    func emit(_ event: StackEvent) {
        text.withLock { text in
            let out: String
            if json {
                out = event.jsonLine + "\n"
            } else if case let .traffic(traffic) = event.kind {
                out = TrafficText.text(for: traffic)
            } else {
                out = text.text(for: event)
            }
            EventOutput.write(out)
        }
    }

    /// The human summary once every component is ready (JSON consumers have the events).
    func ready(url: String, runDir: String, afterMs: Int) {
        guard !json else { return }
        EventOutput.write("stack ready in \(afterMs) ms: \(url)  run dir: \(runDir)\n")
    }

    /// A failure before anything was launched (bad topology, missing venv or app dir, no
    /// reaper): under --json it ends the stream as an `error` event saying why. Returns the
    /// error to throw, which ArgumentParser prints to standard error and exits 1 with.
    func failedBeforeLaunch(_ error: Error) -> Error {
        if json { emit(StackEvent(tMs: 0, .error(message: "\(error)", logTail: []))) }
        return error
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
