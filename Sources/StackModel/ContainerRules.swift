/// The rules of `container: true`: the whole stack runs in one container image, as the
/// deployment guide recommends (nginx + uWSGI + supervisord running the Flask app).
///
/// One container has one root process, so exactly one component may be started by stacktop:
/// a supervisord supervising all the others, or a stack of one server. The image holds the
/// servers Debian packages for it (`supported`), and the app's Python
/// packages come from the image, so the topology may not name a venv of the host.
public enum ContainerRules {
    /// The server kinds the stack image holds.
    public static let supported: [ServerKind] = [.nginx, .uwsgi, .gunicorn, .supervisord]

    /// Reports every rule `components` and `app` break, at `at` (the `container:` key) or at
    /// the component at fault.
    static func check(_ components: [Component], app: AppSpec, at: SourceLocation, reader: inout NodeReader) {
        let names = supported.map(\.rawValue).joined(separator: ", ")
        for c in components where !supported.contains(c.kind) {
            reader.error(c.location, "'\(c.name)' is \(c.kind.rawValue), which the container image does not hold (container: true supports \(names))")
        }
        let supervised = Set(components.filter { $0.kind == .supervisord }.flatMap(\.supervises))
        let roots = components.filter { !supervised.contains($0.name) && $0.inside == nil }
        if roots.count > 1 {
            let list = roots.map(\.name).joined(separator: ", ")
            reader.error(at, "container: true runs one process tree, but stacktop would start \(roots.count) components (\(list)): add a supervisord that supervises all of them")
        }
        if let venv = app.venv {
            reader.error(at, "container: true runs the app with the image's Python packages; remove 'venv' from 'app' (\(venv))")
        }
    }
}
