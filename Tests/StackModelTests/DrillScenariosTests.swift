import Foundation
import StackFiles
import XCTest
@testable import StackModel

/// The scenario catalog: built-ins, user files beside the topologies, names and signals.
final class DrillScenariosTests: XCTestCase {
    var dir = ""

    override func setUpWithError() throws {
        dir = NSTemporaryDirectory() + "stacktop-scenarios-\(getpid())-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: dir)
    }

    func write(_ name: String, _ text: String) throws {
        try text.write(toFile: dir + "/" + name, atomically: true, encoding: .utf8)
    }

    func testBuiltInsAreTheEightFailuresThenTheDeployOperationsWithUsefulDescriptions() {
        let names = DrillScenario.builtIn.map(\.name)
        XCTAssertEqual(
            names,
            [
                "kill-worker", "kill-all-workers", "kill-master", "kill-front", "kill-supervisor",
                "stop-worker", "crash-inside", "crash-loop",
                "reload-app", "reload-front", "restart-app", "deploy", "scale-up", "scale-down",
                "slow-request-timeout", "recycle",
            ])
        XCTAssertEqual(DrillScenario.Action.names, names)
        XCTAssertEqual(names, DrillScenario.builtIn.map(\.action.name), "each built-in is its action with defaults")
        for s in DrillScenario.builtIn {
            XCTAssertTrue(s.isBuiltIn)
            XCTAssertTrue(ScenarioLoader.isValidName(s.name), s.name)
            XCTAssertGreaterThan(s.description.count, 100, s.name)
            XCTAssertTrue(
                s.description.lowercased().contains("look for") || s.description.contains("drill shows"), s.name)
            let timeout =
                s.action == .slowRequestTimeout
                ? DrillScenario.slowRequestTimeoutMs
                : s.action.operation == nil ? 15_000 : DrillScenario.deployTimeoutMs
            let warmup = s.action == .recycle ? DrillScenario.recycleWarmupMs : 3_000
            XCTAssertEqual([s.warmupMs, s.timeoutMs, s.quietMs], [warmup, timeout, 1_000], s.name)
            XCTAssertNil(s.target, s.name)
        }
        XCTAssertEqual(DrillScenario.builtIn[0].action, .killWorker(signal: 9))
        XCTAssertEqual(DrillScenario.builtIn[5].action, .stopWorker(seconds: 5))
        let operations = DrillScenario.builtIn.map { $0.action.operation?.rawValue ?? "-" }
        XCTAssertEqual(
            operations,
            [
                "-", "-", "-", "-", "-", "-", "-", "-",
                "reload", "reload", "restart", "reload", "add-worker", "remove-worker", "-", "reload",
            ])
    }

    func testSignalVariants() {
        let kill = DrillScenario.builtIn[0]
        XCTAssertEqual(kill.with(signal: DrillSignal.term)?.action, .killWorker(signal: 15))
        XCTAssertEqual(kill.with(signal: DrillSignal.term)?.name, "kill-worker")
        XCTAssertNil(DrillScenario.builtIn[5].with(signal: 15), "stop-worker sends no chosen signal")
        XCTAssertNil(DrillScenario.builtIn[7].action.signal)
        XCTAssertEqual(DrillScenario.builtIn[2].action.signal, 9)
    }

    func testSignalNames() {
        let cases: [(String, Int32?)] = [
            ("KILL", 9), ("kill", 9), ("SIGTERM", 15), ("15", 15), ("sigquit", 3),
            ("HUP", 1), ("STOP", nil), ("19", nil), ("CONT", nil), ("42", nil), ("TERMINATE", nil), ("", nil),
        ]
        for (text, number) in cases { XCTAssertEqual(DrillSignal.number(text), number, text) }
        XCTAssertEqual(DrillSignal.name(9), "SIGKILL")
        XCTAssertEqual(DrillSignal.name(19), "SIGSTOP")
        XCTAssertEqual(DrillSignal.name(42), "signal 42")
        XCTAssertFalse(DrillSignal.usableNames.contains("STOP"))
    }

    func testMissingDirectoryMeansBuiltInsOnly() throws {
        XCTAssertEqual(try DrillScenarios.all(scenariosDir: dir + "/nope").count, 16)
        XCTAssertEqual(try DrillScenarios.all(scenariosDir: nil).count, 16)
    }

    func testUserFilesInNameOrderNonYamlIgnored() throws {
        try write("b-second.yaml", "description: second\naction: kill-all-workers\nsignal: TERM\n")
        try write("a-first.yml", "description: first\naction: crash-inside\nrequests: 2\n")
        try write("notes.txt", "not a scenario")
        try write(".hidden.yaml", "garbage: [")
        let all = try DrillScenarios.all(scenariosDir: dir)
        XCTAssertEqual(all.map(\.name).suffix(2), ["a-first", "b-second"])
        XCTAssertEqual(all.last?.action, .killAllWorkers(signal: 15))
        XCTAssertEqual(try DrillScenarios.named("a-first", scenariosDir: dir).action, .crashInside(requests: 2))
    }

    func testProblemsOfEveryFileAtOnceAndDuplicateNames() throws {
        try write("one.yaml", "name: mine\ndescription: x\naction: kill-worker\n")
        try write("two.yaml", "name: mine\ndescription: y\naction: kill-master\n")
        try write("three.yaml", "description: z\naction: kil-front\n")
        try write("four.yaml", "name: crash-loop\ndescription: z\naction: crash-loop\n")
        do {
            _ = try DrillScenarios.all(scenariosDir: dir)
            XCTFail("loaded")
        } catch {
            XCTAssertEqual(
                error.diagnostics.map(\.description),
                [
                    "\(dir)/four.yaml:1:7: 'crash-loop' is a built-in scenario: give yours another name",
                    "\(dir)/three.yaml:2:9: unknown action 'kil-front'; did you mean 'kill-front'?",
                    "\(dir)/two.yaml:1:7: scenario 'mine' is already defined in \(dir)/one.yaml",
                ])
        }
    }

    func testUnknownNameSuggestsAndLists() {
        XCTAssertThrowsError(try DrillScenarios.named("kill-wroker", among: DrillScenario.builtIn)) { error in
            XCTAssertEqual(
                "\(error)",
                "no scenario 'kill-wroker'; did you mean 'kill-worker'? Scenarios: kill-worker, kill-all-workers, kill-master, kill-front, kill-supervisor, stop-worker, crash-inside, crash-loop, reload-app, reload-front, restart-app, deploy, scale-up, scale-down, slow-request-timeout, recycle"
            )
        }
        XCTAssertThrowsError(try DrillScenarios.named("explode", among: DrillScenario.builtIn)) { error in
            XCTAssertEqual(
                "\(error)",
                "no scenario 'explode'. Scenarios: kill-worker, kill-all-workers, kill-master, kill-front, kill-supervisor, stop-worker, crash-inside, crash-loop, reload-app, reload-front, restart-app, deploy, scale-up, scale-down, slow-request-timeout, recycle"
            )
        }
    }
}
