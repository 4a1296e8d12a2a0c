import ArgumentParser
import Dashboard
import Foundation
import Glibc
import Live
import Runtime
import Terminal

/// `stacktop [TOPOLOGY]`: the live dashboard on a stack it launches, or the picker without one.
struct DashboardCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dashboard",
        abstract: "Open the live dashboard: launch TOPOLOGY, or pick a stack (the default command).",
        discussion: """
            Launches the stack, shows its processes, traffic and events live, and lets you break it \
            (? lists the keys). q, SIGINT, SIGTERM and SIGHUP stop the stack cleanly before stacktop \
            exits; nothing it started outlives it, even a kill -9 of stacktop. Needs a terminal: \
            without one (standard input or output not a TTY) it exits with status 2 and launches \
            nothing; use `stacktop up TOPOLOGY` there.
            """
    )

    @Argument(help: "A topology name from topologies/ or a path to a topology file; without it, a picker.")
    var topology: String?

    func run() async throws {
        guard isatty(0) == 1, isatty(1) == 1 else {
            let which = isatty(0) == 1 ? "standard output" : "standard input"
            EventOutput.write(
                """
                stacktop: the dashboard needs a terminal, and \(which) is not one; nothing was launched.
                For a run without a terminal use: stacktop up \(topology ?? "TOPOLOGY")   (--json for JSON Lines)

                """, fd: 2)
            throw ExitCode(2)
        }
        // From here on the stop signals only set a flag: nothing is left half-launched.
        SignalCatcher.install()
        // A topology that does not load or prepare is reported before the screen opens.
        let prepared = try topology.map { try LiveStack.prepare($0) }
        let inbox = DashboardInbox()
        let session = DashboardSession(inbox: inbox)
        if let prepared {
            session.launch(prepared)
        } else {
            DashboardPicker.offer(to: inbox)
        }
        let ending = await Self.onOwnThread {
            Self.runLoop(DashboardState(topology: prepared?.topology), session: session)
        }
        if let failure = ending.failure { throw CLIError(failure) }
        try Self.finalWords(ending.outcome)
    }

    /// Runs the dashboard until it closes, then makes sure the stack stopped: blocking work,
    /// kept off Swift's cooperative threads (the picker's probe needs them).
    static func runLoop(_ state: DashboardState, session: DashboardSession)
        -> (outcome: DashboardSession.Outcome, failure: String?)
    {
        let loop = DashboardLoop(
            state: state, inbox: session.inbox, clock: { session.nowMs },
            perform: session.perform)
        let started = Stopwatch()
        var failure: String?
        do {
            let exit = try loop.run()
            if exit != .closed && exit != .quit { EventOutput.write("stacktop: stopping the stack…\n") }
        } catch {
            failure = "\(error)"
        }
        let outcome = session.finish()
        if getenv("STACKTOP_DASHBOARD_STATS") != nil {
            let ms = max(1, started.elapsedMs)
            EventOutput.write(
                "stacktop: \(loop.frames) frames, \(loop.renders) renders, \(session.feedPosts) "
                    + "view posts in \(ms) ms\n", fd: 2)
        }
        return (outcome, failure)
    }

    /// Runs `body` on a new thread and waits for it without holding a cooperative thread.
    static func onOwnThread<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            let thread = Thread { continuation.resume(returning: body()) }
            thread.name = "stacktop.dashboard"
            thread.start()
        }
    }

    /// The line left in the terminal after the dashboard closed, and the exit status.
    static func finalWords(_ outcome: DashboardSession.Outcome) throws {
        guard let name = outcome.stackName else { return }
        let runDir = outcome.runDir.map { " (run dir \($0))" } ?? ""
        if let report = outcome.report {
            EventOutput.write("stacktop: \(name) \(StackStopper.describe(report))\(runDir)\n")
            if !report.survivors.isEmpty { throw ExitCode(3) }
        } else if outcome.launchFailed {
            EventOutput.write(
                "stacktop: \(name) did not launch; its error was on the timeline, and the server logs "
                    + "are in the run dir\(runDir)\n")
            throw ExitCode(1)
        }
    }
}
