import Dashboard
import Discovery
import Glibc
import Live
import Runtime
import Terminal

/// The dashboard on an attached deploy: the same loop and session as a launched stack, started
/// with `DashboardSession.attach`; q detaches and the deploy runs on.
enum AttachDashboard {
    static func run(_ deploy: DiscoveredDeploy, readOnly: Bool) async throws {
        SignalCatcher.install()
        let inbox = DashboardInbox()
        let session = DashboardSession(inbox: inbox)
        session.attach(deploy, readOnly: readOnly)
        var state = DashboardState(topology: AttachedPlan.topology(of: deploy))
        state.attached = AttachedMode(readOnly: readOnly)
        let initial = state
        let ending = await DashboardCommand.onOwnThread {
            DashboardCommand.runLoop(initial, session: session)
        }
        if let failure = ending.failure { throw CLIError(failure) }
        if ending.outcome.detached {
            EventOutput.write(
                "stacktop: detached from \(deploy.summary); every process of the deploy was left running\n")
        }
    }
}
