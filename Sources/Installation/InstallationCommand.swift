import Foundation

/// Runs one short-lived program (a `--version` query) with a timeout and captures its output.
///
/// The program gets no stdin; stdout and stderr are read together, since some servers print
/// their version on stderr (`nginx -v`). The output is read while the program runs, so a
/// talkative one (pip, an app's import) cannot block on a full pipe.
public struct InstallationCommand: Sendable {
    /// What the program printed and how it ended.
    public struct Result: Sendable, Equatable {
        public var status: Int32
        public var output: String
    }

    public var executable: String
    public var arguments: [String]
    public var timeout: TimeInterval
    /// The directory it runs in; nil = ours.
    public var workingDirectory: String?
    /// Its whole environment; nil = ours.
    public var environment: [String: String]?

    public init(
        _ executable: String, _ arguments: [String], timeout: TimeInterval = 5,
        workingDirectory: String? = nil, environment: [String: String]? = nil
    ) {
        self.executable = executable
        self.arguments = arguments
        self.timeout = timeout
        self.workingDirectory = workingDirectory
        self.environment = environment
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
        if let workingDirectory { process.currentDirectoryURL = URL(fileURLWithPath: workingDirectory) }
        if let environment { process.environment = environment }
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
        let reader = OutputReader(pipe.fileHandleForReading)
        if exited.wait(timeout: .now() + timeout) == .timedOut {
            // Still running (not reaped yet), so the pid is still ours.
            kill(process.processIdentifier, SIGKILL)
            exited.wait()
            return nil
        }
        return Result(status: process.terminationStatus, output: String(decoding: reader.finish(), as: UTF8.self))
    }
}

/// Reads a pipe to its end on a thread of its own (not a GCD worker: the commands themselves
/// wait on those, and Linux's pool is only as wide as the CPUs); `finish` waits for that end.
private final class OutputReader: @unchecked Sendable {
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ handle: FileHandle) {
        let thread = Thread { [self] in
            data = handle.readDataToEndOfFile()
            done.signal()
        }
        thread.start()
    }

    /// Everything read, once the writers closed the pipe (at most 2 s after the program exited:
    /// a background child still holding it is not waited for).
    func finish() -> Data {
        guard done.wait(timeout: .now() + 2) == .success else { return Data() }
        return data
    }
}
