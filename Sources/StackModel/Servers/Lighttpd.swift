extension ServerFacts {
    /// lighttpd: one single-threaded event-loop process; forwards over FastCGI (spawning flup
    /// backends itself) or http.
    static let lighttpd = ServerFacts(
        role: .front, forwardedProtocols: [.fastcgi, .http], canBeFrontDoor: true,
        workers: .notApplicable("it is one event-loop process; set the count on the app server behind it"),
        threads: .notApplicable("it is a single-threaded event loop"),
        installation: [.lighttpd],
        processMarks: [.comm("lighttpd"), .program("lighttpd")])
}
