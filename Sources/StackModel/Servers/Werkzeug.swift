extension ServerFacts {
    /// The Werkzeug development server: one process, a thread per request; speaks http.
    static let werkzeug = ServerFacts(
        role: .app, servedProtocols: [.http], canBeFrontDoor: true,
        workers: .notApplicable("the dev server is one process"),
        threads: .notApplicable("the dev server starts one thread per request"),
        installation: [.venv, .flask],
        processMarks: [.script("flask"), .argument(" -m flask")],
        venvPackage: VenvPackage(module: "werkzeug.serving", distribution: .flask, consoleScript: nil))
}
