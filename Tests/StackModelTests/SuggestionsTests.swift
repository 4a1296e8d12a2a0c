import XCTest
@testable import StackModel

/// Did-you-mean suggestions for misspelt keys, server kinds and names.
final class SuggestionsTests: XCTestCase {
    func testClosestCandidate() {
        let kinds = ServerKind.allCases.map(\.rawValue)
        let cases: [(word: String, candidates: [String], expected: String?)] = [
            ("gunicron", kinds, "gunicorn"),
            ("ngnix", kinds, "nginx"),
            ("Nginx", kinds, "nginx"),
            ("mod-wsgi", kinds, "mod_wsgi"),
            ("modwsgi", kinds, "mod_wsgi"),
            ("supervisor", kinds, "supervisord"),
            ("lighttp", kinds, "lighttpd"),
            ("tomcat", kinds, nil),
            ("wrkers", KindRules.componentKeys, "workers"),
            ("thread", KindRules.componentKeys, "threads"),
            ("prot", KindRules.componentKeys, "port"),
            ("upstreams", KindRules.componentKeys, "upstream"),
            ("colour", KindRules.componentKeys, nil),
            ("x", KindRules.componentKeys, nil),
        ]
        for c in cases {
            XCTAssertEqual(Suggestions.closest(to: c.word, among: c.candidates), c.expected, c.word)
        }
    }

    func testHintTexts() {
        XCTAssertEqual(Suggestions.hint(for: "fok", among: ["fork", "threaded"]), "; did you mean 'fork'?")
        XCTAssertEqual(
            Suggestions.hint(for: "spawn", among: ["fork", "threaded"]), "; expected one of: fork, threaded")
    }

    func testEditDistance() {
        let cases: [(String, String, Int)] = [
            ("", "abc", 3), ("abc", "abc", 0), ("gunicron", "gunicorn", 1),
            ("kitten", "sitting", 3), ("ab", "ba", 1),
        ]
        for (a, b, d) in cases { XCTAssertEqual(Suggestions.editDistance(a, b), d, "\(a) \(b)") }
    }

    func testMisspeltValuesInFiles() {
        let yaml = """
            description: x
            components:
              front:
                server: ngnix
                upstream: [app]
              app:
                server: flup
                mode: forked
                listen: socket
            """
        do {
            _ = try TopologyLoader.load(text: yaml, path: "t.yaml", demoAppDirectory: "/demo")
            XCTFail("loaded a broken file")
        } catch {
            XCTAssertEqual(
                error.diagnostics.map(\.description),
                [
                    "t.yaml:4:13: unknown server kind 'ngnix'; did you mean 'nginx'?",
                    "t.yaml:8:11: unknown mode 'forked'; did you mean 'fork'?",
                    "t.yaml:9:13: unknown listen 'socket'; expected one of: unix, tcp",
                ])
        }
    }
}
