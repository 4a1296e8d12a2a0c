/// The rules of a topology that runs in containers.
///
/// `container: true`: the whole stack runs in one container image, as the deployment guide
/// recommends (nginx + uWSGI + supervisord running the Flask app). One container has one root
/// process, so exactly one component may be started by stacktop: a supervisord supervising all
/// the others, or a stack of one server.
///
/// `container: pod`: each component stacktop starts runs in its own container of one podman
/// pod; a supervisord (one process tree) or a component hosted inside another has no place there.
///
/// Either way the image holds the servers Debian packages for it (`supported`), and the app's
/// Python packages come from the image, so the topology may not name a venv of the host.
public enum ContainerRules {
    /// The server kinds the stack image holds.
    public static let supported: [ServerKind] = [.nginx, .uwsgi, .gunicorn, .supervisord]
    /// The server kinds a pod runs, one container each.
    public static let supportedInPod: [ServerKind] = [.nginx, .uwsgi, .gunicorn]

    /// Reports every rule `components` and `app` break, at `at` (the `container:` key) or at
    /// the component at fault.
    static func check(
        _ components: [Component], layout: ContainerLayout, app: AppSpec, at: SourceLocation,
        reader: inout NodeReader
    ) {
        let word = "container: " + layout.rawValue
        let kinds = layout == .pod ? supportedInPod : supported
        let names = kinds.map(\.rawValue).joined(separator: ", ")
        for c in components where !kinds.contains(c.kind) {
            if layout == .pod && c.kind == .supervisord {
                reader.error(
                    c.location,
                    "'\(c.name)' is supervisord, but container: pod runs each component in its own container: remove it, or use container: true to run the stack under supervisord in one container"
                )
            } else {
                reader.error(
                    c.location,
                    "'\(c.name)' is \(c.kind.rawValue), which the container image does not hold (\(word) supports \(names))"
                )
            }
        }
        if layout == .single {
            let supervised = Set(components.filter { $0.kind == .supervisord }.flatMap(\.supervises))
            let roots = components.filter { !supervised.contains($0.name) && $0.inside == nil }
            if roots.count > 1 {
                let list = roots.map(\.name).joined(separator: ", ")
                reader.error(
                    at,
                    "container: true runs one process tree, but stacktop would start \(roots.count) components (\(list)): add a supervisord that supervises all of them, or use container: pod for one container each"
                )
            }
        }
        if let venv = app.venv {
            reader.error(
                at, "\(word) runs the app with the image's Python packages; remove 'venv' from 'app' (\(venv))")
        }
    }
}
