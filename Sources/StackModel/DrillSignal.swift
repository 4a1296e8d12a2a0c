/// The signals a drill may send, by number (`KILL`, `SIGTERM`, `15` all parse); names and
/// numbers are `Signal`'s.
public enum DrillSignal {
    public static let hup = Signal.hup.number
    public static let int = Signal.int.number
    public static let quit = Signal.quit.number
    public static let abrt = Signal.abrt.number
    public static let kill = Signal.kill.number
    public static let usr1 = Signal.usr1.number
    public static let segv = Signal.segv.number
    public static let usr2 = Signal.usr2.number
    public static let term = Signal.term.number
    public static let cont = Signal.cont.number
    public static let stop = Signal.stop.number
    public static let winch = Signal.winch.number

    /// The signals a drill may name, in number order (SIGPIPE is not one).
    static let sendable: [Signal] = [.hup, .int, .quit, .abrt, .kill, .usr1, .segv, .usr2, .term, .cont, .stop, .winch]

    /// The number for `text`: a name with or without `SIG` (any case) or a known number.
    /// STOP and CONT are left out: stop-worker sends them itself, and a STOP without its CONT
    /// would leave a frozen process behind.
    public static func number(_ text: String) -> Int32? {
        guard let n = anyNumber(text), n != stop, n != cont else { return nil }
        return n
    }

    /// The number for any known name or number, STOP and CONT included.
    public static func anyNumber(_ text: String) -> Int32? {
        guard let signal = Signal(parsing: text), sendable.contains(signal) else { return nil }
        return signal.number
    }

    /// `SIGKILL`, `SIGTERM`, …; `signal 42` for numbers without a name.
    public static func name(_ number: Int32) -> String {
        Signal(number).name
    }

    /// The names `number(_:)` accepts, for help and error messages.
    public static var usableNames: [String] {
        sendable.filter { $0 != .stop && $0 != .cont }.map(\.shortName)
    }
}
