/// The comparison table as Markdown, aligned text and JSON.
extension DrillComparison {
    /// A sentence saying what the figures are, for above the table.
    public var caption: String {
        let runs = Set(rows.filter { $0.refusal == nil }.map(\.runs)).sorted()
        let over = runs.count == 1 ? "\(runs[0]) run\(runs[0] == 1 ? "" : "s") per stack" : "the runs of each stack"
        if isRecycle {
            return
                "Drill \(scenario): median (min–max) over \(over). Recycles in the 5 s window after the reload settled, in ps and in the server's own log; p99 of the drill's load before the reload and while recycling; capacity: answers/s of a 2 s closed loop (8 connections) before and while recycling (medians of each), capacity kept: the median of each run's while ÷ before. Failures during the reload itself are in the servers' words below."
        }
        if isDeploy {
            return
                "Drill \(scenario): median (min–max) over \(over); times in ms after the command. Cutover: until every answer is the new version; settled: every worker new and serving, no failed request for 1 s."
        }
        return "Drill \(scenario): median (min–max) over \(over); times in ms after the fault."
    }

    /// A GitHub Markdown table, with the caption above it.
    public var markdown: String {
        var lines = [caption, ""]
        lines.append("| " + headings.joined(separator: " | ") + " |")
        lines.append("|" + headings.indices.map { $0 == 0 ? "---|" : "---:|" }.joined())
        for row in cells {
            lines.append("| " + row.map { $0.replacingBars }.joined(separator: " | ") + " |")
        }
        if !explanationLines.isEmpty {
            lines += ["", "Why requests failed, in the servers' own words:", ""]
            lines += explanationLines.map { "- `" + $0.replacingOccurrences(of: "`", with: "'") + "`" }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Aligned columns for a terminal: the caption, the headings, a rule, one line per topology
    /// (a refused topology says why after its name, outside the columns).
    public var text: String {
        let all = cells
        let measured = [headings] + zip(rows, all).filter { $0.0.refusal == nil }.map(\.1)
        var widths = headings.map { _ in 0 }
        for row in measured + all.map({ [$0[0]] }) {
            for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) }
        }
        func line(_ row: [String]) -> String {
            let padded = row.enumerated().map { i, cell -> String in
                let pad = String(repeating: " ", count: max(0, widths[i] - cell.count))
                return i == 0 ? cell + pad : pad + cell
            }
            var text = padded.joined(separator: "  ")
            while text.hasSuffix(" ") { text.removeLast() }
            return text
        }
        var lines = [caption, line(headings)]
        lines.append(widths.map { String(repeating: "-", count: $0) }.joined(separator: "  "))
        for (row, cells) in zip(rows, all) {
            if let refusal = row.refusal {
                lines.append(line([row.topology, "0"]) + "  refused: " + refusal)
            } else {
                lines.append(line(cells))
            }
        }
        if !explanationLines.isEmpty {
            lines.append("Why requests failed, in the servers' own words:")
            lines += explanationLines.map { "  " + $0 }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// One JSON object (`"type":"compare"`), a row per topology.
    public var json: String { jsonValue.encoded }

    public var jsonValue: JSONValue {
        func spread(_ s: Spread?) -> JSONValue {
            guard let s else { return .null }
            return .object([
                ("median", .double(s.median)), ("min", .int(s.min)), ("max", .int(s.max)), ("n", .int(s.count)),
            ])
        }
        return .object([
            ("type", .string("compare")), ("scenario", .string(scenario)),
            (
                "rows",
                .array(
                    rows.map { row in
                        var fields: [(String, JSONValue)] = [
                            ("topology", .string(row.topology)), ("runs", .int(row.runs)),
                        ]
                        if let refusal = row.refusal { fields.append(("refused", .string(refusal))) }
                        fields += [
                            ("exit_detected_ms", spread(row.exitDetected)),
                            ("replacement_spawned_ms", spread(row.replacementSpawned)),
                            ("first_served_ms", spread(row.firstServed)),
                            ("recovered_ms", spread(row.recovered)),
                            ("not_recovered", .int(row.notRecovered)),
                            ("failed_requests", spread(row.failed)),
                            ("failure_window_ms", spread(row.failureWindow)),
                        ]
                        if row.isDeploy {
                            fields += [
                                (
                                    "failures",
                                    .object(
                                        DrillReport.orderedKinds(row.failureKinds).map { ($0.kind, .int($0.count)) })
                                ),
                                ("cutover_ms", spread(row.cutover)), ("old_version_responses", spread(row.oldVersion)),
                                ("slowest_ms", spread(row.slowest)),
                                ("explanations", .array(row.explanations.map { .string($0) })),
                            ]
                        }
                        if row.isRecycle {
                            fields += [
                                ("recycles_in_tree", spread(row.recyclesInTree)),
                                ("recycles_in_log", spread(row.recyclesInLog)),
                                ("p99_before_ms", spread(row.p99Before)), ("p99_while_ms", spread(row.p99While)),
                                ("capacity_before_per_s", spread(row.capacityBefore)),
                                ("capacity_while_per_s", spread(row.capacityWhile)),
                                ("capacity_kept_percent", spread(row.capacityPercent)),
                                ("failed_while_recycling", spread(row.recyclingFailed)),
                            ]
                        }
                        if !row.slowOutcomes.isEmpty {
                            fields += [
                                (
                                    "slow_request",
                                    .object(
                                        row.slowOutcomes.sorted { $0.key < $1.key }.map { ($0.key, .int($0.value)) })
                                ),
                                ("slow_request_ms", spread(row.slowTook)),
                                ("slow_request_hops", row.slowHops.map { .string($0) } ?? .null),
                                ("explanations", .array(row.explanations.map { .string($0) })),
                            ]
                        }
                        return .object(fields)
                    })
            ),
        ])
    }
}

extension String {
    /// `|` escaped for a Markdown table cell.
    var replacingBars: String {
        var out = ""
        for c in self { out += c == "|" ? "\\|" : String(c) }
        return out
    }
}
