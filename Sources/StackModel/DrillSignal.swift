/// The signals a drill may send, by Linux number and name (`KILL`, `SIGTERM`, `15` all parse).
///
/// StackModel is pure and imports no C library, so the numbers are written out; they are the
/// same on every Linux architecture stacktop runs on (x86-64, arm64).
public enum DrillSignal {
    public static let hup: Int32 = 1
    public static let int: Int32 = 2
    public static let quit: Int32 = 3
    public static let abrt: Int32 = 6
    public static let kill: Int32 = 9
    public static let usr1: Int32 = 10
    public static let segv: Int32 = 11
    public static let usr2: Int32 = 12
    public static let term: Int32 = 15
    public static let cont: Int32 = 18
    public static let stop: Int32 = 19
    public static let winch: Int32 = 28

    /// Names without the SIG prefix, in number order.
    public static let known: [(name: String, number: Int32)] = [
        ("HUP", hup), ("INT", int), ("QUIT", quit), ("ABRT", abrt), ("KILL", kill), ("USR1", usr1),
        ("SEGV", segv), ("USR2", usr2), ("TERM", term), ("CONT", cont), ("STOP", stop), ("WINCH", winch),
    ]

    /// The number for `text`: a name with or without `SIG` (any case) or a known number.
    /// STOP and CONT are left out: stop-worker sends them itself, and a STOP without its CONT
    /// would leave a frozen process behind.
    public static func number(_ text: String) -> Int32? {
        guard let n = anyNumber(text), n != stop, n != cont else { return nil }
        return n
    }

    /// The number for any known name or number, STOP and CONT included.
    public static func anyNumber(_ text: String) -> Int32? {
        var name = text.uppercased()
        if name.hasPrefix("SIG") { name.removeFirst(3) }
        if let n = Int32(name) { return known.contains { $0.number == n } ? n : nil }
        return known.first { $0.name == name }?.number
    }

    /// `SIGKILL`, `SIGTERM`, …; `signal 42` for numbers without a name here.
    public static func name(_ number: Int32) -> String {
        known.first { $0.number == number }.map { "SIG" + $0.name } ?? "signal \(number)"
    }

    /// The names `number(_:)` accepts, for help and error messages.
    public static var usableNames: [String] {
        known.filter { $0.number != stop && $0.number != cont }.map(\.name)
    }
}
