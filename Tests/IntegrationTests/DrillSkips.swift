import Foundation
import XCTest
import Runtime
import StackRecipes

/// The drill tests' one reason to skip: a server the stack needs is not installed.
enum DrillSkips {
    /// Plans `topology` (for a directory never created) and skips when one of its programs or
    /// the venv is missing.
    static func skipIfMissing(_ topology: String) throws {
        let source = try TopologySource.load(topology, paths: IntegrationSupport.paths)
        let context: LaunchContext
        do {
            context = try LaunchPreparation(paths: source.paths)
                .configContext(source.topology, directory: "/nonexistent/stacktop-drill-test")
        } catch {
            if case PreparationError.app = error { throw XCTSkip("\(error)") }
            throw error
        }
        try IntegrationSupport.skipIfProgramsMissing(try Recipes.plan(for: source.topology, context: context))
    }
}
