import Foundation
import StackModel

/// Why a stack could not be launched; `description` is the one-line message users see.
public enum LaunchError: Error, Sendable, CustomStringConvertible {
    /// A server program does not exist or is not executable.
    case missingProgram(component: String, kind: ServerKind, path: String)
    /// The run dir or a config file could not be written.
    case runDirectory(String)
    /// A component could not be spawned (exec failed, bad working directory, …).
    case spawnFailed(component: String, SpawnError)
    /// A component exited before it was ready.
    case exitedEarly(component: String, kind: String, status: ChildProcess.ExitStatus)
    /// A component did not pass its readiness check in time.
    case notReady(component: String, kind: String, afterMs: Int, lastSeen: String)
    /// The component that starts this one exited before this one was ready.
    case launcherExited(component: String, launcher: String)
    /// Something outside the stack answered on the component's port.
    case portTaken(component: String, port: Int, holders: [String])
    /// Every component passed its own check, but the front door answers 5xx (or nothing):
    /// the app behind it is broken. `components` are the app servers whose logs explain it.
    case frontDoorFailing(url: String, afterMs: Int, lastSeen: String, components: [String])
    /// A stop was requested (signal) during the launch.
    case interrupted
    /// podman could not start the component's container (`detail` quotes podman).
    case containerFailed(component: String, detail: String)

    public var description: String {
        switch self {
        case let .missingProgram(component, kind, path):
            var commands = InstallationComponent.installCommands(for: InstallationComponent.needed(by: kind))
            let installer = InstallationComponent.installerCommand
            commands = commands.filter { $0 != installer } + ["\(installer) (make run does it)"]
            // A Python server missing from a venv (maybe the topology's own, which the
            // installer does not touch): that venv's pip installs it, at the pinned versions.
            let pins = InstallationComponent.needed(by: kind).flatMap(\.pinnedRequirements)
            let bin = (path as NSString).deletingLastPathComponent
            if bin.hasSuffix("/bin"), !pins.isEmpty {
                let venv = (bin as NSString).deletingLastPathComponent
                commands = [
                    "\(bin)/pip install \(pins.joined(separator: " ")) (into the venv \(venv); or stacktop doctor TOPOLOGY --fix)",
                    "\(installer) if that venv is the project's own .venv",
                ]
            }
            return "\(component) (\(kind.rawValue)) needs \(path), which is not installed; install it with: "
                + commands.joined(separator: " or ")
        case let .runDirectory(detail):
            return "cannot prepare the run dir: \(detail)"
        case let .spawnFailed(component, error):
            return "\(component): \(error)"
        case let .exitedEarly(component, kind, status):
            return "\(component) (\(kind)) \(status) before it was ready"
        case let .notReady(component, kind, afterMs, lastSeen):
            return "\(component) (\(kind)) was not ready after \(Double(afterMs) / 1000) s: \(lastSeen)"
        case let .launcherExited(component, launcher):
            return "\(component): \(launcher), which starts it, exited before it was ready"
        case let .portTaken(component, port, holders):
            return
                "\(component): port \(port) is answered by \(holders.joined(separator: ", ")), which is not part of this stack"
        case let .frontDoorFailing(url, afterMs, lastSeen, components):
            let who = components.isEmpty ? "" : " (see the logs of \(components.joined(separator: ", ")))"
            return
                "every component started, but the front door \(url) did not answer below 500 within \(Double(afterMs) / 1000) s: \(lastSeen)\(who)"
        case .interrupted:
            return "launch interrupted"
        case let .containerFailed(component, detail):
            return "\(component): the container did not start: \(detail)"
        }
    }

    /// The component the error is about, if any.
    public var component: String? {
        switch self {
        case let .missingProgram(c, _, _), let .spawnFailed(c, _), let .exitedEarly(c, _, _),
            let .notReady(c, _, _, _), let .launcherExited(c, _), let .portTaken(c, _, _),
            let .containerFailed(c, _):
            return c
        case let .frontDoorFailing(_, _, _, components):
            return components.first
        case .runDirectory, .interrupted:
            return nil
        }
    }

    /// The components whose logs the error event quotes.
    public var quotedComponents: [String] {
        if case let .frontDoorFailing(_, _, _, components) = self { return components }
        return component.map { [$0] } ?? []
    }
}
