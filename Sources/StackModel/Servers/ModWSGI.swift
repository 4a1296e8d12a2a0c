extension ServerFacts {
    /// mod_wsgi (daemon mode) inside an Apache: `workers` daemon processes of `threads` (4).
    static let modWSGI = ServerFacts(
        role: .app, servedProtocols: [.embedded], canBeFrontDoor: false,
        workers: .count(default: 2), threads: .count(default: 4),
        defaultProtocol: .embedded,
        installation: [.apache2, .modWSGI, .venv],
        processMarks: [.argument("(wsgi:"), .titlePrefix("wsgi-")],
        embedsDebianPython: true)
}
