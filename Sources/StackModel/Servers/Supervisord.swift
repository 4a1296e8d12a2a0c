extension ServerFacts {
    /// supervisord: runs other components and serves no requests.
    static let supervisord = ServerFacts(
        role: .supervisor, canBeFrontDoor: false,
        workers: .notApplicable("it runs other components and serves no requests"),
        threads: .notApplicable("it runs other components and serves no requests"),
        installation: [.supervisord],
        processMarks: [.script("supervisord")])
}
