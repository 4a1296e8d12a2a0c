/// Why a request got no response.
public enum LoadErrorKind: String, Sendable, Equatable, Hashable, CaseIterable, Comparable, CustomStringConvertible {
    /// The connection was refused (nothing listens on the port).
    case refused
    /// The connection was reset or closed before the response was complete.
    case reset
    /// No complete response within the per-request timeout (counted from the scheduled time).
    case timeout
    /// Every connection was busy and the waiting queue was full: the request was never sent.
    case overflow
    /// The generator stopped while the request was pending.
    case cancelled
    /// Any other failure (a malformed response, an unexpected socket error).
    case other

    public static func < (a: LoadErrorKind, b: LoadErrorKind) -> Bool { a.rawValue < b.rawValue }

    /// The name in events and on screen (`refused`, `timeout`, …).
    public var description: String { rawValue }
}
