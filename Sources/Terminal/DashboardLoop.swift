import Dashboard
import Glibc

/// Runs the dashboard on the calling thread: reads keys, drains the inbox, updates the state,
/// hands commands to the wiring and redraws — only on change and at most ten times a second.
///
/// Blocks in `wget_wch` (100 ms timeout) when idle, so an idle dashboard costs next to no CPU.
/// Every curses call stays on this thread. `perform` runs on it too: it must not block (start a
/// task for slow work and post the outcome to the inbox).
public final class DashboardLoop {
    /// Why `run` returned.
    public enum Exit: Sendable, Equatable {
        /// `q` was pressed and the wiring closed the inbox (or `q` was pressed twice).
        case quit
        /// A second SIGINT, SIGTERM or SIGHUP arrived before the wiring closed the inbox (the
        /// first one quits like `q`: the state asks for the stop and the loop waits for it).
        case signal(Int32)
        /// The wiring closed the inbox without a quit.
        case closed
    }

    public private(set) var state: DashboardState
    /// Screens sent to the terminal (renders that changed nothing are not counted).
    public private(set) var frames = 0
    /// Renders of the state (one per redraw opportunity with news).
    public private(set) var renders = 0
    private let inbox: DashboardInbox
    private let clock: () -> Int
    private let perform: (Command) -> Void
    private let minFrameMs: Int

    /// `clock` gives ms since launch on the events' clock; `perform` carries out commands.
    public init(state: DashboardState, inbox: DashboardInbox, minFrameMs: Int = 100,
                clock: @escaping () -> Int, perform: @escaping (Command) -> Void) {
        self.state = state
        self.inbox = inbox
        self.clock = clock
        self.perform = perform
        self.minFrameMs = minFrameMs
    }

    /// Milliseconds on the monotonic clock.
    static func monotonicMs() -> Int {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return ts.tv_sec * 1_000 + ts.tv_nsec / 1_000_000
    }

    /// Runs until quit, a signal or the inbox closes; the terminal is restored on every path.
    public func run() throws -> Exit {
        let session = try TerminalSession()
        defer { session.close() }
        let size = session.size
        _ = update(&state, .resize(width: size.width, height: size.height))
        _ = update(&state, .tick(nowMs: clock()))
        var drawn: Grid?
        var lastDrawMs = Int.min / 2
        var dirty = true
        var quitRequests = 0
        var signalsSeen = 0
        var terminalGone = false
        while true {
            var messages: [Message] = []
            let signals = SignalTrap.caughtCount
            if signals > signalsSeen, let signo = SignalTrap.pending {
                if signalsSeen > 0 || signals > 1 { return .signal(signo) }
                signalsSeen = signals
                // SIGHUP: the terminal went away; stop reading and drawing, keep stopping the stack.
                terminalGone = signo == SIGHUP
                messages.append(.interrupted(signal: SignalTrap.name(signo)))
            }
            if terminalGone {
                usleep(50_000)
            } else if let input = session.read() {
                messages.append(input)
            }
            let (posted, closed) = inbox.drain()
            messages += posted
            let now = clock()
            if !messages.isEmpty && now != state.nowMs {
                // News is stamped with the time it arrived (a key's timeline entry, a flash's end).
                messages.insert(.tick(nowMs: now), at: 0)
            } else if now / 1_000 != state.nowMs / 1_000 || (state.flash.map { $0.untilMs <= now } ?? false) {
                messages.append(.tick(nowMs: now))
            }
            for message in messages {
                for command in update(&state, message) {
                    perform(command)
                    if command == .quit { quitRequests += 1 }
                }
                dirty = true
            }
            if quitRequests > 1 { return .quit }
            // Frames are paced on the machine's clock: the state's clock stands still before a launch.
            let frameMs = Self.monotonicMs()
            if !terminalGone && (dirty && frameMs - lastDrawMs >= minFrameMs || closed) {
                let grid = DashboardView.render(state)
                renders += 1
                if grid != drawn {
                    session.draw(grid)
                    frames += 1
                }
                drawn = grid
                lastDrawMs = frameMs
                dirty = false
            }
            if closed { return quitRequests > 0 ? .quit : .closed }
        }
    }
}
