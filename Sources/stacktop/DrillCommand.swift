import ArgumentParser
import Drills
import Foundation
import Glibc
import Runtime
import StackModel
import Supervision
import Traffic

/// `stacktop drill TOPOLOGY --scenario NAME`: launches a stack headless, breaks it under load
/// and prints how it recovered; `--list` shows the scenarios.
struct DrillCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drill",
        abstract: "Break a stack under load and report how it recovered.",
        discussion: """
            Launches TOPOLOGY headless (like `up`), sends load (--load, default: the topology's rate), \
            waits the scenario's warm-up, injects the fault, and watches until the stack recovered \
            (every worker slot back and serving, no failed request for the scenario's quiet time) or \
            the timeout passed. Then it stops the stack and prints the report: fault time, exit \
            detected, replacement spawned, first request served by the replacement, failed requests \
            by kind and their window, recovered at (or what is still wrong), orphans. Times in the \
            report are ms after the fault. SIGINT/SIGTERM/SIGHUP stop the drill and the stack cleanly.

            The deploy scenarios (reload-app, reload-front, restart-app, deploy, scale-up, scale-down) \
            carry out an operation instead of a fault (a signal, uWSGI's master FIFO, supervisorctl, \
            or stacktop's own stop + start) and report when it settled; deploy also writes the demo \
            app's next version and reports the cutover (behind a pool: every member reloaded). recycle \
            turns on worker recycling after N requests with a reload and reports the recycles (ps and \
            the server's log) and their cost against the window before. --plot FILE.svg draws the \
            drill as a picture.

            Scenarios: the built-in ones (`stacktop drill --list`) and YAML files in \
            topologies/scenarios/. A scenario that does not apply to the stack is refused with the reason.

            Exit status: 0 recovered; 4 did not recover within the timeout; 2 refused (the scenario \
            does not apply) or a bad option value; 1 an error (the topology did not load or launch, \
            or the drill was interrupted); 3 processes of the stack survived the stop; 64 the command \
            line could not be parsed.
            """
    )

    @Argument(help: "A topology name from topologies/ or a path to a topology file (with --list: optional).")
    var topology: String?

    @Option(help: ArgumentHelp("The scenario to run (see --list).", valueName: "NAME"))
    var scenario: String?

    @Option(
        name: .customLong("load"),
        help: ArgumentHelp(
            "Requests per second during the drill (1...\(LoadSettings.maxRate)); default: the topology's traffic rate.",
            valueName: "RPS"))
    var load: Int?

    @Option(
        name: .customLong("signal"),
        help: ArgumentHelp(
            "The signal of a kill-* scenario instead of SIGKILL: \(DrillSignal.usableNames.joined(separator: ", ")) (or a number).",
            valueName: "SIG"))
    var signal: String?

    @Option(
        name: .customLong("timeout"),
        help: ArgumentHelp(
            "Seconds the stack has to recover after the fault (default: the scenario's, usually 15).", valueName: "S"))
    var timeout: Double?

    @Flag(help: "Print the report as one JSON line (type \"drill\").")
    var json = false

    @Flag(help: "Also stream the stack's events (JSON Lines with --json) before the report.")
    var events = false

    @Option(
        name: .customLong("plot"),
        help: ArgumentHelp(
            "Also draw the drill as an SVG picture in FILE: requests per second by outcome and by app version, the fault marked.",
            valueName: "FILE.svg"))
    var plot: String?

    @Flag(help: "List the scenarios (with TOPOLOGY: which apply to it, and why not).")
    var list = false

    func run() throws {
        // From here on SIGINT/SIGTERM/SIGHUP only set a flag (see `up`).
        let stopFlag = StopFlag(followingSignals: true)
        if list {
            EventOutput.write(try DrillListing.text(topology: topology, json: json))
            return
        }
        guard let topology else { throw DrillUsage.error("drill needs a TOPOLOGY (or --list)") }
        guard let name = scenario else {
            throw DrillUsage.error("drill needs --scenario NAME; `stacktop drill --list` shows them")
        }
        let chosen = try DrillUsage.scenario(name, signal: signal, timeout: timeout)
        try DrillUsage.check(load: load)

        let output = EventOutput(json: json)
        let progress = DrillUsage.progressPrinter(prefix: "drill")
        let outcome = DrillLaunch.run(
            topology, scenario: chosen, load: load, stopFlag: stopFlag,
            events: events ? output.sink : nil, progress: progress)
        switch outcome {
        case let .failed(why):
            EventOutput.write("stacktop drill: \(why)\n", fd: 2)
            throw ExitCode(1)
        case let .refused(refusal):
            EventOutput.write("stacktop drill: refused: \(refusal.description)\n", fd: 2)
            throw ExitCode(stopFlag.isSet ? 1 : 2)
        case let .report(report, survivors, runDir):
            EventOutput.write(json ? report.jsonLine + "\n" : report.textLines().joined(separator: "\n") + "\n")
            if let plot {
                do {
                    try DrillPlot(report: report).svg.write(toFile: plot, atomically: true, encoding: .utf8)
                    if !json { EventOutput.write("plot: \(plot)\n", fd: 2) }
                } catch {
                    EventOutput.write(
                        "stacktop drill: cannot write the plot \(plot): \(error.localizedDescription)\n", fd: 2)
                    throw ExitCode(1)
                }
            }
            if !json { EventOutput.write("run dir (logs kept): \(runDir)\n", fd: 2) }
            if survivors > 0 {
                EventOutput.write("stacktop drill: \(survivors) process(es) survived the stop\n", fd: 2)
                throw ExitCode(3)
            }
            if let sig = stopFlag.signal {
                EventOutput.write(
                    "stacktop drill: stopped by \(Signal(sig).name); the report shows what was known then\n", fd: 2)
                throw ExitCode(1)
            }
            if !report.recovered { throw ExitCode(4) }
        }
    }
}
