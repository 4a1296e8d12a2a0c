/// Why stacktop refuses to plan a topology: which component, what kind of problem, and why.
public struct RecipeError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kind of refusal, for callers that react differently to each.
    public enum Reason: String, Sendable, Equatable {
        /// A combination stacktop cannot launch (e.g. mod_wsgi outside Apache).
        case unsupported
        /// A value that cannot be written safely into a server's config syntax.
        case unsafeValue
        /// The launch context lacks something the component needs (e.g. its port).
        case missingLaunchValue
        /// The topology contradicts itself (what validation should have caught).
        case inconsistent
    }

    /// The component the problem is about ("" for the stack as a whole).
    public var component: String
    public var reason: Reason
    /// A sentence a user can act on.
    public var message: String

    public init(_ component: String, _ reason: Reason, _ message: String) {
        self.component = component
        self.reason = reason
        self.message = message
    }

    public var description: String {
        component.isEmpty ? message : "component '\(component)': \(message)"
    }

    static func unsupported(_ c: String, _ m: String) -> RecipeError { RecipeError(c, .unsupported, m) }
    static func unsafe(_ c: String, _ m: String) -> RecipeError { RecipeError(c, .unsafeValue, m) }
    static func inconsistent(_ c: String, _ m: String) -> RecipeError { RecipeError(c, .inconsistent, m) }
}
