/// Finds the servers' own log lines that say why requests failed during a drill: nginx's
/// "connect() failed", Apache's "Unable to connect to WSGI daemon process", supervisord's
/// "stopped: app", uWSGI's reload, and so on. Pure: it reads lines it is given.
public enum FailureExplanation {
    /// Substrings that mark a line as an explanation, in no particular order.
    public static let markers = [
        "connect() to ", "connect() failed", "upstream prematurely closed", "recv() failed", "no live upstreams",
        "Unable to connect to WSGI daemon", "Truncated or oversized response headers",
        "Connection reset by peer", "stopped: ", "waiting for ", "exited: ", "SIGKILL",
        "WORKER TIMEOUT", "HARAKIRI", "binary reloading uWSGI", "Doing graceful restart",
        "graceful restart", "Handling signal: hup", "Handling signal: term", "Shutting down",
    ]

    /// At most `limit` distinct lines of `logs` (component → lines, oldest first) that carry a
    /// marker, each prefixed with its component and trimmed to 200 characters; the first such
    /// line of each kind of message is kept, at most `perComponent` per component, components in
    /// the order given.
    public static func lines(
        in logs: [(component: String, lines: [String])], limit: Int = 6,
        perComponent: Int = 2
    ) -> [String] {
        var found: [String] = []
        var seenMarkers = Set<String>()
        var seenLines = Set<String>()
        for (component, lines) in logs {
            var taken = 0
            for line in lines where taken < perComponent {
                guard let marker = markers.first(where: { line.contains($0) }),
                    !seenMarkers.contains(component + marker),
                    !seenLines.contains(line)
                else { continue }
                seenMarkers.insert(component + marker)
                seenLines.insert(line)
                let trimmed = line.count > 200 ? String(line.prefix(199)) + "…" : line
                found.append("\(component): \(trimmed)")
                taken += 1
                if found.count >= limit { return found }
            }
        }
        return found
    }
}
