import Foundation
import StackFiles
import XCTest
@testable import StackModel

/// Scenario files: good ones with their values, broken ones with the exact `FILE:LINE:COL` lines.
final class ScenarioLoaderTests: XCTestCase {
    struct Good {
        let name: String
        let yaml: String
        let expected: DrillScenario
    }

    struct Broken {
        let name: String
        let yaml: String
        let expected: [String]
    }

    static let good: [Good] = [
        Good(
            name: "slow-request-timeout waits past gunicorn's 30 s timeout by default",
            yaml: """
                description: one request past the app server's timeout
                action: slow-request-timeout
                target: app
                """,
            expected: DrillScenario(
                name: "s", description: "one request past the app server's timeout",
                action: .slowRequestTimeout, target: "app", timeoutMs: 50_000)),
        Good(
            name: "name from the file stem, defaults",
            yaml: """
                description: kill one worker gently
                action: kill-worker
                signal: TERM
                """,
            expected: DrillScenario(name: "s", description: "kill one worker gently", action: .killWorker(signal: 15))),
        Good(
            name: "every key",
            yaml: """
                name: long-freeze
                description: >
                  Freeze a worker
                  for a while.
                action: stop-worker
                seconds: 0.5
                target: app
                warmup_ms: 500
                timeout_ms: 20000
                quiet_ms: 2000
                """,
            expected: DrillScenario(
                name: "long-freeze", description: "Freeze a worker for a while.",
                action: .stopWorker(seconds: 0.5), target: "app", warmupMs: 500,
                timeoutMs: 20_000, quietMs: 2_000)),
        Good(
            name: "signals by number and with SIG",
            yaml: """
                name: quit-master
                description: x
                action: kill-master
                signal: SIGquit
                """, expected: DrillScenario(name: "quit-master", description: "x", action: .killMaster(signal: 3))),
        Good(
            name: "crash-inside with several requests",
            yaml: """
                name: crash-three
                description: x
                action: crash-inside
                requests: 3
                """, expected: DrillScenario(name: "crash-three", description: "x", action: .crashInside(requests: 3))),
        Good(
            name: "kill-front default signal is KILL",
            yaml: """
                name: front-9
                description: x
                action: kill-front
                signal: 9
                """, expected: DrillScenario(name: "front-9", description: "x", action: .killFront(signal: 9))),
    ]

    static let broken: [Broken] = [
        Broken(
            name: "empty file", yaml: "",
            expected: ["s.yaml:1:1: the file is empty: a scenario needs 'description' and 'action'"]),
        Broken(
            name: "a list, not a mapping", yaml: "- kill-worker\n",
            expected: [
                "s.yaml:1:1: a scenario must be a mapping with 'description' and 'action', got a list"
            ]),
        Broken(
            name: "misspelt key and action",
            yaml: """
                description: x
                acton: kill-worker
                """,
            expected: [
                "s.yaml:1:1: missing 'action': one of kill-worker, kill-all-workers, kill-master, kill-front, kill-supervisor, stop-worker, crash-inside, crash-loop, reload-app, reload-front, restart-app, deploy, scale-up, scale-down, slow-request-timeout, recycle",
                "s.yaml:2:1: unknown key 'acton'; did you mean 'action'?",
            ]),
        Broken(
            name: "misspelt action",
            yaml: """
                description: x
                action: kill-wroker
                """, expected: ["s.yaml:2:9: unknown action 'kill-wroker'; did you mean 'kill-worker'?"]),
        Broken(
            name: "built-in name reused",
            yaml: """
                name: kill-worker
                description: x
                action: kill-worker
                signal: TERM
                """, expected: ["s.yaml:1:7: 'kill-worker' is a built-in scenario: give yours another name"]),
        Broken(
            name: "bad name",
            yaml: """
                name: Kill_Worker
                description: x
                action: kill-worker
                """,
            expected: [
                "s.yaml:1:7: bad scenario name 'Kill_Worker': use lowercase letters, digits and single '-', starting with a letter"
            ]),
        Broken(
            name: "missing and empty description",
            yaml: """
                description: "  "
                action: crash-loop
                """,
            expected: ["s.yaml:1:1: 'description' must not be empty: say what the drill does and what to look for"]),
        Broken(
            name: "keys that do not apply to the action",
            yaml: """
                description: x
                action: crash-loop
                signal: TERM
                seconds: 3
                requests: 2
                """,
            expected: [
                "s.yaml:3:1: 'signal' does not apply to crash-loop: it is for kill-worker, kill-all-workers, kill-master, kill-front, kill-supervisor",
                "s.yaml:4:1: 'seconds' does not apply to crash-loop: it is for stop-worker",
                "s.yaml:5:1: 'requests' does not apply to crash-loop: it is for crash-inside",
            ]),
        Broken(
            name: "unknown signal, STOP not allowed",
            yaml: """
                description: x
                action: kill-worker
                signal: TREM
                """, expected: ["s.yaml:3:9: unknown signal 'TREM'; did you mean 'TERM'?"]),
        Broken(
            name: "STOP is not a kill signal",
            yaml: """
                description: x
                action: kill-worker
                signal: STOP
                """,
            expected: [
                "s.yaml:3:9: signal 'STOP' freezes or continues a process instead of ending it: use 'action: stop-worker'"
            ]),
        Broken(
            name: "numbers out of range",
            yaml: """
                description: x
                action: stop-worker
                seconds: 0
                warmup_ms: -1
                timeout_ms: 500
                quiet_ms: 50
                """,
            expected: [
                "s.yaml:3:10: seconds must be a number above 0 and at most 600, got '0'",
                "s.yaml:4:12: warmup_ms must be between 0 and 600000, got -1",
                "s.yaml:5:13: timeout_ms must be between 1000 and 600000, got 500",
                "s.yaml:6:11: quiet_ms must be between 100 and 60000, got 50",
            ]),
        Broken(
            name: "quiet longer than the timeout; quoted number",
            yaml: """
                description: x
                action: crash-inside
                requests: "2"
                timeout_ms: 2000
                quiet_ms: 5000
                """,
            expected: [
                "s.yaml:3:11: 'requests' must be an integer, got \"2\"",
                "s.yaml:5:11: quiet_ms (5000) must be shorter than timeout_ms (2000)",
            ]),
        Broken(
            name: "bad target, duplicate key",
            yaml: """
                description: x
                action: kill-master
                target: App Server
                action: kill-worker
                """,
            expected: [
                "s.yaml:3:9: bad target 'App Server': a component name (lowercase letters, digits and '-')",
                "s.yaml:4:1: duplicate key 'action' (first on line 2)",
            ]),
        Broken(
            name: "YAML syntax error", yaml: "description: [x\naction: kill-worker\n",
            expected: [
                "s.yaml:2:7: YAML syntax error: did not find expected ',' or ']' (while parsing a flow sequence at line 1, column 14)"
            ]),
    ]

    func testGoodFiles() throws {
        for c in Self.good {
            XCTAssertEqual(try ScenarioLoader.load(text: c.yaml, path: "dir/s.yaml"), c.expected, c.name)
        }
    }

    func testBrokenFiles() {
        for c in Self.broken {
            do {
                let s = try ScenarioLoader.load(text: c.yaml, path: "s.yaml")
                XCTFail("\(c.name): loaded \(s)")
            } catch {
                XCTAssertEqual(error.diagnostics.map(\.description), c.expected, c.name)
            }
        }
    }

    /// The example files shipped in topologies/scenarios load and are not built-ins.
    func testShippedExamples() throws {
        let dir = SeedTopologyTests.root + "/topologies/scenarios"
        let all = try DrillScenarios.all(scenariosDir: dir)
        XCTAssertEqual(all.prefix(16).map(\.name), DrillScenario.Action.names)
        let user = all.dropFirst(16)
        XCTAssertEqual(user.map(\.name), ["kill-worker-term", "long-stop-worker"])
        XCTAssertEqual(user.first?.action, .killWorker(signal: DrillSignal.term))
        XCTAssertEqual(user.last?.action, .stopWorker(seconds: 8))
        XCTAssertEqual(user.last?.timeoutMs, 20_000)
        XCTAssertTrue(user.allSatisfy { !$0.isBuiltIn && $0.description.count > 60 })
    }
}
