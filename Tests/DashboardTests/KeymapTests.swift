@testable import Dashboard
import XCTest

/// The keymap is one table: no key twice in a scope, every action described, all in the overlay.
final class KeymapTests: XCTestCase {
    func testNoKeyIsBoundTwiceInOneScope() {
        for scope in Scope.allCases {
            var seen: [Key: Action] = [:]
            for binding in Keymap.bindings(in: scope) {
                for key in binding.keys {
                    XCTAssertNil(
                        seen[key],
                        "\(key.label) bound to \(seen[key].map { "\($0)" } ?? "") and \(binding.action) in \(scope)")
                    seen[key] = binding.action
                }
            }
        }
    }

    func testEveryActionIsBoundWithHelpText() {
        let bound = Set(Keymap.bindings.map(\.action))
        XCTAssertEqual(bound, Set(Action.allCases), "actions without a key")
        for binding in Keymap.bindings {
            XCTAssertFalse(binding.help.isEmpty, "\(binding.action) has no help text")
            XCTAssertFalse(binding.keys.isEmpty, "\(binding.action) has no keys")
            XCTAssertFalse(binding.scopes.isEmpty, "\(binding.action) applies nowhere")
        }
    }

    func testEveryBindingAppearsInTheHelpOverlay() {
        let (running, _) = StackFixture.running(width: 120, height: 40)
        let text = HelpView.lines(running, width: 200).map(\.text).joined(separator: "\n")
        for binding in Keymap.bindings {
            XCTAssertTrue(text.contains(binding.keyLabel), "overlay lacks the keys of \(binding.action)")
            XCTAssertTrue(text.contains(binding.help), "overlay lacks the help of \(binding.action)")
        }
    }

    /// The keys the issue names, in the scope they act in.
    func testIssueKeysDispatchToTheirActions() {
        let cases: [(Key, Scope, Action)] = [
            (.char("k"), .main, .term), (.char("K"), .main, .kill), (.char("s"), .main, .stop),
            (.char("c"), .main, .cont), (.char("m"), .main, .killMaster), (.char("f"), .main, .killFront),
            (.char("l"), .main, .toggleLoad), (.char("+"), .main, .rateUp), (.char("-"), .main, .rateDown),
            (.char("v"), .main, .viewConfig), (.char("L"), .main, .toggleLog), (.char("?"), .main, .help),
            (.char("q"), .main, .quit), (.char("d"), .main, .drill), (.tab, .main, .nextPanel),
            (.up, .main, .up), (.down, .main, .down),
            (.char("k"), .picker, .up), (.char("j"), .picker, .down), (.enter, .picker, .launch),
            (.char("h"), .config, .left), (.char("l"), .config, .right), (.char("j"), .config, .down),
            (.escape, .config, .close), (.escape, .help, .close), (.char("k"), .help, .up),
            (.enter, .drill, .runDrill), (.escape, .drill, .close), (.char("d"), .drill, .close),
            (.char("j"), .drill, .down), (.up, .drill, .up),
        ]
        for (key, scope, action) in cases {
            XCTAssertEqual(Keymap.binding(for: key, in: scope)?.action, action, "\(key.label) in \(scope)")
        }
    }

    func testDrillKeyIsEnabledOnARunningStack() {
        var (state, _) = StackFixture.running(width: 80, height: 24)
        let binding = Keymap.binding(for: .char("d"), in: .main)
        XCTAssertNil(state.whyDisabled(binding?.requires ?? .drillIdle))
        XCTAssertEqual(update(&state, .key(.char("d"))), [.listDrills])
    }

    func testFooterComesFromTheKeymap() {
        let (state, _) = StackFixture.running(width: 120, height: 40)
        let footer = DashboardView.render(state).lines.last ?? ""
        for binding in Keymap.bindings(in: .main) where binding.short != nil {
            XCTAssertTrue(
                footer.contains((binding.footerKeys ?? binding.keyLabel) + " " + (binding.short ?? "")),
                "footer lacks \(binding.action): \(footer)")
        }
    }
}
