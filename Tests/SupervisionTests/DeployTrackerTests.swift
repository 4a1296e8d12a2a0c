import StackModel
import StackRecipes
import XCTest
@testable import Supervision

/// Deploy drills on simulated inputs: a gunicorn HUP with a new app version, scale-up and
/// scale-down, and a reload that stalls the server. The fault (the command) is at 3000 ms.
final class DeployTrackerTests: XCTestCase {
    typealias D = DrillFixture
    typealias F = Fixture
    typealias A = Load.Answer

    static let stack = D.plainGunicorn
    static let new1 = D.worker(103, of: 100, start: D.tick(3_050))
    static let new2 = D.worker(104, of: 100, start: D.tick(3_050))
    static func scan(_ ps: [ObservedProcess]) -> DrillSim.Step { .observe(.scanned(ProcessSnapshot(ps))) }
    static func exited(_ pid: Int32) -> DrillSim.Step { .observe(.exited(pid: pid, signal: nil, status: 0)) }
    static func without(_ ps: [ObservedProcess], _ pids: Int32...) -> [ObservedProcess] {
        ps.filter { !pids.contains($0.pid) }
    }

    /// HUP at 3000: new workers at 3050, old ones gone at 3100, version 2 answers from 3110.
    func testDeployReportsTheCutoverAndTheOldVersionAnswersAfterTheCommand() throws {
        let t = try D.topology("nginx-gunicorn")
        let steps: [(Int, DrillSim.Step)] =
            [
                (3_050, Self.scan(Self.stack + [Self.new1, Self.new2])),
                (3_100, Self.exited(101)), (3_100, Self.exited(102)),
                (3_101, Self.scan(Self.without(Self.stack, 101, 102) + [Self.new1, Self.new2])),
            ]
            + Load.requests(1_000, 7_000, every: 20) { s in
                if s < 3_100 { return .ok(Load.alternate([101, 102], s, every: 20), version: 1) }
                return .ok(Load.alternate([103, 104], s, every: 20), version: 2)
            }
        let sim = try DrillSim.run(
            D.scenario("deploy"), on: t, processes: Self.stack, steps: steps, until: 7_000,
            deployVersion: 2)
        let r = try sim.report(at: 7_000)
        let deploy = try XCTUnwrap(r.deploy)
        XCTAssertEqual(deploy.operation, "reload")
        XCTAssertEqual(deploy.versionBefore, 1)
        XCTAssertEqual(deploy.versionAfter, 2)
        // Old answers end at 3005, 3025, …, 3085 (scheduled 3000…3080): five after the command.
        XCTAssertEqual(deploy.oldVersionResponses, 5)
        XCTAssertEqual(deploy.firstNewVersionMs, 105)
        XCTAssertEqual(deploy.cutoverMs, 105)
        XCTAssertEqual(r.failedRequests, 0)
        XCTAssertTrue(r.recovered, "\(r.stillWrong)")
        XCTAssertEqual(r.recoveredMs, 125, "once both new workers have answered (104 first at 3125)")
        // The timeline counts every request the tracker saw, split by version.
        let v1 = r.seconds.reduce(0) { $0 + ($1.versions[1] ?? 0) }
        let v2 = r.seconds.reduce(0) { $0 + ($1.versions[2] ?? 0) }
        XCTAssertEqual(v1, (3_100 - 1_000) / 20)
        XCTAssertGreaterThan(v2, 50)
        XCTAssertEqual(r.seconds.first?.startMs, -2_000)
        XCTAssertTrue(r.textLines().contains { $0.contains("1 -> 2: first new answer +105 ms") }, "\(r.textLines())")
    }

    /// The new version never answers: the deploy is not settled, and the report says so.
    func testDeployWithoutTheNewVersionDoesNotSettle() throws {
        let t = try D.topology("nginx-gunicorn")
        let steps: [(Int, DrillSim.Step)] =
            [
                (3_050, Self.scan(Self.stack + [Self.new1, Self.new2])),
                (3_100, Self.exited(101)), (3_100, Self.exited(102)),
                (3_101, Self.scan(Self.without(Self.stack, 101, 102) + [Self.new1, Self.new2])),
            ]
            + Load.requests(1_000, 14_000, every: 20) { s in
                .ok(Load.alternate(s < 3_100 ? [101, 102] : [103, 104], s, every: 20), version: 1)
            }
        let sim = try DrillSim.run(
            D.scenario("deploy"), on: t, processes: Self.stack, steps: steps, until: 14_000,
            deployVersion: 2)
        let r = try sim.report(at: 14_000)
        XCTAssertFalse(r.recovered)
        XCTAssertTrue(r.stillWrong.contains("no answer carried the new version 2"), "\(r.stillWrong)")
        XCTAssertNil(r.deploy?.cutoverMs)
        XCTAssertGreaterThan(r.deploy?.oldVersionResponses ?? 0, 400)
    }

    /// Half the pool takes the new version, the other half keeps answering the old one (a deploy
    /// that reloaded one member of an nginx pool): no cutover, not settled.
    func testAPartialDeployHasNoCutover() throws {
        let t = try D.topology("nginx-gunicorn")
        let steps: [(Int, DrillSim.Step)] =
            [
                (3_050, Self.scan(Self.stack + [Self.new1, Self.new2])),
                (3_100, Self.exited(101)), (3_100, Self.exited(102)),
                (3_101, Self.scan(Self.without(Self.stack, 101, 102) + [Self.new1, Self.new2])),
            ]
            + Load.requests(1_000, 14_000, every: 20) { s in
                s < 3_100 || (s / 20) % 2 == 0
                    ? .ok(Load.alternate([101, 102], s, every: 20), version: 1)
                    : .ok(Load.alternate([103, 104], s, every: 40), version: 2)
            }
        let sim = try DrillSim.run(
            D.scenario("deploy"), on: t, processes: Self.stack, steps: steps, until: 14_000,
            deployVersion: 2)
        let r = try sim.report(at: 14_000)
        XCTAssertFalse(r.recovered)
        XCTAssertNotNil(r.deploy?.firstNewVersionMs)
        XCTAssertNil(r.deploy?.cutoverMs, "old answers until the end: no cutover")
        XCTAssertTrue(r.stillWrong.contains { $0.hasPrefix("the old version still answered at +") }, "\(r.stillWrong)")
    }

    /// TTIN: settled once the third worker is up and has served; without it, not.
    func testScaleUpWaitsForTheExtraWorker() throws {
        let t = try D.topology("nginx-gunicorn")
        let new = D.worker(105, of: 100, start: D.tick(3_020))
        let load = Load.requests(2_000, 6_000, every: 20) { s in
            .ok(s >= 3_200 ? Load.alternate([101, 102, 105], s, every: 20) : Load.alternate([101, 102], s, every: 20))
        }
        let sim = try DrillSim.run(
            D.scenario("scale-up"), on: t, processes: Self.stack,
            steps: [(3_030, Self.scan(Self.stack + [new]))] + load, until: 6_000)
        let r = try sim.report(at: 6_000)
        XCTAssertTrue(r.recovered, "\(r.stillWrong)")
        XCTAssertEqual(r.recoveredMs, 225, "the new worker first answered at +225 ms (scheduled 3220, 5 ms)")

        let none = try DrillSim.run(
            D.scenario("scale-up"), on: t, processes: Self.stack,
            steps: Load.requests(2_000, 14_000, every: 20) { .ok(Load.alternate([101, 102], $0, every: 20)) },
            until: 14_000)
        let stuck = try none.report(at: 14_000)
        XCTAssertFalse(stuck.recovered)
        XCTAssertTrue(stuck.stillWrong.contains("app has 2 of 3 workers running"), "\(stuck.stillWrong)")
    }

    /// TTOU: settled once a worker is gone; while both run, "app has 2 workers, 1 wanted".
    func testScaleDownWaitsForOneWorkerLess() throws {
        let t = try D.topology("nginx-gunicorn")
        let load = Load.requests(2_000, 6_000, every: 20) { s in
            .ok(s >= 3_060 ? 102 : Load.alternate([101, 102], s, every: 20))
        }
        let sim = try DrillSim.run(
            D.scenario("scale-down"), on: t, processes: Self.stack,
            steps: [(3_050, Self.exited(101)), (3_051, Self.scan(Self.without(Self.stack, 101)))] + load,
            until: 6_000)
        let r = try sim.report(at: 6_000)
        XCTAssertTrue(r.recovered, "\(r.stillWrong)")
        XCTAssertEqual(r.recoveredMs, 50, "when the worker's exit was seen")
        XCTAssertEqual(r.deploy?.operation, "remove-worker")

        let none = try DrillSim.run(
            D.scenario("scale-down"), on: t, processes: Self.stack,
            steps: Load.requests(2_000, 14_000, every: 20) { .ok(Load.alternate([101, 102], $0, every: 20)) },
            until: 14_000)
        let stuck = try none.report(at: 14_000)
        XCTAssertFalse(stuck.recovered)
        XCTAssertTrue(stuck.stillWrong.contains("app has 2 workers, 1 wanted"), "\(stuck.stillWrong)")
    }

    /// A reload that stalls every answer for 0.8 s settles only after the stall, although
    /// nothing failed and the processes were whole at once.
    func testAStalledReloadSettlesAfterTheStall() throws {
        let t = try D.topology("nginx-gunicorn")
        let steps: [(Int, DrillSim.Step)] =
            [
                (3_050, Self.scan(Self.stack + [Self.new1, Self.new2])),
                (3_060, Self.exited(101)), (3_060, Self.exited(102)),
                (3_061, Self.scan(Self.without(Self.stack, 101, 102) + [Self.new1, Self.new2])),
            ]
            + Load.requests(2_000, 7_000, every: 20) { s in
                if s < 3_000 { return .ok(Load.alternate([101, 102], s, every: 20)) }
                if s < 3_800 { return A(status: 200, pid: 103, latency: 3_800 - s + 5) }
                return .ok(Load.alternate([103, 104], s, every: 20))
            }
        let sim = try DrillSim.run(D.scenario("reload-app"), on: t, processes: Self.stack, steps: steps, until: 7_000)
        let r = try sim.report(at: 7_000)
        XCTAssertTrue(r.recovered, "\(r.stillWrong)")
        XCTAssertGreaterThanOrEqual(
            r.recoveredMs ?? 0, 805 - 50, "not before the stall ended (answers slower than \(DrillTracker.stallMs) ms)")
        XCTAssertEqual(r.failedRequests, 0)
        XCTAssertGreaterThanOrEqual(r.slowestMs ?? 0, 800)
    }
}
