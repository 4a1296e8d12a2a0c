import Foundation

/// Runs one short-lived program (a `--version` query) with a timeout and captures its output.
///
/// The program gets no stdin; stdout and stderr are read together, since some servers print
/// their version on stderr (`nginx -v`). Meant for small outputs (under a pipe buffer): the
/// output is read after the program exits.
public struct InstallationCommand: Sendable {
    /// What the program printed and how it ended.
    public struct Result: Sendable, Equatable {
        public var status: Int32
        public var output: String
    }

    public var executable: String
    public var arguments: [String]
    public var timeout: TimeInterval

    public init(_ executable: String, _ arguments: [String], timeout: TimeInterval = 5) {
        self.executable = executable
        self.arguments = arguments
        self.timeout = timeout
    }

    /// Runs the program on a GCD thread (it blocks); nil when it cannot start or times out
    /// (then it is killed).
    public func run() async -> Result? {
        await withCheckedContinuation { continuation in
            let command = self
            DispatchQueue.global().async {
                continuation.resume(returning: command.runBlocking())
            }
        }
    }

    /// Runs the program and waits for it, at most `timeout` seconds.
    func runBlocking() -> Result? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        let exited = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in exited.signal() }
        do {
            try process.run()
        } catch {
            return nil
        }
        if exited.wait(timeout: .now() + timeout) == .timedOut {
            // Still running (not reaped yet), so the pid is still ours.
            kill(process.processIdentifier, SIGKILL)
            exited.wait()
            return nil
        }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        return Result(status: process.terminationStatus, output: String(decoding: data, as: UTF8.self))
    }
}
