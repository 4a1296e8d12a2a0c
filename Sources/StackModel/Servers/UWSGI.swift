extension ServerFacts {
    /// uWSGI: a master and `workers` workers (1 thread each); speaks its own protocol (the
    /// default behind nginx) or http.
    static let uwsgi = ServerFacts(
        role: .app, servedProtocols: [.uwsgi, .http], canBeFrontDoor: true,
        workers: .count(default: 2), threads: .count(default: 1),
        defaultProtocolBehind: [.nginx: .uwsgi],
        installation: [.uwsgi, .uwsgiPython3, .uwsgiHTTP, .venv],
        processMarks: [.titlePrefix("uWSGI "), .programPrefix("uwsgi"), .commPrefix("uwsgi")],
        embedsDebianPython: true)
}
