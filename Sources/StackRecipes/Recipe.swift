import StackModel

/// One server kind's recipe: renders a component's config files and the spec of its process.
protocol Recipe {
    /// The kind this recipe handles.
    static var kind: ServerKind { get }
    /// Renders `component` of the stack described by `input`.
    static func render(_ component: Component, _ input: RecipeInput) throws(RecipeError) -> RecipeOutput
}

/// What a recipe contributes to the plan.
struct RecipeOutput: Sendable {
    var files: [RenderedFile]
    /// Directories (relative to the run dir) beyond `RunDirLayout.topLevel`.
    var directories: [String]
    var process: ProcessSpec

    init(files: [RenderedFile] = [], directories: [String] = [], process: ProcessSpec) {
        self.files = files
        self.directories = directories
        self.process = process
    }
}

extension Component {
    /// `workers`, or `fallback` when the topology left it unset.
    func workers(or fallback: Int) -> Int { Swift.max(1, workers ?? fallback) }
    /// `threads`, or `fallback` when the topology left it unset.
    func threads(or fallback: Int) -> Int { Swift.max(1, threads ?? fallback) }
}
