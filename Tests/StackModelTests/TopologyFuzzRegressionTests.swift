import XCTest
@testable import StackModel

/// Inputs the topology fuzzer found mishandled, reduced by hand, with where their error must be.
///
/// Found by `TopologyFuzzTests` (seed 0x57ac70b0f0222024, e.g. cases 3194, 5551, 19540): a YAML
/// "reader" error (a control character) in a file with "\r\n", lone "\r", NEL or Unicode line
/// separators was placed by counting only "\n" Characters — a CRLF file put every such error on
/// line 1 at a column past the end of that line. libyaml ends lines at all of these and counts
/// columns in scalars, and so must the loader, to agree with its own scanner and parser errors.
final class TopologyFuzzRegressionTests: XCTestCase {
    static let path = "/fuzz/found.yaml"

    func testReaderErrorsAreAtTheControlCharacter() {
        let cases: [(name: String, text: String, line: Int, column: Int)] = [
            ("LF", "name: x\ndescription: y\ncomponents:\u{7F}\n", 3, 12),
            ("CRLF", "name: x\r\ndescription: y\r\ncomponents:\u{7F}\r\n", 3, 12),
            ("lone CR", "a: 1\rb: \u{1}", 2, 4),
            ("NEL", "a: 1\u{85}b: 2\u{85}c: \u{1}", 3, 4),
            ("line separator", "a: 1\u{2028}\u{FEFF}\u{305}\u{7F}", 2, 3),
            ("combining mark counts as a column", "name: e\u{301}\u{1}", 1, 9),
            ("first character", "\u{1}a: 1\n", 1, 1),
        ]
        for c in cases {
            do {
                _ = try TopologyLoader.load(text: c.text, path: Self.path, demoAppDirectory: "/demo")
                XCTFail("\(c.name): loaded")
            } catch {
                XCTAssertEqual(error.diagnostics.count, 1, c.name)
                let diagnostic = error.diagnostics[0]
                XCTAssertEqual(
                    diagnostic.location, SourceLocation(file: Self.path, line: c.line, column: c.column), c.name)
                XCTAssertEqual(diagnostic.message, "YAML syntax error: control characters are not allowed", c.name)
            }
        }
    }

    /// The fuzzer's oracle counts lines as the loader does: a check on the check.
    func testOracleTextShape() {
        let cases: [(text: String, lines: Int, longest: Int)] = [
            ("", 1, 0), ("abc", 1, 3), ("a\nbc\n", 3, 2), ("a\r\nb", 2, 1), ("a\rb\u{85}c\u{2028}d\u{2029}", 5, 1),
            ("e\u{301}x", 1, 3), ("漢字", 1, 2),
        ]
        for c in cases {
            let shape = TopologyFuzzOracle.TextShape(c.text)
            XCTAssertEqual(shape.lineCount, c.lines, c.text.debugDescription)
            XCTAssertEqual(shape.longestLine, c.longest, c.text.debugDescription)
        }
    }

    /// The same seed and case always make the same input; different cases differ.
    func testMutationsAreDeterministic() {
        let text = "name: x\ndescription: y\ncomponents:\n  app:\n    server: gunicorn\n"
        func mutated(_ index: Int) -> String {
            var mutator = TopologyFuzzMutator(random: .forCase(index, ofRun: 42))
            return mutator.mutate(text).text
        }
        XCTAssertEqual(mutated(7), mutated(7))
        XCTAssertGreaterThan(Set((0..<50).map(mutated)).count, 45)
    }

    /// Nesting 100,000 deep stops at libyaml's nesting limit (1000) with a diagnostic, rather
    /// than overflowing the stack in a recursive composer.
    func testDeepNestingIsAnErrorNotACrash() {
        let depth = 100_000
        let cases: [(name: String, text: String)] = [
            (
                "flow lists",
                "components: " + String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
            ),
            (
                "flow maps",
                "components: " + String(repeating: "{a: ", count: depth) + "x" + String(repeating: "}", count: depth)
            ),
            ("block lists", "components:\n  " + String(repeating: "- ", count: depth) + "x"),
        ]
        for c in cases {
            do {
                _ = try TopologyLoader.load(text: c.text, path: Self.path, demoAppDirectory: "/demo")
                XCTFail("\(c.name): loaded")
            } catch {
                XCTAssertEqual(TopologyFuzzOracle.problems(.failure(error), text: c.text, path: Self.path), [], c.name)
                XCTAssertTrue(error.diagnostics.contains { $0.message.contains("nesting") }, "\(c.name): \(error)")
            }
        }
    }
}
