import Discovery
import Supervision

/// `stacktop attach --list`: the deploys found on this machine, as a table or JSON.
enum AttachListing {
    /// One line per deploy, or a note that none was found.
    static func text(_ deploys: [DiscoveredDeploy]) -> String {
        guard !deploys.isEmpty else {
            return "no running deploy found (no listening socket is held by nginx, apache2, lighttpd, gunicorn, "
                + "uWSGI, waitress, Werkzeug or flup)\n"
        }
        var out = ""
        for d in deploys {
            out += d.summary + "\n"
            for note in d.notes { out += "    note: \(note)\n" }
        }
        out += "attach with: stacktop attach :PORT\n"
        return out
    }

    /// One JSON object: `{"deploys": [...]}`.
    static func json(_ deploys: [DiscoveredDeploy]) -> JSONValue {
        .object([("deploys", .array(deploys.map(json)))])
    }

    static func json(_ d: DiscoveredDeploy) -> JSONValue {
        var fields: [(String, JSONValue)] = [
            ("target", .string(d.target)), ("url", .string(d.url)),
            ("front_door", .string(d.frontDoor.description)),
        ]
        if let hop = d.hop { fields.append(("hop", .string(hop.rawValue))) }
        for (key, server) in [("front", d.front), ("app", d.app), ("supervisor", d.supervisor)] {
            guard let s = server else { continue }
            var f: [(String, JSONValue)] = [
                ("kind", .string(s.kind.rawValue)), ("pid", .int(Int(s.pid))),
                ("uid", .int(Int(s.uid))), ("command", .string(s.commandLine)),
                ("listens", .array(s.listens.map { .string($0.description) })),
                ("access_logs", .array(s.accessLogs.map { .string($0) })),
                ("error_logs", .array(s.errorLogs.map { .string($0) })),
            ]
            if let c = s.config { f.append(("config", .string(c))) }
            if let u = s.unit { f.append(("unit", .string(u))) }
            fields.append((key, .object(f)))
        }
        fields.append(("notes", .array(d.notes.map { .string($0) })))
        return .object(fields)
    }
}
