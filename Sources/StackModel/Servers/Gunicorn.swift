extension ServerFacts {
    /// gunicorn: a master and `workers` workers (sync: 1 thread each); speaks http.
    static let gunicorn = ServerFacts(
        role: .app, servedProtocols: [.http], canBeFrontDoor: true,
        workers: .count(default: 2), threads: .count(default: 1),
        installation: [.venv, .gunicorn],
        processMarks: [.script("gunicorn"), .titlePrefix("gunicorn:"), .comm("gunicorn")],
        venvPackage: VenvPackage(module: "gunicorn", distribution: .gunicorn, consoleScript: "gunicorn"))
}
