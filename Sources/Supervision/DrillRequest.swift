/// One client request as a drill sees it: when it ended, how, and which worker answered.
///
/// Times are ms since launch on the stack's clock (the one `StackEvent.tMs` uses).
public struct DrillRequest: Sendable, Equatable {
    /// When the request completed (answer or error).
    public var tMs: Int
    /// When it was due to be sent (open-loop schedule).
    public var scheduledMs: Int
    /// The HTTP status, when an answer came.
    public var status: Int?
    /// Why no answer came: `refused`, `reset`, `timeout`, `overflow`, `cancelled` or `other`.
    public var error: String?
    /// `X-Worker-Pid` of the answer, when present (nginx's own 502s have none).
    public var workerPid: Int32?
    /// The request path, e.g. `/`, `/slow?ms=50`, `/crash`.
    public var path: String
    /// `X-App-Version` of the answer, when present (the demo app's version number).
    public var appVersion: Int32?

    public init(
        tMs: Int, scheduledMs: Int, status: Int? = nil, error: String? = nil,
        workerPid: Int32? = nil, path: String = "/", appVersion: Int32? = nil
    ) {
        self.appVersion = appVersion
        self.tMs = tMs
        self.scheduledMs = scheduledMs
        self.status = status
        self.error = error
        self.workerPid = workerPid
        self.path = path
    }

    /// The error kinds a report keeps apart; anything else counts as `other`.
    public static let errorKinds = ["refused", "reset", "timeout", "overflow", "other"]

    /// How the request failed, as a report counts it: the status (`"502"`) for a 5xx that no
    /// app code meant, the error kind for no answer; nil for a success, a 4xx, a deliberate
    /// error (a 5xx the app itself answered on `/error`) or a request cancelled by the client.
    public var failureKind: String? {
        if let error {
            if error == "cancelled" { return nil }
            return Self.errorKinds.contains(error) ? error : "other"
        }
        guard let status else { return "other" }
        guard status >= 500 else { return nil }
        if isDeliberateError { return nil }
        return String(status)
    }

    /// Whether the request ended well (an answer below 500, or the app's own deliberate error).
    public var succeeded: Bool { failureKind == nil && error == nil }

    /// A 5xx answered by the app on purpose: the demo app's `/error` route, with its worker's pid.
    public var isDeliberateError: Bool {
        guard let status, status >= 500, workerPid != nil else { return false }
        return Self.pathOnly(path) == "/error"
    }

    /// Whether this is a request a crash-inside drill sends to make a worker die (`/crash`).
    public var isCrashRequest: Bool { Self.pathOnly(path) == "/crash" }

    /// The path without its query string.
    static func pathOnly(_ path: String) -> Substring {
        path.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? Substring(path)
    }
}
