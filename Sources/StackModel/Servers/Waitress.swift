extension ServerFacts {
    /// waitress: one process with a pool of `threads` (4); speaks http.
    static let waitress = ServerFacts(
        role: .app, servedProtocols: [.http], canBeFrontDoor: true,
        workers: .notApplicable("it is one process; use 'threads'"), threads: .count(default: 4),
        installation: [.venv, .waitress],
        processMarks: [.script("waitress-serve"), .argument(" -m waitress")],
        venvPackage: VenvPackage(module: "waitress", distribution: .waitress, consoleScript: "waitress-serve"))
}
