import ArgumentParser
import Drills
import Runtime
import StackModel
import Supervision
import Traffic

/// `stacktop compare T1 T2 … --scenario NAME [--repeat N]`: the same drill on several stacks,
/// each run on a fresh launch, and a table of medians and spreads.
struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Run the same drill on several stacks and compare their recovery.",
        discussion: """
            For each TOPOLOGY in turn, N times (--repeat): launch it headless, run the drill (see \
            `stacktop drill --help`), stop it. Progress and a one-line result per run go to stderr; \
            the table goes to stdout: aligned text, --markdown, or with --json one JSON line per run \
            (type "drill", in run order) followed by the table (type "compare"). The table shows, per \
            stack, the median and min–max of: exit detected, replacement spawned, first request \
            served by a replacement, recovered (and how many runs did not), failed requests, and the \
            failure window; times in ms after the fault. For the deploy scenarios (reload-app, \
            reload-front, restart-app, deploy, scale-up, scale-down) it shows failed requests and \
            their kinds, the cutover to the new app version, old-version answers after the command, \
            the slowest request and when the stack settled, then the servers' own log lines for the \
            failures. For recycle: recycles in ps and in the server's log, failed requests, p99 and \
            capacity before → while recycling, and the capacity kept. A stack the scenario does not apply to gets a row with the reason. SIGINT stops the current run (it is left out) and prints the table \
            of the runs done so far.

            Exit status: 0 every run recovered; 4 at least one run did not recover; 2 the scenario \
            applies to none of the stacks, or a bad option value; 1 an error (a topology did not load \
            or launch, or the comparison was interrupted); 3 processes survived a stop; 64 the command \
            line could not be parsed.
            """
    )

    @Argument(help: "Topology names from topologies/ or paths to topology files.")
    var topologies: [String] = []

    @Option(help: ArgumentHelp("The scenario to run on every stack (see --list).", valueName: "NAME"))
    var scenario: String?

    @Option(
        name: .customLong("repeat"),
        help: ArgumentHelp("Runs per stack, each on a fresh launch (1...20).", valueName: "N"))
    var repeats: Int = 1

    @Option(
        name: .customLong("load"),
        help: ArgumentHelp(
            "Requests per second during each drill; default: each topology's traffic rate.", valueName: "RPS"))
    var load: Int?

    @Option(
        name: .customLong("signal"),
        help: ArgumentHelp("The signal of a kill-* scenario instead of SIGKILL.", valueName: "SIG"))
    var signal: String?

    @Option(
        name: .customLong("timeout"),
        help: ArgumentHelp("Seconds each stack has to recover after the fault.", valueName: "S"))
    var timeout: Double?

    @Flag(help: "Print each run's report and the table as JSON lines.")
    var json = false

    @Flag(help: "Print the table as GitHub Markdown.")
    var markdown = false

    @Flag(help: "List the scenarios instead of running one.")
    var list = false

    func run() throws {
        let stopFlag = StopFlag(followingSignals: true)
        if list {
            EventOutput.write(try DrillListing.text(topology: topologies.first, json: json))
            return
        }
        guard !topologies.isEmpty else { throw DrillUsage.error("compare needs at least one TOPOLOGY (or --list)") }
        guard let name = scenario else {
            throw DrillUsage.error("compare needs --scenario NAME; `stacktop compare --list` shows them")
        }
        guard !(json && markdown) else { throw DrillUsage.error("choose one of --json and --markdown") }
        guard (1...20).contains(repeats) else { throw DrillUsage.error("--repeat needs 1...20 runs, not \(repeats)") }
        try DrillUsage.check(load: load)
        let chosen = try DrillUsage.scenario(name, signal: signal, timeout: timeout)

        var runs = CompareRuns(scenario: chosen, repeats: repeats)
        let total = topologies.count * repeats
        stacks: for topology in topologies {
            for n in 1...repeats {
                if stopFlag.isSet { break stacks }
                let tag = "compare [\(runs.done + 1)/\(total)] \(topology) run \(n)/\(repeats)"
                let outcome = DrillLaunch.run(
                    topology, scenario: chosen, load: load, stopFlag: stopFlag,
                    progress: DrillUsage.progressPrinter(prefix: tag))
                if stopFlag.isSet {
                    // An interrupted run is not a measurement: it stays out of the table.
                    EventOutput.write("\(tag): interrupted, left out of the table\n", fd: 2)
                    break stacks
                }
                EventOutput.write("\(tag): \(CompareRuns.summary(outcome))\n", fd: 2)
                if json, case let .report(report, _, _) = outcome { EventOutput.write(report.jsonLine + "\n") }
                runs.add(topology, outcome)
                if case .refused = outcome { runs.done += repeats - n; break }
                if case .failed = outcome { runs.done += repeats - n; break }
            }
        }
        let table = runs.comparison
        EventOutput.write(json ? table.json + "\n" : markdown ? table.markdown : table.text)
        if stopFlag.isSet {
            EventOutput.write("stacktop compare: interrupted after \(runs.reports.count) of \(total) runs\n", fd: 2)
            throw ExitCode(1)
        }
        if let status = runs.exitStatus { throw ExitCode(status) }
    }
}
