/// A Linux signal by number, and its name: the one place that lists the signals stacktop sends,
/// catches or reports.
///
/// StackModel is pure and imports no C library, so the numbers are written out; they are the
/// same on every Linux architecture stacktop runs on (x86-64, arm64).
public struct Signal: Sendable, Hashable, CustomStringConvertible {
    /// The Linux signal number.
    public let number: Int32

    public init(_ number: Int32) {
        self.number = number
    }

    public static let hup = Signal(1)
    public static let int = Signal(2)
    public static let quit = Signal(3)
    public static let abrt = Signal(6)
    public static let kill = Signal(9)
    public static let usr1 = Signal(10)
    public static let segv = Signal(11)
    public static let usr2 = Signal(12)
    public static let pipe = Signal(13)
    public static let term = Signal(15)
    public static let cont = Signal(18)
    public static let stop = Signal(19)
    public static let winch = Signal(28)

    /// Every signal with a name here, in number order, with its name without `SIG`.
    public static let named: [(signal: Signal, shortName: String)] = [
        (hup, "HUP"), (int, "INT"), (quit, "QUIT"), (abrt, "ABRT"), (kill, "KILL"), (usr1, "USR1"),
        (segv, "SEGV"), (usr2, "USR2"), (pipe, "PIPE"), (term, "TERM"), (cont, "CONT"), (stop, "STOP"),
        (winch, "WINCH"),
    ]

    /// The signal `text` names: a name with or without `SIG` (any case) or the number of a
    /// named signal; nil for anything else.
    public init?(parsing text: String) {
        var name = text.uppercased()
        if name.hasPrefix("SIG") { name.removeFirst(3) }
        if let n = Int32(name) {
            guard Self.named.contains(where: { $0.signal.number == n }) else { return nil }
            self.init(n)
        } else if let found = Self.named.first(where: { $0.shortName == name }) {
            self = found.signal
        } else {
            return nil
        }
    }

    /// `KILL`, `TERM`, … (the form supervisord's `stopsignal=` takes); the number when unnamed.
    public var shortName: String {
        Self.named.first { $0.signal == self }?.shortName ?? String(number)
    }

    /// `SIGKILL`, `SIGTERM`, …; `signal 42` for a number without a name here.
    public var name: String {
        Self.named.first { $0.signal == self }.map { "SIG" + $0.shortName } ?? "signal \(number)"
    }

    public var description: String { name }
}
