/// The two renderings of a drill report: one JSON line and the human text.
extension DrillReport {
    /// One `"type":"drill"` JSON object, fields in a stable order (`t_ms` first, as events have).
    public var jsonLine: String { jsonValue.encoded }

    /// The report as a JSON value (`jsonLine` encodes it; `DrillComparison.json` embeds it).
    public var jsonValue: JSONValue {
        func ms(_ v: Int?) -> JSONValue { v.map { .int($0) } ?? .null }
        var fields: [(String, JSONValue)] = [
            ("t_ms", .int(faultAtMs + endedMs)), ("type", .string("drill")),
            ("scenario", .string(scenario)), ("topology", .string(topology)),
            ("target", .string(target)), ("detail", .string(detail)), ("load_rps", .int(loadRps)),
            ("fault_at_ms", .int(faultAtMs)), ("timeout_ms", .int(timeoutMs)), ("quiet_ms", .int(quietMs)),
            ("resumed_ms", ms(resumedMs)), ("exit_detected_ms", ms(exitDetectedMs)),
            ("replacement_spawned_ms", ms(replacementSpawnedMs)),
            ("first_served_ms", ms(firstServedByReplacementMs)),
            (
                "replacements",
                .array(
                    replacements.map { r in
                        .object([
                            ("component", .string(r.component)), ("role", .string(r.role)),
                            ("old_pid", .int(Int(r.oldPid))), ("new_pid", .int(Int(r.newPid))),
                            ("spawned_ms", .int(r.spawnedMs)), ("seen_ms", .int(r.seenMs)),
                            ("first_served_ms", ms(r.firstServedMs)),
                        ])
                    })
            ),
            ("down_ms", ms(downMs)), ("crash_looping_ms", ms(crashLoopingMs)),
            ("requests", .int(requests)), ("failed", .int(failedRequests)),
            ("failures", .object(Self.orderedKinds(failures).map { ($0.kind, .int($0.count)) })),
            (
                "failure_window",
                firstFailureMs.map { first in
                    .object([("first_ms", .int(first)), ("last_ms", ms(lastFailureMs))])
                } ?? .null
            ),
            ("slowest_ms", ms(slowestMs)),
        ]
        if let provoked {
            fields.append(
                (
                    "provoked",
                    .object([
                        ("sent", .int(provoked.sent)),
                        ("failures", .object(Self.orderedKinds(provoked.failures).map { ($0.kind, .int($0.count)) })),
                    ])
                ))
        }
        if let deploy {
            fields.append(
                (
                    "deploy",
                    .object([
                        ("operation", .string(deploy.operation)), ("how", .string(deploy.how)),
                        ("command_ended_ms", ms(deploy.endedMs)),
                        ("command_output", deploy.output.map { .string($0) } ?? .null),
                        ("command_failed", .bool(deploy.commandFailed)),
                        ("version_before", ms(deploy.versionBefore)), ("version_after", ms(deploy.versionAfter)),
                        ("old_version_responses", ms(deploy.oldVersionResponses)),
                        ("first_new_version_ms", ms(deploy.firstNewVersionMs)), ("cutover_ms", ms(deploy.cutoverMs)),
                    ])
                ))
        }
        if let slowRequest { fields.append(("slow_request", slowRequest.json)) }
        if let recycle { fields.append(("recycle", recycle.json)) }
        if !explanations.isEmpty { fields.append(("explanations", .array(explanations.map { .string($0) }))) }
        if !seconds.isEmpty {
            fields.append(
                (
                    "seconds",
                    .array(
                        seconds.map { s in
                            .object([
                                ("start_ms", .int(s.startMs)), ("ok", .int(s.ok)),
                                ("failures", .object(Self.orderedKinds(s.failures).map { ($0.kind, .int($0.count)) })),
                                (
                                    "versions",
                                    .object(
                                        s.versions.sorted { $0.key < $1.key }.map { (String($0.key), .int($0.value)) })
                                ),
                            ])
                        })
                ))
        }
        fields += [
            ("recovered", .bool(recovered)), ("recovered_ms", ms(recoveredMs)),
            ("still_wrong", .array(stillWrong.map { .string($0) })),
            (
                "orphans",
                .array(
                    orphans.map {
                        .object([
                            ("pid", .int(Int($0.pid))), ("component", .string($0.component)),
                            ("role", .string($0.role)),
                        ])
                    })
            ),
            ("ended_ms", .int(endedMs)),
        ]
        return .object(fields)
    }

    /// The human report: a headline, then labelled lines wrapped to `width` columns.
    public func textLines(width: Int = 80) -> [String] {
        var out = [headline]
        func add(_ label: String, _ text: String) {
            out += Self.wrap(
                text, width: width, first: "  " + label.padding(10) + " ", rest: String(repeating: " ", count: 13))
        }
        add("target", "\(target): \(detail)")
        add("fault", "at \(faultAtMs) ms after launch, load \(loadRps) req/s")
        if let resumed = resumedMs { add("continued", "\(Self.rel(resumed)) (SIGCONT)") }
        add("exit", exitDetectedMs.map { "detected \(Self.rel($0))" } ?? "none seen")
        if replacements.isEmpty {
            // A restart starts a new root itself (its pid is in the command line below).
            add(
                "replaced",
                deploy?.operation == "restart"
                    ? "no process replaced one in place: the restart started new ones"
                    : "no replacement process")
        }
        for r in replacements.prefix(4) {
            let served = r.firstServedMs.map { "first served \(Self.rel($0))" } ?? "not seen serving"
            let seen = r.seenMs > r.spawnedMs + 20 ? " (seen \(Self.rel(r.seenMs)))" : ""
            add(
                "replaced",
                "\(Self.rel(r.spawnedMs))\(seen): \(r.component) \(r.role) \(r.oldPid) -> \(r.newPid), \(served)")
        }
        if replacements.count > 4 { add("", "… and \(replacements.count - 4) more replacements") }
        if let first = firstServedByReplacementMs {
            add("served", "first request answered by a new process \(Self.rel(first))")
        }
        if let d = downMs { add("down", "\(Self.rel(d)): a root process died and nothing restarted it") }
        if let c = crashLoopingMs { add("looping", "\(Self.rel(c)): crash-looping (FATAL)") }
        add("failures", failureText)
        if let slowest = slowestMs { add("slowest", "\(slowest) ms from schedule to answer") }
        for line in explanations { add("server log", line) }
        if let deploy {
            if let ended = deploy.endedMs, ended > 0 {
                add(
                    "command",
                    "returned \(Self.rel(ended))\(deploy.commandFailed ? " with an error" : "")"
                        + (deploy.output.map { ": \($0)" } ?? ""))
            }
            if let after = deploy.versionAfter {
                var text = "\(deploy.versionBefore.map(String.init) ?? "?") -> \(after): "
                if let first = deploy.firstNewVersionMs, let cutover = deploy.cutoverMs {
                    text += "first new answer \(Self.rel(first)), every answer new from \(Self.rel(cutover)) (cutover)"
                } else {
                    text += "no answer of the new version"
                }
                let old = deploy.oldVersionResponses ?? 0
                text += "; \(old) answer\(old == 1 ? "" : "s") of the old version after the command"
                add("version", text)
            }
        }
        if let provoked {
            let failed = provoked.failures.values.reduce(0, +)
            add(
                "provoked",
                "\(provoked.sent) /crash request\(provoked.sent == 1 ? "" : "s"), \(failed) failed by design\(Self.kindsText(provoked.failures))"
            )
        }
        if let slowRequest { add("slow GET", slowRequest.text) }
        if let recycle { for (label, text) in recycle.lines { add(label, text) } }
        if recovered, let at = recoveredMs {
            add("recovered", "\(Self.rel(at)) (then no failed request for \(quietMs) ms)")
        } else {
            add("recovered", "no, not within \(Self.seconds(timeoutMs))")
            for (i, wrong) in stillWrong.enumerated() { add(i == 0 ? "wrong" : "", wrong) }
        }
        add(
            "orphans",
            orphans.isEmpty ? "none" : orphans.map { "\($0.pid) (\($0.component) \($0.role))" }.joined(separator: ", "))
        return out
    }

    /// `drill SCENARIO on TOPOLOGY: recovered in 112 ms` / `…: did not recover within 15 s`.
    public var headline: String {
        let verdict =
            recovered
            ? "recovered in \(recoveredMs.map { "\($0) ms" } ?? "?")"
            : "did not recover within \(Self.seconds(timeoutMs))"
        return
            "drill \(scenario) on \(topology): \(verdict), \(failedRequests) failed request\(failedRequests == 1 ? "" : "s")"
    }

    private var failureText: String {
        guard failedRequests > 0 else { return "none of \(requests) requests" }
        var text = "\(failedRequests) of \(requests) requests\(Self.kindsText(failures))"
        if let first = firstFailureMs, let last = lastFailureMs {
            text += first == last ? ", at \(Self.rel(first))" : ", from \(Self.rel(first)) to \(Self.rel(last))"
        }
        return text
    }

    static func kindsText(_ failures: [String: Int]) -> String {
        let kinds = orderedKinds(failures)
        guard !kinds.isEmpty else { return "" }
        return ": " + kinds.map { "\($0.count)× \($0.kind)" }.joined(separator: ", ")
    }

    /// `+12 ms` / `+1.48 s` / `-3 ms`, relative to the fault.
    static func rel(_ ms: Int) -> String {
        let sign = ms < 0 ? "-" : "+"
        let a = abs(ms)
        if a < 10_000 { return "\(sign)\(a) ms" }
        return "\(sign)\(a / 1000).\(twoDigits((a % 1000) / 10)) s"
    }

    static func seconds(_ ms: Int) -> String {
        ms % 1000 == 0 ? "\(ms / 1000) s" : "\(ms / 1000).\(twoDigits((ms % 1000) / 10)) s"
    }

    /// Two digits with a leading zero.
    static func twoDigits(_ value: Int) -> String {
        value < 10 ? "0\(value)" : "\(value)"
    }

    /// Greedy word wrap: `first` prefixes the first line, `rest` the others.
    static func wrap(_ text: String, width: Int, first: String, rest: String) -> [String] {
        var lines: [String] = []
        var current = first
        var empty = true
        // A unit stays with its number: "+30 ms" never breaks.
        var words: [String] = []
        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            let isUnit = word.hasPrefix("ms") || word == "s" || word.hasPrefix("s,") || word.hasPrefix("s)")
            if isUnit, let last = words.last, last.last?.isNumber == true {
                words[words.count - 1] = last + " " + word
            } else {
                words.append(String(word))
            }
        }
        for word in words {
            if !empty && current.count + 1 + word.count > width {
                lines.append(current)
                current = rest
                empty = true
            }
            current += (empty ? "" : " ") + word
            empty = false
        }
        lines.append(current)
        return lines
    }
}

extension String {
    /// Pads with spaces to at least `width` characters.
    func padding(_ width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
