extension ServerFacts {
    /// Apache httpd (event MPM): `workers` children of `threads` threads (ThreadsPerChild, 25);
    /// hosts mod_wsgi (embedded) or proxies http.
    static let apache = ServerFacts(
        role: .front, forwardedProtocols: [.embedded, .http], canBeFrontDoor: true,
        workers: .count(default: 2), threads: .count(default: 25),
        installation: [.apache2],
        processMarks: [.comm("apache2"), .comm("httpd"), .program("apache2"), .program("httpd")])
}
