import Yams

/// Reads a topology file into a validated `Topology`, collecting every problem of the file.
///
/// Every problem is a `Diagnostic` at `FILE:LINE:COL` (1-based, at the offending key or value);
/// a file with problems throws `TopologyErrors` holding all of them, sorted by position.
public enum TopologyLoader {
    /// Parses `text` (the contents of `path`). Relative paths in the file resolve against
    /// `path`'s directory; `demoAppDirectory` is where the bundled demo app lives.
    public static func load(text: String, path: String, demoAppDirectory: String) throws(TopologyErrors) -> Topology {
        let (root, duplicates, syntaxError) = compose(text, path: path)
        if let syntaxError { throw TopologyErrors([syntaxError]) }
        var reader = NodeReader(file: path, duplicates: duplicates)
        let document = DocumentReader(root: root, path: path, demoAppDirectory: demoAppDirectory, reader: &reader)
        var components: [Component] = []
        if !document.components.isEmpty {
            var rules = StackRules(drafts: document.components, componentsLocation: document.componentsLocation)
            components = rules.components(reader: &reader)
        }
        if let layout = document.container, let at = document.containerLocation, reader.diagnostics.isEmpty {
            ContainerRules.check(components, layout: layout, app: document.app, at: at, reader: &reader)
        }
        if !reader.diagnostics.isEmpty { throw TopologyErrors(reader.diagnostics) }
        return Topology(
            name: document.name, description: document.description, sourcePath: path,
            app: document.app, components: components, traffic: document.traffic,
            containerLayout: document.container)
    }

    /// Composes the YAML tree. Repeated keys are renamed to markers (reported later by the
    /// reader) so the rest of the file is still checked; a syntax error is returned as a diagnostic.
    static func compose(_ text: String, path: String) -> (Node?, [DuplicateKey], Diagnostic?) {
        var rewriter = DuplicateKeyRewriter(text: text)
        for _ in 0..<200 {
            do {
                return (try Yams.compose(yaml: rewriter.text), rewriter.found, nil)
            } catch let YamlError.duplicatedKeysInMapping(names, context) {
                if !rewriter.rewrite(names: names, line: context.mark.line, column: context.mark.column) {
                    let at = SourceLocation(file: path, line: context.mark.line, column: context.mark.column)
                    let list = names.map { "'\($0)'" }.joined(separator: ", ")
                    return (nil, [], Diagnostic(at, "duplicate key \(list) in this mapping"))
                }
            } catch {
                return (nil, [], syntaxDiagnostic(error, text: text, path: path))
            }
        }
        return (nil, [], Diagnostic(SourceLocation(file: path, line: 1, column: 1), "too many duplicate keys"))
    }

    /// A YAML syntax error as a diagnostic at the position libyaml reports.
    static func syntaxDiagnostic(_ error: Error, text: String, path: String) -> Diagnostic {
        func at(_ mark: Mark) -> SourceLocation { SourceLocation(file: path, line: mark.line, column: mark.column) }
        func explain(_ context: YamlError.Context?, _ problem: String) -> String {
            guard let context else { return "YAML syntax error: \(problem)" }
            return
                "YAML syntax error: \(problem) (\(context.text) at line \(context.mark.line), column \(context.mark.column))"
        }
        switch error {
        case let YamlError.scanner(context, problem, mark, _),
            let YamlError.parser(context, problem, mark, _),
            let YamlError.composer(context, problem, mark, _):
            return Diagnostic(at(mark), explain(context, problem))
        case let YamlError.reader(problem, offset, _, _):
            let (line, column) = position(after: text.prefix(offset ?? 0))
            return Diagnostic(SourceLocation(file: path, line: line, column: column), "YAML syntax error: \(problem)")
        default:
            return Diagnostic(SourceLocation(file: path, line: 1, column: 1), "YAML error: \(error)")
        }
    }

    /// The 1-based line and column just after `prefix`, counted as libyaml counts its marks:
    /// "\r\n", a lone "\r", "\n", NEL, LS and PS each end a line; columns are Unicode scalars.
    static func position(after prefix: Substring) -> (line: Int, column: Int) {
        var line = 1
        var column = 1
        var previousWasCR = false
        for scalar in prefix.unicodeScalars {
            defer { previousWasCR = scalar == "\r" }
            switch scalar {
            case "\n" where previousWasCR:
                continue
            case "\n", "\r", "\u{85}", "\u{2028}", "\u{2029}":
                line += 1
                column = 1
            default:
                column += 1
            }
        }
        return (line, column)
    }
}
