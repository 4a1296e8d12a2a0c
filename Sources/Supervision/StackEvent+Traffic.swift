extension StackEvent {
    /// The figures of a `traffic` event: stacktop's own requests (the load generator's view) and
    /// every request each access log saw (`logs`, the front door's first).
    ///
    /// The figures are `Traffic`'s own values (`TrafficWindow`, `AccessLogWindow`) as it measured
    /// them, rounded to 3 decimals; the dashboard's `TrafficSecond` holds this value too.
    public struct Traffic: Sendable, Equatable {
        /// True for the run's totals (sent once, right before `stopped`), false for one second.
        public var final: Bool
        /// The span the figures cover, in ms.
        public var windowMs: Int
        /// Whether the load generator was on, and its target rate (requests per second).
        public var load: Bool
        public var rate: Int
        /// The generator's requests that ended in the span (answered or failed): `samples` is
        /// the event's `sent`, `rps` the answered requests per second, `byWorker` by `X-Worker-Pid`,
        /// `byVersion` by `X-App-Version` (empty without it).
        public var requests: TrafficWindow
        public var logs: [Log]

        public init(
            final: Bool = false, windowMs: Int, load: Bool, rate: Int, requests: TrafficWindow,
            logs: [Log] = []
        ) {
            self.final = final
            self.windowMs = windowMs
            self.load = load
            self.rate = rate
            self.requests = requests
            self.logs = logs
        }

        /// One server's access log view: every client's requests (stacktop's probes apart).
        public struct Log: Sendable, Equatable {
            public var component: String
            public var server: String
            public var frontDoor: Bool
            public var window: AccessLogWindow

            public init(component: String, server: String, frontDoor: Bool, window: AccessLogWindow) {
                self.component = component
                self.server = server
                self.frontDoor = frontDoor
                self.window = window
            }

            var jsonValue: JSONValue {
                let w = window
                var f: [(String, JSONValue)] = [
                    ("component", .string(component)), ("server", .string(server)), ("front_door", .bool(frontDoor)),
                    ("lines", .int(w.lines)), ("requests", .int(w.requests)), ("probes", .int(w.probes)),
                    ("rps", .double(w.rps)), ("p50_ms", Traffic.ms(w.p50Ms)), ("p99_ms", Traffic.ms(w.p99Ms)),
                ]
                if w.upstreamP50Ms != nil || w.upstreamP99Ms != nil {
                    f += [
                        ("upstream_p50_ms", Traffic.ms(w.upstreamP50Ms)),
                        ("upstream_p99_ms", Traffic.ms(w.upstreamP99Ms)),
                    ]
                }
                f += [
                    ("by_status", Traffic.counts(w.byStatus)), ("by_worker", Traffic.counts(w.byWorker)),
                    ("front_errors", .int(w.frontErrors)), ("app_errors", .int(w.appErrors)),
                ]
                return .object(f)
            }
        }

        /// The event's own fields in a stable order (DESIGN's `rps`, `p50_ms`, `p99_ms`,
        /// `by_status`, `by_worker` among them); count objects have sorted keys. The generator's
        /// figures are `TrafficWindow.eventFields`.
        var jsonFields: [(String, JSONValue)] {
            var f: [(String, JSONValue)] = []
            if final { f.append(("final", .bool(true))) }
            f += [
                ("window_ms", .int(windowMs)), ("load", .bool(load)), ("rate", .int(rate)),
                ("sent", .int(requests.samples)),
            ]
            f += requests.eventFields.map { ($0.0, Self.json($0.1)) }
            if !requests.byVersion.isEmpty { f.append(("by_version", Self.counts(requests.byVersion))) }
            f.append(("logs", .array(logs.map(\.jsonValue))))
            return f
        }

        static func json(_ field: TrafficField) -> JSONValue {
            switch field {
            case let .double(v): return .double(v)
            case .null: return .null
            case let .counts(pairs): return .object(pairs.map { ($0.0, .int($0.1)) })
            }
        }

        static func ms(_ v: Double?) -> JSONValue { v.map { .double($0) } ?? .null }

        static func counts<K: BinaryInteger>(_ d: [K: Int]) -> JSONValue {
            .object(d.sorted { $0.key < $1.key }.map { (String($0.key), .int($0.value)) })
        }
    }
}
