/// A drill drawn as an SVG picture: the client's answers per second by outcome (top) and by
/// app version (bottom), with the fault (or the command) marked at 0 and, for a deploy, the
/// cutover. Plain SVG text, no dependency; every bar carries `data-t` (its second, ms from the
/// fault) and `data-count`, so tests and scripts can read the figures back.
public struct DrillPlot: Sendable {
    public var report: DrillReport
    public var width = 860
    public var panelHeight = 170

    public init(report: DrillReport) {
        self.report = report
    }

    /// Colours of outcomes and versions.
    static let okColour = "#3a9a4a"
    static let failureColours = ["#d62728", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"]
    static let versionColours = ["#1f77b4", "#17becf", "#bcbd22", "#2ca02c", "#9467bd", "#8c564b"]

    /// The picture.
    public var svg: String {
        let seconds = report.seconds
        let left = 56, right = 150, top = 62, gap = 46
        let plotW = width - left - right
        let height = top + panelHeight * 2 + gap + 40
        let first = seconds.first?.startMs ?? 0
        let last = (seconds.last?.startMs ?? 0) + 1000
        let span = max(1000, last - first)
        func x(_ ms: Int) -> Double { Double(left) + Double(ms - first) * Double(plotW) / Double(span) }
        let barW = max(1.0, Double(plotW) * 1000 / Double(span) - 2)
        let kinds = DrillReport.orderedKinds(
            seconds.reduce(into: [String: Int]()) { acc, s in acc.merge(s.failures) { $0 + $1 } }
        ).map(\.kind)
        let versions = Array(Set(seconds.flatMap { $0.versions.keys })).sorted()
        let maxTotal = max(1, seconds.map { $0.ok + $0.failed }.max() ?? 1)
        let maxVersion = max(1, seconds.map { $0.versions.values.reduce(0, +) }.max() ?? 1)

        var out: [String] = []
        out.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>")
        out.append(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(height)\" viewBox=\"0 0 \(width) \(height)\" font-family=\"sans-serif\" font-size=\"12\">"
        )
        out.append("<rect x=\"0\" y=\"0\" width=\"\(width)\" height=\"\(height)\" fill=\"#ffffff\"/>")
        out.append(
            "<text id=\"title\" x=\"\(left)\" y=\"20\" font-size=\"15\" font-weight=\"bold\">\(Self.escape(report.headline))</text>"
        )
        out.append("<text x=\"\(left)\" y=\"36\" fill=\"#555555\">\(Self.escape(Self.subtitle(report)))</text>")

        // Panel 1: answers per second by outcome (stacked: ok at the bottom, failures on top).
        let p1 = top + 8
        out += axes(y: p1, label: "requests/s by outcome", max: maxTotal, left: left, plotW: plotW)
        for s in seconds {
            var y = Double(p1 + panelHeight)
            func bar(_ cls: String, _ kind: String, _ count: Int, _ colour: String) {
                guard count > 0 else { return }
                let h = Double(count) * Double(panelHeight) / Double(maxTotal)
                y -= h
                out.append(
                    "<rect class=\"\(cls)\" data-kind=\"\(kind)\" data-t=\"\(s.startMs)\" data-count=\"\(count)\" x=\"\(Self.f(x(s.startMs) + 1))\" y=\"\(Self.f(y))\" width=\"\(Self.f(barW))\" height=\"\(Self.f(h))\" fill=\"\(colour)\"/>"
                )
            }
            bar("ok", "ok", s.ok, Self.okColour)
            for (i, kind) in kinds.enumerated() {
                bar("failed", kind, s.failures[kind] ?? 0, Self.failureColours[i % Self.failureColours.count])
            }
        }
        // Panel 2: answers per second by app version.
        let p2 = p1 + panelHeight + gap
        out += axes(y: p2, label: "answers/s by app version", max: maxVersion, left: left, plotW: plotW)
        for s in seconds {
            var y = Double(p2 + panelHeight)
            for (i, v) in versions.enumerated() {
                guard let count = s.versions[v], count > 0 else { continue }
                let h = Double(count) * Double(panelHeight) / Double(maxVersion)
                y -= h
                out.append(
                    "<rect class=\"version\" data-version=\"\(v)\" data-t=\"\(s.startMs)\" data-count=\"\(count)\" x=\"\(Self.f(x(s.startMs) + 1))\" y=\"\(Self.f(y))\" width=\"\(Self.f(barW))\" height=\"\(Self.f(h))\" fill=\"\(Self.versionColours[i % Self.versionColours.count])\"/>"
                )
            }
        }
        // x axis labels (seconds from the fault) under both panels.
        for sec in stride(from: first / 1000, through: last / 1000, by: max(1, span / 1000 / 12)) {
            let px = Self.f(x(sec * 1000))
            for py in [p1 + panelHeight, p2 + panelHeight] {
                out.append(
                    "<text x=\"\(px)\" y=\"\(py + 14)\" text-anchor=\"middle\" fill=\"#555555\">\(sec > 0 ? "+" : "")\(sec) s</text>"
                )
            }
        }
        // Markers: the fault at 0, the cutover, settled.
        func marker(_ id: String, _ ms: Int, _ text: String, _ colour: String, dash: String) {
            let px = Self.f(x(ms))
            out.append(
                "<line id=\"\(id)\" data-t=\"\(ms)\" x1=\"\(px)\" y1=\"\(p1 - 4)\" x2=\"\(px)\" y2=\"\(p2 + panelHeight)\" stroke=\"\(colour)\" stroke-width=\"2\" stroke-dasharray=\"\(dash)\"/>"
            )
            out.append(
                "<text x=\"\(px)\" y=\"\(p2 + panelHeight + 30)\" text-anchor=\"middle\" fill=\"\(colour)\">\(Self.escape(text))</text>"
            )
        }
        marker(
            "fault", 0, report.deploy == nil ? "fault" : (report.deploy?.operation ?? "command"), "#000000", dash: "6,3"
        )
        if let cutover = report.deploy?.cutoverMs, cutover > 0 {
            marker("cutover", cutover, "cutover", "#1f77b4", dash: "2,3")
        }
        // Legend.
        var ly = p1 + 4
        func legend(_ text: String, _ colour: String) {
            out.append("<rect x=\"\(width - right + 14)\" y=\"\(ly)\" width=\"12\" height=\"12\" fill=\"\(colour)\"/>")
            out.append("<text x=\"\(width - right + 32)\" y=\"\(ly + 10)\">\(Self.escape(text))</text>")
            ly += 18
        }
        legend("answered", Self.okColour)
        for (i, kind) in kinds.enumerated() {
            legend("failed: \(kind)", Self.failureColours[i % Self.failureColours.count])
        }
        ly = p2 + 4
        for (i, v) in versions.enumerated() {
            legend("version \(v)", Self.versionColours[i % Self.versionColours.count])
        }
        out.append("</svg>")
        return out.joined(separator: "\n") + "\n"
    }

    /// A panel's frame, y-axis scale and label.
    private func axes(y: Int, label: String, max: Int, left: Int, plotW: Int) -> [String] {
        [
            "<text x=\"\(left)\" y=\"\(y - 4)\" fill=\"#333333\">\(Self.escape(label))</text>",
            "<line x1=\"\(left)\" y1=\"\(y + panelHeight)\" x2=\"\(left + plotW)\" y2=\"\(y + panelHeight)\" stroke=\"#999999\"/>",
            "<line x1=\"\(left)\" y1=\"\(y)\" x2=\"\(left)\" y2=\"\(y + panelHeight)\" stroke=\"#999999\"/>",
            "<text x=\"\(left - 6)\" y=\"\(y + 10)\" text-anchor=\"end\" fill=\"#555555\">\(max)</text>",
            "<text x=\"\(left - 6)\" y=\"\(y + panelHeight)\" text-anchor=\"end\" fill=\"#555555\">0</text>",
        ]
    }

    /// What was done and the figures that matter, for under the title.
    static func subtitle(_ r: DrillReport) -> String {
        var text = r.target
        if let d = r.deploy, let before = d.versionBefore, let after = d.versionAfter {
            text += "; version \(before) -> \(after)"
            if let c = d.cutoverMs { text += ", cutover +\(c) ms" }
        }
        return text + "; load \(r.loadRps) req/s"
    }

    /// `12.5` / `12`: two decimals at most, no trailing zeros.
    static func f(_ v: Double) -> String {
        let r = (v * 100).rounded() / 100
        return r == r.rounded() ? String(Int(r)) : String(r)
    }

    /// Text escaped for SVG (XML).
    static func escape(_ s: String) -> String {
        var out = ""
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(c)
            }
        }
        return out
    }
}
