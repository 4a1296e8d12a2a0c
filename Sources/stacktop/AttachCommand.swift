import ArgumentParser
import Discovery
import Glibc
import Live
import Runtime
import StackModel
import Supervision
import Terminal
import Traffic

/// `stacktop attach TARGET`: watch a running deploy stacktop did not launch, and leave it running.
struct AttachCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attach",
        abstract: "Watch a running deploy that stacktop did not launch (it is never stopped).",
        discussion: """
            TARGET is :PORT, HOST:PORT, a pid, or the path of a unix socket. stacktop finds the deploy \
            from the kernel and the servers' own configs: the process holding the socket, its master, \
            the next hop from the front server's config (nginx -T), the app server's master and \
            workers, supervisord above them, the unit from /proc/PID/cgroup, and the access logs, \
            which are followed from their end. On a terminal it opens the dashboard; q detaches and \
            leaves every process running. With --json or --for, or without a terminal, it streams the \
            same events as `stacktop up` and ends with `detached`. Fault keys ask for confirmation \
            naming the pid, role and signal; --read-only disables them. Without TARGET, on a terminal, \
            it offers the deploys found on this machine in a picker (Enter attaches, q or Esc quits).
            """
    )

    @Argument(help: "What to attach to: :PORT, HOST:PORT, a pid, or a unix socket path.")
    var target: String?

    @Flag(name: .long, help: "List the deploys found on this machine instead.")
    var list = false

    @Flag(help: "Print JSON (events as JSON Lines; with --list one object).")
    var json = false

    @Option(name: .customLong("for"), help: "Detach after this many seconds (headless).")
    var seconds: Double?

    @Option(
        name: .customLong("load"),
        help: ArgumentHelp(
            "Send RPS requests per second to the front door (loopback front doors only; headless).", valueName: "RPS"))
    var load: Int?

    @Flag(name: .customLong("read-only"), help: "Disable the fault keys and drills.")
    var readOnly = false

    func validate() throws {
        if let seconds, !(seconds > 0) { throw ValidationError("--for needs a positive number of seconds") }
        if let load, !(1...LoadSettings.maxRate).contains(load) {
            throw ValidationError("--load needs a rate of 1...\(LoadSettings.maxRate) requests per second, not \(load)")
        }
        if !list && target == nil && !(isatty(0) == 1 && isatty(1) == 1) {
            throw ValidationError("give a TARGET (:PORT, HOST:PORT, a pid or a unix socket path), or --list")
        }
    }

    func run() async throws {
        let discoverer = Discoverer(system: LinuxSystemView())
        // Without a TARGET only a plain run on a terminal picks; --json, --for and --load list, as before.
        if list || (target == nil && (json || seconds != nil || load != nil)) {
            let deploys = discoverer.list()
            EventOutput.write(json ? AttachListing.json(deploys).encoded + "\n" : AttachListing.text(deploys))
            return
        }
        guard let text = target else { return try await pickAndAttach(discoverer.list()) }
        let deploy: DiscoveredDeploy
        do {
            deploy = try discoverer.discover(try AttachTarget.parse(text), as: text)
        } catch {
            EventOutput.write("stacktop attach: \(error)\n", fd: 2)
            throw ExitCode(2)
        }
        let headless = json || seconds != nil || load != nil || !(isatty(0) == 1 && isatty(1) == 1)
        if headless {
            try runHeadless(deploy)
        } else {
            try await AttachDashboard.run(deploy, readOnly: readOnly)
        }
    }

    /// No TARGET on a terminal: the deploys found here in the picker; Enter attaches to the
    /// chosen one as `attach :PORT` would, q or Esc quits and nothing was touched.
    private func pickAndAttach(_ deploys: [DiscoveredDeploy]) async throws {
        guard !deploys.isEmpty else {
            EventOutput.write("stacktop attach: " + AttachListing.text(deploys), fd: 2)
            throw ExitCode(1)
        }
        SignalCatcher.install()
        guard let deploy = try await AttachPicker.choose(from: deploys) else {
            EventOutput.write("stacktop: no deploy chosen; nothing was attached\n")
            return
        }
        try await AttachDashboard.run(deploy, readOnly: readOnly)
    }

    private func runHeadless(_ deploy: DiscoveredDeploy) throws {
        let flag = StopFlag(followingSignals: true)
        let output = EventOutput(json: json)
        output.setKinds(Dictionary(deploy.servers.map { ($0.name, $0.kind.rawValue) }, uniquingKeysWith: { a, _ in a }))
        output.note("attached to \(deploy.summary)")
        for note in deploy.notes { output.note("note: \(note)") }
        let live = LiveStack.attach(deploy, events: output.sink)
        if let load {
            if !deploy.frontDoorIsLoopback {
                output.emit(
                    StackEvent(
                        tMs: live.stack.clock.elapsedMs,
                        .error(
                            message: "no load sent: the front door \(deploy.frontDoor) is not a loopback address",
                            logTail: [])))
            } else {
                do { try live.traffic.startLoad(rate: load) } catch {
                    output.emit(
                        StackEvent(
                            tMs: live.stack.clock.elapsedMs,
                            .error(message: "cannot start the load: \(error)", logTail: [])))
                }
            }
        }
        let deadline = seconds.map { Int($0 * 1000) }
        let running = Stopwatch()
        while !flag.isSet {
            if let deadline, running.elapsedMs >= deadline { break }
            Stopwatch.sleep(ms: min(50, max(1, (deadline ?? Int.max) - running.elapsedMs)))
        }
        if let sig = flag.signal, sig > 0 { output.note("received \(Signal(sig).name), detaching") }
        live.close()
    }
}
