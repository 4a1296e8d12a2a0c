import Dashboard
import Glibc
import Runtime
import StackModel

/// Runs the dashboard on the calling thread: reads keys, drains the inbox, updates the state,
/// hands commands to the wiring and redraws — only on change and at most ten times a second.
///
/// News that only refreshes figures (the clock, CPU and memory, traffic seconds, log text) is
/// drawn with the next whole second of the clock, all of it in one frame; keys, events and
/// process changes are drawn at once. So an idle stack costs one render a second, which the
/// header's uptime needs anyway. Blocks in `wget_wch` (100 ms timeout) between looks.
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
    public init(
        state: DashboardState, inbox: DashboardInbox, minFrameMs: Int = 100,
        clock: @escaping () -> Int, perform: @escaping (Command) -> Void
    ) {
        self.state = state
        self.inbox = inbox
        self.clock = clock
        self.perform = perform
        self.minFrameMs = minFrameMs
    }

    /// Whether `message` only refreshes figures already on screen, so it can wait for the next
    /// whole second (at most a second) to be drawn.
    static func isAmbient(_ message: Message) -> Bool {
        switch message {
        case .tick, .usage, .traffic, .log: return true
        default: return false
        }
    }

    /// Runs until quit, a signal or the inbox closes; the terminal is restored on every path.
    public func run() throws -> Exit {
        try run(on: TerminalSession())
    }

    /// Runs on `session` (tests pass one on a pseudo-terminal) and closes it on return.
    func run(on session: TerminalSession) -> Exit {
        defer { session.close() }
        let size = session.size
        _ = update(&state, .resize(width: size.width, height: size.height))
        _ = update(&state, .tick(nowMs: clock()))
        var lastDrawMs = Int.min / 2
        var drawnSecond = Int.min
        // News to draw: `urgent` within minFrameMs, `ambient` at the next second of the clock.
        var urgent = true
        var ambient = false
        var quitRequests = 0
        var signalsSeen = 0
        var terminalGone = false
        while true {
            var messages: [Message] = []
            let signals = SignalCatcher.caughtCount
            if signals > signalsSeen, let signo = SignalCatcher.pending {
                if signalsSeen > 0 || signals > 1 { return .signal(signo) }
                signalsSeen = signals
                // SIGHUP: the terminal went away; stop reading and drawing, keep stopping the stack.
                terminalGone = signo == SIGHUP
                messages.append(.interrupted(signal: Signal(signo).name))
            }
            if terminalGone {
                usleep(50_000)
            } else if let input = session.read() {
                messages.append(input)
            } else if session.isGone {
                // The terminal vanished without a SIGHUP: the same path as one (reads fail at once).
                terminalGone = true
                messages.append(.interrupted(signal: "terminal hang-up"))
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
                if Self.isAmbient(message) { ambient = true } else { urgent = true }
            }
            if quitRequests > 1 { return .quit }
            // Frames are paced on the machine's clock: the state's clock stands still before a launch.
            let frameMs = Int(Stopwatch.nowNs() / 1_000_000)
            let second = state.nowMs / 1_000
            let due =
                urgent && frameMs - lastDrawMs >= minFrameMs
                || ambient && (second != drawnSecond || frameMs - lastDrawMs >= 1_000)
            if !terminalGone && (due || closed) {
                renders += 1
                if session.draw(DashboardView.render(state)) { frames += 1 }
                lastDrawMs = frameMs
                drawnSecond = second
                urgent = false
                ambient = false
            }
            if closed { return quitRequests > 0 ? .quit : .closed }
        }
    }
}
