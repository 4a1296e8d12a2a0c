import ArgumentParser
import Glibc
import Runtime

/// `stacktop _reap`: the hidden helper that kills a stack's sessions once stacktop is gone.
///
/// stacktop starts it in its own session with a pipe on stdin and writes it the sessions it
/// launches; EOF on the pipe (stacktop exited, even by SIGKILL) makes it SIGKILL every process
/// left in those sessions, repeating for up to 3 s, and exit.
struct ReapCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "_reap",
        abstract: "Internal: kill the sessions listed on stdin once stdin reaches EOF.",
        shouldDisplay: false
    )

    func run() throws {
        Reaper.ignoreTerminalSignals()
        let outcome = Reaper(inputFD: 0).run()
        if !outcome.survivors.isEmpty {
            throw ExitCode(1)
        }
    }
}
