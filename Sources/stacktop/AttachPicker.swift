import Dashboard
import Discovery
import Runtime
import Synchronization
import Terminal

/// `stacktop attach` on a terminal without a TARGET: the topology picker, offering the deploys
/// found on this machine (one line each, as `attach --list` prints them). Enter returns the
/// chosen deploy, which is then attached to exactly as `attach :PORT` would; q or Esc returns nil
/// and nothing was touched.
enum AttachPicker {
    /// One picker entry per deploy: its `attach --list` line, the command that attaches to it,
    /// and its attached topology (whose name, `attached TARGET`, identifies the choice).
    static func entries(_ deploys: [DiscoveredDeploy]) -> [PickerEntry] {
        deploys.map {
            PickerEntry(
                name: $0.summary, path: "stacktop attach \($0.target)",
                topology: AttachedPlan.topology(of: $0), problem: nil)
        }
    }

    /// The picker's state before the first key.
    static func state(_ deploys: [DiscoveredDeploy]) -> DashboardState {
        var state = DashboardState()
        state.pickerAttaches = true
        state.pickerEntries = entries(deploys)
        return state
    }

    /// Shows the picker until a deploy is chosen (returned) or q, Esc or a signal ends it (nil).
    static func choose(from deploys: [DiscoveredDeploy]) async throws -> DiscoveredDeploy? {
        let chosen = Mutex<String?>(nil)
        let ended: Result<DashboardLoop.Exit, Error> = await DashboardCommand.onOwnThread {
            let inbox = DashboardInbox()
            let clock = Stopwatch()
            let loop = DashboardLoop(
                state: state(deploys), inbox: inbox, clock: { clock.elapsedMs },
                perform: { command in
                    switch command {
                    case let .launch(topology):
                        chosen.withLock { $0 = topology.name }
                        inbox.close()
                    case .quit:
                        inbox.close()
                    default:
                        break
                    }
                })
            return Result { try loop.run() }
        }
        _ = try ended.get()
        guard let name = chosen.withLock({ $0 }) else { return nil }
        return deploys.first { AttachedPlan.topology(of: $0).name == name }
    }
}
