/// slow-request-timeout: what the client got for its one slow request, and which hop said so.
extension DrillReport {
    public struct SlowRequest: Sendable, Equatable {
        /// `/slow?ms=35000`.
        public var path: String
        /// The app server's timeout it runs past (s).
        public var timeoutSeconds: Int?
        /// How long the client waited for the answer (ms); nil when none came yet.
        public var tookMs: Int?
        /// The status the client got, or nil (then `error` says why).
        public var status: Int?
        /// `reset`, `timeout`, … when no answer came.
        public var error: String?
        /// Whether the app itself answered (the demo app's `X-Worker-Pid` was on the answer).
        public var fromApp: Bool
        /// The front server's access log line for it: its status, and for nginx the status it
        /// got from upstream (`-` when it got none). Filled in by the runner from the log.
        public var frontStatus: String?
        public var upstreamStatus: String?
        /// The app server's access log status for it; "no line" when the app server logged none.
        public var appStatus: String?

        public init(
            path: String, timeoutSeconds: Int? = nil, tookMs: Int? = nil, status: Int? = nil,
            error: String? = nil, fromApp: Bool = false, frontStatus: String? = nil,
            upstreamStatus: String? = nil, appStatus: String? = nil
        ) {
            self.path = path
            self.timeoutSeconds = timeoutSeconds
            self.tookMs = tookMs
            self.status = status
            self.error = error
            self.fromApp = fromApp
            self.frontStatus = frontStatus
            self.upstreamStatus = upstreamStatus
            self.appStatus = appStatus
        }

        /// What the client got: `500`, `502`, `reset`, `no answer`.
        public var outcome: String {
            if let status { return String(status) }
            return error ?? "no answer"
        }

        /// One line: "500 after 30.17 s; front (nginx) access log: 500, upstream 500; app: no line".
        public var text: String {
            var t = "GET \(path): "
            if let tookMs {
                t += "\(outcome) after \(DrillReport.seconds(tookMs))"
                if status != nil { t += fromApp ? " (answered by the app)" : " (not from the app: no X-Worker-Pid)" }
            } else {
                t += "no answer yet"
            }
            if let frontStatus {
                t += "; front access log: \(frontStatus)"
                if let upstreamStatus { t += ", upstream status \(upstreamStatus)" }
            }
            if let appStatus { t += "; app server access log: \(appStatus)" }
            return t
        }

        /// `front 500, upstream 500, app 500` (what the access logs hold); `–` when none.
        public var hopsText: String {
            var parts: [String] = []
            if let frontStatus { parts.append("front \(frontStatus)") }
            if let upstreamStatus { parts.append("upstream \(upstreamStatus)") }
            if let appStatus { parts.append("app \(appStatus)") }
            return parts.isEmpty ? "–" : parts.joined(separator: ", ")
        }

        var json: JSONValue {
            func s(_ v: String?) -> JSONValue { v.map { .string($0) } ?? .null }
            return .object([
                ("path", .string(path)), ("timeout_s", timeoutSeconds.map { .int($0) } ?? .null),
                ("took_ms", tookMs.map { .int($0) } ?? .null), ("status", status.map { .int($0) } ?? .null),
                ("error", s(error)), ("outcome", .string(outcome)), ("from_app", .bool(fromApp)),
                ("front_status", s(frontStatus)), ("upstream_status", s(upstreamStatus)), ("app_status", s(appStatus)),
            ])
        }
    }
}
