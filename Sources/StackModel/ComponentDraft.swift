import Yams

/// One component as written in the file, before the stack-wide rules fill in defaults.
struct ComponentDraft {
    var name: String
    /// Where the component's name (its key under `components:`) was written.
    var nameLocation: SourceLocation
    /// nil when `server` is missing or names no known kind (already reported).
    var kind: ServerKind?
    var kindLocation: SourceLocation
    var workers: Int?
    var threads: Int?
    var mode: ProcessModel?
    var listen: Transport?
    var host: String?
    var port: Int?
    var proto: HopProtocol?
    var upstream: [NameRef] = []
    var inside: NameRef?
    var supervises: [NameRef] = []
    /// Where each key given for this component was written.
    var keyLocations: [String: SourceLocation] = [:]
    /// Where each value given for this component was written.
    var valueLocations: [String: SourceLocation] = [:]
    /// Components an `upstream` or `inside` key rejected for this kind meant to reach: they count
    /// as reached, so one mistake does not also report a second (or no) front door.
    var rejectedTargets: [String] = []

    /// Reads one entry of `components:`; every problem goes to `reader`.
    init(entry: Entry, reader: inout NodeReader) {
        name = entry.key
        nameLocation = entry.keyLocation
        kindLocation = entry.keyLocation
        if !Self.isValidName(name) {
            reader.error(
                nameLocation,
                "bad component name '\(name)': use lowercase letters, digits and '-', starting with a letter")
        }
        let context = " in component '\(name)'"
        guard
            let raw = reader.entries(
                of: entry.value, named: name,
                duplicateMessage: { key, line in
                    "duplicate key '\(key)'\(context) (first on line \(line))"
                })
        else { return }
        let entries = reader.known(raw, allowed: KindRules.componentKeys, context: context)
        for e in entries {
            keyLocations[e.key] = e.keyLocation
            valueLocations[e.key] = reader.location(e.value)
        }
        guard let serverEntry = entries.first(where: { $0.key == "server" }) else {
            let kinds = ServerKind.allCases.map(\.rawValue).joined(separator: ", ")
            reader.error(nameLocation, "component '\(name)' needs 'server: KIND' (one of: \(kinds))")
            return
        }
        kindLocation = reader.location(serverEntry.value)
        guard let kindName = reader.string(serverEntry) else { return }
        guard let kind = ServerKind(rawValue: kindName) else {
            let hint = Suggestions.hint(for: kindName, among: ServerKind.allCases.map(\.rawValue))
            reader.error(kindLocation, "unknown server kind '\(kindName)'\(hint)")
            for e in entries where e.key == "upstream" || e.key == "inside" { rejectTargets(of: e) }
            return
        }
        self.kind = kind
        let insideName = entries.first { $0.key == "inside" }?.value.scalar?.string
        for e in entries where e.key != "server" {
            if let reason = KindRules.reason(key: e.key, kind: kind, inside: insideName) {
                reader.error(e.keyLocation, reason)
                if e.key == "upstream" || e.key == "inside" { rejectTargets(of: e) }
                continue
            }
            read(e, kind: kind, reader: &reader)
        }
        if kind == .flup, mode == .threaded, insideName == nil, let location = keyLocations["workers"], workers != nil {
            reader.error(
                location,
                "'workers' does not apply to flup in threaded mode: it is one process; use 'mode: fork' for several, or run it inside lighttpd"
            )
            workers = nil
        }
    }

    /// Remembers what an `upstream` or `inside` entry that could not be checked meant to reach:
    /// the upstream's members, or this component itself when it claims to run inside another.
    private mutating func rejectTargets(of e: Entry) {
        if e.key == "inside" { rejectedTargets.append(name); return }
        let items = e.value.sequence.map(Array.init) ?? [e.value]
        rejectedTargets += items.compactMap { $0.scalar?.string }
    }

    /// Reads one key that applies to this kind.
    private mutating func read(_ e: Entry, kind: ServerKind, reader: inout NodeReader) {
        let at = reader.location(e.value)
        switch e.key {
        case "workers":
            workers = Self.ranged(e, max: KindRules.maxWorkers, noun: "workers", reader: &reader)
        case "threads":
            threads = Self.ranged(e, max: KindRules.maxThreads, noun: "threads", reader: &reader)
        case "mode":
            mode = Self.choice(e, ProcessModel.self, reader: &reader)
        case "listen":
            listen = Self.choice(e, Transport.self, reader: &reader)
        case "protocol":
            guard let value = Self.choice(e, HopProtocol.self, reader: &reader) else { return }
            if !kind.servedProtocols.contains(value) {
                let spoken = kind.servedProtocols.map(\.rawValue).joined(separator: " or ")
                reader.error(at, "\(kind.rawValue) cannot speak \(value.rawValue): it speaks \(spoken)")
                return
            }
            proto = value
        case "host":
            guard let value = reader.string(e) else { return }
            guard KindRules.isLoopback(value) else {
                reader.error(at, "host '\(value)' is not a loopback address: stacktop binds 127.0.0.1 or ::1 only")
                return
            }
            host = value == "localhost" ? "127.0.0.1" : value
        case "port":
            guard let text = reader.string(e) else { return }
            if text == "auto" { return }
            guard let value = NodeReader.plainInt(e.value) else {
                reader.error(at, "port '\(text)' is not a number: use 1..65535 or auto")
                return
            }
            guard (1...65535).contains(value) else {
                reader.error(at, "port \(text) is out of range: use 1..65535 or auto")
                return
            }
            port = value
        case "upstream":
            guard let refs = reader.names(e) else { return }
            if refs.isEmpty { reader.error(e.keyLocation, "'upstream' must name at least one app server") }
            upstream = refs
        case "supervises":
            guard let refs = reader.names(e) else { return }
            if refs.isEmpty { reader.error(e.keyLocation, "'supervises' must name at least one component") }
            supervises = refs
        case "inside":
            guard let value = reader.string(e) else { return }
            inside = NameRef(name: value, location: at)
        default:
            break
        }
    }

    /// An integer in 1...max, or nil after reporting why not.
    private static func ranged(_ e: Entry, max: Int, noun: String, reader: inout NodeReader) -> Int? {
        guard let value = reader.int(e) else { return nil }
        guard (1...max).contains(value) else {
            reader.error(reader.location(e.value), "\(noun) must be between 1 and \(max), got \(value)")
            return nil
        }
        return value
    }

    /// One of an enum's raw values, or nil after reporting the choices.
    private static func choice<T: RawRepresentable & CaseIterable>(
        _ e: Entry, _ type: T.Type, reader: inout NodeReader
    ) -> T? where T.RawValue == String {
        guard let text = reader.string(e) else { return nil }
        if let value = T(rawValue: text) { return value }
        let hint = Suggestions.hint(for: text, among: T.allCases.map(\.rawValue))
        reader.error(reader.location(e.value), "unknown \(e.key) '\(text)'\(hint)")
        return nil
    }

    /// Whether `name` is a valid component name: `[a-z][a-z0-9-]*`.
    static func isValidName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, ("a"..."z").contains(first) else { return false }
        return name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
    }
}
