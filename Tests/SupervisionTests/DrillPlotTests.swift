import Foundation
#if canImport(FoundationXML)
    import FoundationXML
#endif
import XCTest
@testable import Supervision

/// `drill --plot`: the SVG is well-formed XML, and the bars read back give the report's figures.
final class DrillPlotTests: XCTestCase {
    /// Collects the SVG's elements and their attributes.
    final class Collector: NSObject, XMLParserDelegate {
        var elements: [(name: String, attributes: [String: String])] = []
        var texts: [String] = []
        var current = ""
        func parser(
            _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
            attributes: [String: String] = [:]
        ) {
            elements.append((name, attributes))
            current = ""
        }
        func parser(_ parser: XMLParser, foundCharacters string: String) { current += string }
        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            if name == "text" { texts.append(current) }
        }
    }

    static func parse(_ svg: String) throws -> Collector {
        let collector = Collector()
        let parser = XMLParser(data: Data(svg.utf8))
        parser.delegate = collector
        XCTAssertTrue(parser.parse(), "not well-formed: \(parser.parserError.map { "\($0)" } ?? "?")")
        return collector
    }

    static let report: DrillReport = {
        var r = DrillReport(
            scenario: "deploy", topology: "nginx-<gunicorn>&co", target: "app", detail: "", loadRps: 100,
            faultAtMs: 4_000, timeoutMs: 10_000, quietMs: 1_000,
            failures: ["502": 3, "refused": 1], recovered: true, recoveredMs: 900, endedMs: 2_100,
            deploy: DrillReport.Deploy(
                operation: "reload", how: "SIGHUP", versionBefore: 1, versionAfter: 2,
                oldVersionResponses: 40, firstNewVersionMs: 700, cutoverMs: 750),
            seconds: [
                DrillSecond(startMs: -2_000, ok: 100, versions: [1: 100]),
                DrillSecond(startMs: -1_000, ok: 98, versions: [1: 98]),
                DrillSecond(startMs: 0, ok: 90, failures: ["502": 3, "refused": 1], versions: [1: 40, 2: 50]),
                DrillSecond(startMs: 1_000, ok: 101, versions: [2: 101]),
                DrillSecond(startMs: 2_000),
            ])
        r.explanations = []
        return r
    }()

    func testBarsCarryTheSecondsOfTheReport() throws {
        let svg = DrillPlot(report: Self.report).svg
        let c = try Self.parse(svg)
        XCTAssertEqual(c.elements.first?.name, "svg")
        func bars(_ cls: String) -> [[String: String]] {
            c.elements.filter { $0.name == "rect" && $0.attributes["class"] == cls }.map(\.attributes)
        }
        func sum(_ rows: [[String: String]]) -> Int {
            rows.compactMap { $0["data-count"].flatMap(Int.init) }.reduce(0, +)
        }
        XCTAssertEqual(sum(bars("ok")), 389)
        XCTAssertEqual(sum(bars("failed")), 4)
        XCTAssertEqual(bars("failed").filter { $0["data-kind"] == "502" }.map { $0["data-t"] }, ["0"])
        XCTAssertEqual(sum(bars("version").filter { $0["data-version"] == "1" }), 238)
        XCTAssertEqual(sum(bars("version").filter { $0["data-version"] == "2" }), 151)
        // Bars of one second are stacked: the failures sit on the answers.
        let ok0 = try XCTUnwrap(bars("ok").first { $0["data-t"] == "0" })
        let top = bars("failed").filter { $0["data-t"] == "0" }.compactMap { $0["y"].flatMap(Double.init) }.min() ?? 0
        XCTAssertLessThan(top, Double(ok0["y"] ?? "0") ?? 0)
        // The fault at 0 and the cutover are marked, and the title escaped text reads back intact.
        let fault = try XCTUnwrap(c.elements.first { $0.attributes["id"] == "fault" })
        XCTAssertEqual(fault.attributes["data-t"], "0")
        XCTAssertEqual(c.elements.first { $0.attributes["id"] == "cutover" }?.attributes["data-t"], "750")
        XCTAssertTrue(c.texts.contains { $0.hasPrefix("drill deploy on nginx-<gunicorn>&co") }, "\(c.texts)")
        XCTAssertTrue(c.texts.contains("failed: 502"))
        XCTAssertTrue(c.texts.contains("version 2"))
        // The fault line lies between the bars of -1 s and 0.
        let x0 = Double(ok0["x"] ?? "") ?? -1
        let xf = Double(fault.attributes["x1"] ?? "") ?? -2
        XCTAssertEqual(xf, x0 - 1, accuracy: 0.02)
    }

    func testAnEmptyReportStillDrawsAWellFormedPicture() throws {
        let r = DrillReport(
            scenario: "kill-worker", topology: "t", target: "x", detail: "", loadRps: 0, faultAtMs: 0,
            timeoutMs: 1_000, quietMs: 100, recovered: false, endedMs: 0)
        let c = try Self.parse(DrillPlot(report: r).svg)
        XCTAssertTrue(c.elements.filter { $0.attributes["class"] == "ok" }.isEmpty)
        XCTAssertNotNil(c.elements.first { $0.attributes["id"] == "fault" })
    }
}
