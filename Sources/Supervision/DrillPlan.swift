import StackModel
import StackRecipes

/// A scenario resolved against one running stack: which processes to signal (or which requests
/// to send), and which components must recover for the drill to count as recovered.
///
/// Chosen deterministically from a snapshot: "one worker" is the lowest-numbered live worker slot
/// of the target component; the app server is the front door's first upstream (or the front door
/// itself when it is an app server).
public struct DrillPlan: Sendable, Equatable {
    /// What the runner does to inject the fault.
    public enum Step: Sendable, Equatable {
        /// Send `signal` to every pid.
        case signal(Int32, pids: [Int32])
        /// SIGSTOP every pid, SIGCONT them `seconds` later.
        case stop(pids: [Int32], seconds: Double)
        /// Send `count` requests for `path` to the front door (crash-inside: `/crash`).
        case request(path: String, count: Int)
        /// Send one request for `path` to the front door, in the background, waiting up to
        /// `clientTimeoutMs` for its answer (slow-request-timeout).
        case slowRequest(path: String, clientTimeoutMs: Int)
        /// Make the demo app fail to import, then send `signal` to every pid so it must re-import.
        case failImport(signal: Int32, pids: [Int32])
        /// Carry out `operation` (a deploy drill); `pids` is the root a signal goes to (checked
        /// like a fault's target), empty for a FIFO or supervisorctl command. With
        /// `bumpVersion`, the demo app's next version is written first.
        case operate(OperationRecipe, pids: [Int32], bumpVersion: Bool)
    }

    /// One more operation a deploy drill carries out with its step's, at the same moment: the
    /// reload of another member of the front server's pool.
    public struct Operated: Sendable, Equatable {
        public var recipe: OperationRecipe
        /// The root a signal goes to; empty for a FIFO or a command.
        public var pids: [Int32]

        public init(recipe: OperationRecipe, pids: [Int32]) {
            self.recipe = recipe
            self.pids = pids
        }
    }

    public var scenario: DrillScenario
    public var topology: String
    /// The component whose processes the step acts on (for requests: the app server).
    public var component: String
    /// The role of the processes acted on; nil when the step sends requests.
    public var role: ProcessRole?
    /// Their slot numbers (same order as `pids`); empty for requests.
    public var slots: [Int]
    public var step: Step
    /// Components that must be whole and serving again for the drill to count as recovered.
    public var watched: [String]
    /// The stack's front door (the component the client talks to).
    public var frontDoor: String
    /// One line for the report: what is done to what, and anything surprising about it.
    public var detail: String
    /// Operations carried out together with the step's `operate` (deploy on a pool: every
    /// other member reloaded too); empty otherwise.
    public var alsoOperate: [Operated] = []
    /// recycle: how recycling is turned on before the step's reload; nil for the others.
    public var recycle: RecycleSetup?

    public init(
        scenario: DrillScenario, topology: String, component: String, role: ProcessRole?,
        slots: [Int], step: Step, watched: [String], frontDoor: String, detail: String
    ) {
        self.scenario = scenario
        self.topology = topology
        self.component = component
        self.role = role
        self.slots = slots
        self.step = step
        self.watched = watched
        self.frontDoor = frontDoor
        self.detail = detail
    }

    /// The pids the step signals or stops; empty for requests.
    public var pids: [Int32] {
        switch step {
        case let .signal(_, pids), let .stop(pids, _), let .failImport(_, pids), let .operate(_, pids, _): return pids
        case .request, .slowRequest: return []
        }
    }

    /// The signal the step sends first (SIGSTOP for stop-worker); nil for requests.
    public var signal: Int32? {
        switch step {
        case let .signal(s, _), let .failImport(s, _): return s
        case .stop: return DrillSignal.stop
        case let .operate(recipe, _, _):
            if case let .signalRoot(_, s) = recipe.method { return s }
            return nil
        case .request, .slowRequest: return nil
        }
    }

    /// The operation of a deploy drill; nil for the failure drills.
    public var operation: OperationRecipe? {
        if case let .operate(recipe, _, _) = step { return recipe }
        return nil
    }

    /// How many workers the component should have more (scale-up) or fewer (scale-down) after.
    public var workerDelta: Int {
        switch operation?.operation {
        case .addWorker: return 1
        case .removeWorker: return -1
        default: return 0
        }
    }

    /// Whether the drill writes the demo app's next version before reloading (deploy).
    public var bumpsVersion: Bool {
        if case let .operate(_, _, bump) = step { return bump }
        return false
    }

    /// A short name of the target for reports: `app worker 1 (pid 4242)`, `front front (pid 7)`.
    public var targetText: String {
        // A front server's root is its master; a role named like its component is said once.
        let roleWord = role.map { $0 == .front ? "master" : $0.rawValue }
        let who = roleWord.map { $0 == component ? component : "\(component) \($0)" } ?? component
        let numbered = role == .worker || role == .helper
        switch pids.count {
        case 0:
            return who
        case 1:
            let slot = numbered ? slots.first.map { " \($0)" } ?? "" : ""
            return "\(who)\(slot) (pid \(pids[0]))"
        default:
            let list = pids.map { String($0) }.joined(separator: ", ")
            return numbered
                ? "\(who)s \(slots.map { String($0) }.joined(separator: ", ")) (pids \(list))" : "\(who) (pids \(list))"
        }
    }

    /// Resolves `s` against a topology and the live view of its components (`StackObserver.components`).
    /// Deploy drills need the launch `context` (where supervisorctl and uWSGI's FIFO are).
    public static func resolve(
        _ s: DrillScenario, topology: Topology, components: [ComponentView],
        context: LaunchContext? = nil
    ) -> Result<DrillPlan, DrillRefusal> {
        DrillPlanner(scenario: s, topology: topology, views: components, context: context).resolve()
    }
}
