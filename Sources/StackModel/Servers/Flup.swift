extension ServerFacts {
    /// flup: FastCGI only; `mode: fork` (a master preforking `workers` children, the default)
    /// or `mode: threaded` (one process); or spawned by lighttpd as `workers` backends.
    static let flup = ServerFacts(
        role: .app, servedProtocols: [.fastcgi], canBeFrontDoor: false,
        workers: .count(default: 2),
        threads: .notApplicable("choose 'mode: fork' (worker processes) or 'mode: threaded' (one process)"),
        defaultProtocol: .fastcgi,
        installation: [.venv, .flup],
        processMarks: [.pythonWith(["fcgi", "flup"])],
        venvPackage: VenvPackage(module: "flup.server.fcgi", distribution: .flup, consoleScript: nil))
}
