import CLinux
import Glibc

/// Starts programs with fork/exec done in C, so the child does only async-signal-safe work.
public struct ProcessSpawner: Sendable {
    public init() {}

    /// Starts `request` and returns the child's pid, or throws a `SpawnError` that says which
    /// setup step failed in the child (a missing binary is `.exec` with ENOENT).
    public func spawn(_ request: SpawnRequest) throws(SpawnError) -> Int32 {
        guard let path = request.argv.first, path.hasPrefix("/") else {
            throw SpawnError(program: request.argv.first ?? "", stage: .exec, errno: ENOENT)
        }
        let envp = request.environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        var stage: Int32 = 0
        var err: Int32 = 0
        let pid: Int32 = withCStrings(request.argv) { argv in
            withCStrings(envp) { env in
                request.workingDirectory.withCString { cwd in
                    var options = stacktop_spawn_options(
                        new_session: request.newSession ? 1 : 0,
                        parent_death_signal: request.parentDeathSignal ?? 0,
                        expected_parent: getpid(),
                        stdin_fd: request.stdinFD ?? -1,
                        stdout_fd: request.stdoutFD ?? -1,
                        stderr_fd: request.stderrFD ?? -1,
                        working_directory: request.workingDirectory.isEmpty ? nil : cwd)
                    return stacktop_spawn(path, argv, env, &options, &stage, &err)
                }
            }
        }
        guard pid > 0 else {
            throw SpawnError(program: path, stage: SpawnError.Stage(rawValue: stage) ?? .exec, errno: err)
        }
        return pid
    }
}

/// One program to start: exact argv and environment, where its output goes, and its session.
public struct SpawnRequest: Sendable, Equatable {
    /// argv[0] is the absolute path that is executed.
    public var argv: [String]
    /// The complete environment; nothing else is inherited.
    public var environment: [String: String]
    /// "" keeps the current directory.
    public var workingDirectory: String
    /// nil = /dev/null.
    public var stdinFD: Int32?
    public var stdoutFD: Int32?
    public var stderrFD: Int32?
    /// Start the child in a new session (it becomes session and group leader).
    public var newSession: Bool
    /// Signal the child gets when the spawning thread exits (PR_SET_PDEATHSIG); nil = none.
    public var parentDeathSignal: Int32?

    public init(
        argv: [String], environment: [String: String], workingDirectory: String = "",
        stdinFD: Int32? = nil, stdoutFD: Int32? = nil, stderrFD: Int32? = nil,
        newSession: Bool = true, parentDeathSignal: Int32? = nil
    ) {
        self.argv = argv
        self.environment = environment
        self.workingDirectory = workingDirectory
        self.stdinFD = stdinFD
        self.stdoutFD = stdoutFD
        self.stderrFD = stderrFD
        self.newSession = newSession
        self.parentDeathSignal = parentDeathSignal
    }
}

/// Why a program could not be started: the step that failed and its errno.
public struct SpawnError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The child's setup steps, as the C side numbers them.
    public enum Stage: Int32, Sendable {
        case fork = 0, setsid, parentDeathSignal, parentGone, signals, stdio, chdir, closeFDs, exec
    }
    public var program: String
    public var stage: Stage
    public var errno: Int32

    public init(program: String, stage: Stage, errno: Int32) {
        self.program = program
        self.stage = stage
        self.errno = errno
    }

    public var description: String {
        let reason = String(cString: strerror(errno))
        switch stage {
        case .exec where errno == ENOENT: return "\(program): no such program (\(reason))"
        case .exec: return "cannot execute \(program): \(reason)"
        case .chdir: return "\(program): cannot change to its working directory: \(reason)"
        case .fork: return "cannot fork to start \(program): \(reason)"
        default: return "\(program): child setup step \(stage) failed: \(reason)"
        }
    }
}

/// Calls `body` with a NULL-terminated C array of copies of `strings`, freed afterwards.
func withCStrings<R>(_ strings: [String], _ body: (UnsafePointer<UnsafeMutablePointer<CChar>?>) -> R) -> R {
    var pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
    pointers.append(nil)
    defer { for p in pointers { free(p) } }
    return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
}
