/// The same drill on several stacks, repeated: one row per topology with medians and spreads.
///
/// Columns: exit detected, replacement spawned, first served by a replacement, recovered (over
/// the runs that recovered, plus how many did not), failed requests, failure window (last minus
/// first failure, over the runs with failures). A figure only some runs have says `, n of N`. A topology that refused the scenario gets a row
/// with the reason instead of figures.
public struct DrillComparison: Sendable, Equatable {
    /// The median and range of one figure over the runs that have it.
    public struct Spread: Sendable, Equatable {
        public var median: Double
        public var min: Int
        public var max: Int
        /// Runs that had the figure.
        public var count: Int

        /// nil when `values` is empty.
        public init?(_ values: [Int]) {
            guard !values.isEmpty else { return nil }
            let sorted = values.sorted()
            let mid = sorted.count / 2
            median = sorted.count % 2 == 1 ? Double(sorted[mid]) : Double(sorted[mid - 1] + sorted[mid]) / 2
            min = sorted[0]
            max = sorted[sorted.count - 1]
            count = sorted.count
        }
    }

    /// One topology's figures.
    public struct Row: Sendable, Equatable {
        public var topology: String
        /// Why the scenario does not apply; nil when it ran.
        public var refusal: String?
        public var runs: Int
        public var exitDetected: Spread?
        public var replacementSpawned: Spread?
        public var firstServed: Spread?
        public var recovered: Spread?
        public var notRecovered: Int
        public var failed: Spread?
        public var failureWindow: Spread?
        /// Deploy drills: the runs ran an operation.
        public var isDeploy = false
        /// Failed requests by kind, summed over the runs.
        public var failureKinds: [String: Int] = [:]
        /// deploy: from the command until every answer is the new version; old answers after it.
        public var cutover: Spread?
        public var oldVersion: Spread?
        public var slowest: Spread?
        /// The servers' own log lines explaining failures (from the first run with failures).
        public var explanations: [String] = []
        /// slow-request-timeout: what the client got, by outcome (`500`: 3), after how long,
        /// and the access logs' statuses of the first run (`front 500, upstream 500, app 500`).
        public var slowOutcomes: [String: Int] = [:]
        public var slowTook: Spread?
        public var slowHops: String?
        /// recycle: recycles in ps and in the server's log, p99 of the load and capacity
        /// (answers/s) before and while recycling, and capacity while ÷ before in percent.
        public var isRecycle = false
        public var recyclesInTree: Spread?
        public var recyclesInLog: Spread?
        public var p99Before: Spread?
        public var p99While: Spread?
        public var capacityBefore: Spread?
        public var capacityWhile: Spread?
        public var capacityPercent: Spread?
        /// Failed requests of the load while recycling (the reload's own failures are in `failed`).
        public var recyclingFailed: Spread?
        public var recyclingFailureKinds: [String: Int] = [:]

        /// The row of `reports` (all of one topology).
        public init(topology: String, reports: [DrillReport]) {
            self.topology = topology
            refusal = nil
            runs = reports.count
            exitDetected = Spread(reports.compactMap(\.exitDetectedMs))
            replacementSpawned = Spread(reports.compactMap(\.replacementSpawnedMs))
            firstServed = Spread(reports.compactMap(\.firstServedByReplacementMs))
            recovered = Spread(reports.filter(\.recovered).compactMap(\.recoveredMs))
            notRecovered = reports.filter { !$0.recovered }.count
            failed = Spread(reports.map(\.failedRequests))
            failureWindow = Spread(reports.compactMap(\.failureWindowMs))
            isDeploy = reports.contains { $0.deploy != nil }
            for r in reports { failureKinds.merge(r.failures) { $0 + $1 } }
            cutover = Spread(reports.compactMap { $0.deploy?.cutoverMs })
            oldVersion = Spread(reports.compactMap { $0.deploy?.oldVersionResponses })
            slowest = Spread(reports.compactMap(\.slowestMs))
            explanations = reports.first { $0.failedRequests > 0 && !$0.explanations.isEmpty }?.explanations ?? []
            let slow = reports.compactMap(\.slowRequest)
            for s in slow { slowOutcomes[s.outcome, default: 0] += 1 }
            slowTook = Spread(slow.compactMap(\.tookMs))
            slowHops = slow.first.map(\.hopsText)
            let recycles = reports.compactMap(\.recycle)
            isRecycle = !recycles.isEmpty
            recyclesInTree = Spread(recycles.map(\.recyclesInTree))
            recyclesInLog = Spread(recycles.compactMap(\.recyclesInLog))
            p99Before = Spread(recycles.compactMap(\.baseline.p99Ms))
            p99While = Spread(recycles.compactMap(\.recycling.p99Ms))
            capacityBefore = Spread(
                recycles.compactMap { $0.capacityBefore.map { Int($0.answeredPerSecond.rounded()) } })
            capacityWhile = Spread(recycles.compactMap { $0.capacityWhile.map { Int($0.answeredPerSecond.rounded()) } })
            capacityPercent = Spread(recycles.compactMap { $0.capacityRatio.map { Int(($0 * 100).rounded()) } })
            recyclingFailed = Spread(recycles.map(\.recycling.failed))
            for r in recycles { recyclingFailureKinds.merge(r.recycling.failures) { $0 + $1 } }
            if !slow.isEmpty, explanations.isEmpty {
                explanations = reports.first { !$0.explanations.isEmpty }?.explanations ?? []
            }
        }

        /// A row for a topology the scenario does not apply to.
        public init(topology: String, refusal: String) {
            self.topology = topology
            self.refusal = refusal
            runs = 0
            notRecovered = 0
        }
    }

    public var scenario: String
    public var rows: [Row]

    /// Rows in the order of `topologies`; each takes the reports of its topology. A topology in
    /// `refusals` gets a refused row.
    public init(scenario: String, topologies: [String], reports: [DrillReport], refusals: [String: String] = [:]) {
        self.scenario = scenario
        rows = topologies.map { name in
            if let reason = refusals[name] { return Row(topology: name, refusal: reason) }
            return Row(topology: name, reports: reports.filter { $0.topology == name })
        }
    }

    /// Column headings, in table order.
    public static let headings = [
        "topology", "runs", "exit detected", "replaced", "first served",
        "recovered", "failed requests", "failure window",
    ]
    /// Column headings of a deploy drill's table (reload, restart, deploy, scale).
    public static let deployHeadings = [
        "topology", "runs", "failed requests", "failures by kind", "cutover",
        "old-version answers", "slowest request", "settled",
    ]

    /// Column headings of slow-request-timeout's table.
    public static let slowHeadings = [
        "topology", "runs", "client got", "after", "access logs",
        "replaced", "recovered", "failed requests",
    ]

    /// Column headings of recycle's table.
    public static let recycleHeadings = [
        "topology", "runs", "recycles in ps", "recycles in the log", "failed while recycling",
        "p99 before → while", "capacity before → while", "capacity kept",
    ]

    /// Whether the table is recycle's (any run measured recycling).
    public var isRecycle: Bool { rows.contains { $0.isRecycle } }

    /// Whether the table is a deploy drill's (any run ran an operation).
    public var isDeploy: Bool { rows.contains { $0.isDeploy } }

    /// Whether the table is slow-request-timeout's (any run sent a slow request).
    public var isSlowRequest: Bool { rows.contains { !$0.slowOutcomes.isEmpty } }

    /// This table's headings.
    public var headings: [String] {
        isRecycle
            ? Self.recycleHeadings : isDeploy ? Self.deployHeadings : isSlowRequest ? Self.slowHeadings : Self.headings
    }

    /// The table's cells, one array per row (headings not included).
    public var cells: [[String]] {
        rows.map { row in
            guard row.refusal == nil else {
                return [row.topology, "0", "refused: \(row.refusal ?? "")"]
                    + Array(repeating: "", count: headings.count - 3)
            }
            if isRecycle { return recycleCells(row) }
            if isDeploy { return deployCells(row) }
            var recovered = Self.ms(row.recovered)
            if row.notRecovered > 0 {
                let note = "\(row.notRecovered)/\(row.runs) did not recover"
                recovered = row.recovered == nil ? note : "\(recovered), \(note)"
            }
            func some(_ s: Spread?) -> String { Self.ms(s) + Self.partial(s, of: row.runs) }
            if isSlowRequest {
                let got = row.slowOutcomes.sorted { ($0.value, $1.key) > ($1.value, $0.key) }
                    .map { "\($0.value)× \($0.key)" }.joined(separator: ", ")
                return [
                    row.topology, String(row.runs), got.isEmpty ? "–" : got, some(row.slowTook), row.slowHops ?? "–",
                    some(row.replacementSpawned), recovered, Self.count(row.failed),
                ]
            }
            return [
                row.topology, String(row.runs), some(row.exitDetected), some(row.replacementSpawned),
                some(row.firstServed), recovered, Self.count(row.failed), some(row.failureWindow),
            ]
        }
    }

    /// One row of recycle's table.
    func recycleCells(_ row: Row) -> [String] {
        func pair(_ a: Spread?, _ b: Spread?, _ unit: String) -> String {
            guard let a, let b else { return "–" }
            return "\(Self.number(a.median)) → \(Self.number(b.median))\(unit)"
        }
        let kinds = DrillReport.orderedKinds(row.recyclingFailureKinds).map { "\($0.count)× \($0.kind)" }.joined(
            separator: ", ")
        return [
            row.topology, String(row.runs), Self.count(row.recyclesInTree), Self.count(row.recyclesInLog),
            Self.count(row.recyclingFailed) + (kinds.isEmpty ? "" : " (\(kinds))"),
            pair(row.p99Before, row.p99While, " ms"),
            pair(row.capacityBefore, row.capacityWhile, " /s"),
            row.capacityPercent.map { s in
                s.min == s.max ? "\(Self.number(s.median)) %" : "\(Self.number(s.median)) % (\(s.min)–\(s.max))"
            } ?? "–",
        ]
    }

    /// One row of a deploy drill's table.
    func deployCells(_ row: Row) -> [String] {
        var settled = Self.ms(row.recovered)
        if row.notRecovered > 0 {
            let note = "\(row.notRecovered)/\(row.runs) did not settle"
            settled = row.recovered == nil ? note : "\(settled), \(note)"
        }
        let kinds = DrillReport.orderedKinds(row.failureKinds).map { "\($0.count)× \($0.kind)" }.joined(separator: ", ")
        return [
            row.topology, String(row.runs), Self.count(row.failed), kinds.isEmpty ? "–" : kinds,
            Self.ms(row.cutover) + Self.partial(row.cutover, of: row.runs), Self.count(row.oldVersion),
            Self.ms(row.slowest), settled,
        ]
    }

    /// "Why requests failed" lines: each stack with failures and its servers' own words.
    public var explanationLines: [String] {
        rows.filter { !$0.explanations.isEmpty }.flatMap { row in row.explanations.map { "\(row.topology): \($0)" } }
    }

    /// `, 2 of 3` when only some runs have the figure.
    static func partial(_ s: Spread?, of runs: Int) -> String {
        guard let s, s.count < runs else { return "" }
        return ", \(s.count) of \(runs)"
    }

    /// `12 ms (10–15)`; one run or no spread: `12 ms`; no value: `–`.
    static func ms(_ s: Spread?) -> String {
        guard let s else { return "–" }
        let median = number(s.median)
        return s.min == s.max ? "\(median) ms" : "\(median) ms (\(s.min)–\(s.max))"
    }

    /// `1 (0–2)` / `1`.
    static func count(_ s: Spread?) -> String {
        guard let s else { return "–" }
        let median = number(s.median)
        return s.min == s.max ? median : "\(median) (\(s.min)–\(s.max))"
    }

    /// A median without a needless `.0`: `12`, `12.5`.
    static func number(_ v: Double) -> String {
        v == v.rounded() ? String(Int(v)) : String(v)
    }
}
