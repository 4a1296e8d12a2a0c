extension ServerFacts {
    /// nginx: a master and `workers` single-threaded event-loop workers; forwards over http,
    /// uwsgi or FastCGI.
    static let nginx = ServerFacts(
        role: .front, forwardedProtocols: [.http, .uwsgi, .fastcgi], canBeFrontDoor: true,
        workers: .count(default: 2),
        threads: .notApplicable("its workers are single-threaded event loops; use 'workers'"),
        installation: [.nginx],
        processMarks: [.titlePrefix("nginx:"), .program("nginx"), .comm("nginx")])
}
