import StackModel
import StackRecipes
import XCTest
@testable import Supervision

/// recycle behind a pool (nginx-pool: gunicorn + uWSGI): refused without a target, since only
/// one member would be recycled; with a target, that member alone, and the detail says so.
final class PoolRecyclePlanTests: XCTestCase {
    func recycle(target: String?) -> DrillScenario {
        var s = DrillFixture.scenario("recycle")
        s.target = target
        return s
    }

    func testWithoutTargetThePoolIsRefusedNamingEveryMember() throws {
        let t = try DrillFixture.topology("nginx-pool")
        let result = DrillPlan.resolve(recycle(target: nil), topology: t, components: DrillPlanTests.launched(t))
        guard case let .failure(refusal) = result else { return XCTFail("planned: \(result)") }
        XCTAssertTrue(refusal.reason.contains("gunicorn (gunicorn), uwsgi (uwsgi)"), refusal.reason)
        XCTAssertTrue(refusal.reason.contains("target: gunicorn"), refusal.reason)
    }

    func testATargetRecyclesThatMemberOnlyAndSaysTheOthersAreNot() throws {
        let t = try DrillFixture.topology("nginx-pool")
        for (member, other, config) in [
            ("uwsgi", "gunicorn", "conf/uwsgi/uwsgi.ini"),
            ("gunicorn", "uwsgi", "conf/gunicorn/gunicorn.conf.py"),
        ] {
            let result = DrillPlan.resolve(recycle(target: member), topology: t, components: DrillPlanTests.launched(t))
            guard case let .success(plan) = result else { return XCTFail("\(member): \(result)") }
            XCTAssertEqual(plan.recycle?.component, member)
            XCTAssertEqual(plan.recycle?.configFile, config)
            XCTAssertEqual(plan.watched, [member])
            XCTAssertEqual(plan.alsoOperate, [], "recycle reloads only the member it recycles")
            XCTAssertTrue(plan.detail.hasSuffix("the pool's other members (\(other)) are not recycled"), plan.detail)
        }
    }

    /// A stack whose front door has one app server behind it is not a pool: unchanged.
    func testASingleUpstreamIsNoPool() throws {
        let t = try DrillFixture.topology("nginx-gunicorn")
        let result = DrillPlan.resolve(recycle(target: nil), topology: t, components: DrillPlanTests.launched(t))
        guard case let .success(plan) = result else { return XCTFail("\(result)") }
        XCTAssertFalse(plan.detail.contains("not recycled"), plan.detail)
    }
}
