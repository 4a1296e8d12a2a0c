/// Checks the rules that span components and fills in the defaults that depend on the stack.
///
/// Rules: names in `upstream`/`inside`/`supervises` exist; upstream members are app servers in
/// at most one pool; mod_wsgi runs inside an apache and flup inside a lighttpd (an inside
/// component joins its host's pool); front servers have a pool and supervisord supervises
/// something; a component has at most one supervisor and supervision has no cycles (upstream
/// and inside edges cannot form cycles: only front servers forward, only to app servers, and
/// only app servers run inside front servers); exactly one front door that answers HTTP; a pool
/// speaks one protocol its front can forward; fixed ports are unique.
///
/// Defaults that depend on position: the front door speaks http over TCP; supervisord and
/// components inside another use unix sockets; an app server behind a front server listens on
/// a unix socket unless it sets `listen: tcp`, `host` or `port`, and speaks its kind's
/// protocol there (uWSGI: uwsgi behind nginx, http behind others).
struct StackRules {
    let drafts: [ComponentDraft]
    let componentsLocation: SourceLocation
    private var byName: [String: ComponentDraft] = [:]
    /// Valid pool members of each front server, in file order.
    private var pools: [String: [String]] = [:]
    private var poolOf: [String: String] = [:]
    private var hostOf: [String: String] = [:]
    private var supervisorOf: [String: String] = [:]
    private var supervised: [String: [String]] = [:]

    init(drafts: [ComponentDraft], componentsLocation: SourceLocation) {
        self.drafts = drafts
        self.componentsLocation = componentsLocation
        for draft in drafts where byName[draft.name] == nil { byName[draft.name] = draft }
    }

    /// The finished components (those with a known kind), after reporting every broken rule.
    mutating func components(reader: inout NodeReader) -> [Component] {
        for draft in drafts where draft.kind != nil { resolveReferences(draft, reader: &reader) }
        for draft in drafts where draft.kind != nil { checkShape(draft, reader: &reader) }
        let door = frontDoor(reader: &reader)
        var result: [Component] = []
        for draft in drafts {
            guard let kind = draft.kind else { continue }
            result.append(build(draft, kind: kind, isFrontDoor: draft.name == door, reader: &reader))
        }
        checkPools(result, reader: &reader)
        checkPorts(result, reader: &reader)
        checkSupervisionCycles(reader: &reader)
        return result
    }

    /// Resolves `upstream`, `inside` and `supervises` of one component.
    private mutating func resolveReferences(_ d: ComponentDraft, reader: inout NodeReader) {
        var pool: [String] = []
        for ref in d.upstream {
            guard let target = lookup(ref, key: "upstream", reader: &reader) else { continue }
            guard let targetKind = target.kind else { continue }
            if pool.contains(ref.name) {
                reader.error(ref.location, "'\(ref.name)' is listed twice in 'upstream'")
            } else if targetKind.role != .app {
                reader.error(
                    ref.location,
                    "'\(d.name)' cannot forward to '\(ref.name)': upstream members must be app servers, and '\(ref.name)' is \(targetKind.rawValue)"
                )
            } else if let other = poolOf[ref.name] {
                reader.error(ref.location, "'\(ref.name)' is already in the upstream of '\(other)'")
            } else {
                pool.append(ref.name)
                poolOf[ref.name] = d.name
            }
        }
        pools[d.name, default: []] += pool
        var members: [String] = []
        for ref in d.supervises {
            guard let target = lookup(ref, key: "supervises", reader: &reader) else { continue }
            if ref.name == d.name {
                reader.error(ref.location, "'\(d.name)' cannot supervise itself")
            } else if members.contains(ref.name) {
                reader.error(ref.location, "'\(ref.name)' is listed twice in 'supervises'")
            } else if let host = target.inside?.name {
                reader.error(ref.location, "'\(ref.name)' runs inside '\(host)': supervise '\(host)' instead")
            } else if let other = supervisorOf[ref.name] {
                reader.error(ref.location, "'\(ref.name)' is already supervised by '\(other)'")
            } else {
                members.append(ref.name)
                supervisorOf[ref.name] = d.name
            }
        }
        supervised[d.name] = members
        guard let ref = d.inside, let host = lookup(ref, key: "inside", reader: &reader),
            let hostKind = host.kind, let kind = d.kind
        else { return }
        let needed: ServerKind = kind == .modWSGI ? .apache : .lighttpd
        guard hostKind == needed else {
            let what =
                kind == .modWSGI
                ? "mod_wsgi must run inside an apache component"
                : "flup can only run inside a lighttpd component (which spawns it)"
            reader.error(ref.location, "\(what), but '\(ref.name)' is \(hostKind.rawValue)")
            return
        }
        hostOf[d.name] = ref.name
        if let other = poolOf[d.name], other != ref.name {
            reader.error(ref.location, "'\(d.name)' runs inside '\(ref.name)' but is in the upstream of '\(other)'")
        } else if poolOf[d.name] == nil {
            poolOf[d.name] = ref.name
            pools[ref.name, default: []].append(d.name)
        }
    }

    /// The draft a name refers to, or nil after reporting an unknown name.
    private func lookup(_ ref: NameRef, key: String, reader: inout NodeReader) -> ComponentDraft? {
        if let draft = byName[ref.name] { return draft }
        let hint = Suggestions.hint(for: ref.name, among: drafts.map(\.name))
        reader.error(ref.location, "unknown component '\(ref.name)' in '\(key)'\(hint)")
        return nil
    }

    /// Front servers need a pool, supervisord needs members, mod_wsgi needs a host.
    private func checkShape(_ d: ComponentDraft, reader: inout NodeReader) {
        guard let kind = d.kind else { return }
        if kind.role == .front, d.keyLocations["upstream"] == nil, pools[d.name, default: []].isEmpty {
            reader.error(
                d.nameLocation,
                "\(kind.rawValue) '\(d.name)' needs 'upstream' naming at least one app server to forward to")
        }
        if kind == .supervisord, d.keyLocations["supervises"] == nil {
            reader.error(d.nameLocation, "supervisord '\(d.name)' needs 'supervises' naming at least one component")
        }
        if kind == .modWSGI, d.inside == nil {
            reader.error(d.kindLocation, "mod_wsgi runs inside Apache: add 'inside: NAME' naming an apache component")
        }
    }

    /// Checks there is exactly one front door that answers HTTP; returns its name.
    private func frontDoor(reader: inout NodeReader) -> String? {
        var doors: [ComponentDraft] = []
        var excused = drafts.contains { $0.kind == nil }
        let reachedByMistake = Set(drafts.flatMap(\.rejectedTargets))
        for d in drafts {
            guard let kind = d.kind, kind.role != .supervisor, poolOf[d.name] == nil else { continue }
            if reachedByMistake.contains(d.name) { excused = true; continue }
            if d.inside != nil || kind == .modWSGI { excused = true; continue }
            if kind == .flup {
                reader.error(
                    d.kindLocation,
                    "flup cannot be the front door: it speaks FastCGI, not HTTP; put nginx or lighttpd in front of it")
                excused = true
                continue
            }
            doors.append(d)
        }
        if doors.isEmpty, !excused {
            reader.error(
                componentsLocation,
                "no front door: a stack needs one server that takes client requests (nginx, apache, lighttpd or an app server answering HTTP)"
            )
        }
        for extra in doors.dropFirst() {
            reader.error(
                extra.nameLocation,
                "two front doors: '\(doors[0].name)' and '\(extra.name)' both take client requests; put one behind the other with 'upstream', or remove one"
            )
        }
        return doors.first?.name
    }

    /// One finished component with the stack-dependent defaults applied.
    private func build(_ d: ComponentDraft, kind: ServerKind, isFrontDoor: Bool, reader: inout NodeReader) -> Component
    {
        let front = poolOf[d.name].flatMap { byName[$0]?.kind }
        var proto = d.proto ?? (isFrontDoor ? .http : KindRules.defaultProtocol(kind, behind: front))
        if kind.role != .app { proto = .http }
        if isFrontDoor, proto != .http, let at = d.valueLocations["protocol"] {
            reader.error(at, "'\(d.name)' is the front door, so it speaks http to clients, not \(proto.rawValue)")
        }
        var transport: Transport
        if let listen = d.listen {
            transport = listen
            if isFrontDoor, listen == .unix, let at = d.valueLocations["listen"] {
                reader.error(
                    at,
                    "'\(d.name)' is the front door, so it listens on TCP: 'listen: unix' applies only behind a front server"
                )
                transport = .tcp
            }
            for key in ["host", "port"] where listen == .unix && d.keyLocations[key] != nil {
                reader.error(d.keyLocations[key]!, "'\(key)' needs 'listen: tcp': '\(d.name)' listens on a unix socket")
            }
        } else if isFrontDoor || kind.role == .front {
            transport = .tcp
        } else if kind == .supervisord || hostOf[d.name] != nil || d.inside != nil {
            transport = .unix
        } else if d.keyLocations["port"] != nil || d.keyLocations["host"] != nil {
            transport = .tcp
        } else {
            transport = poolOf[d.name] != nil ? .unix : .tcp
        }
        let workers = d.workers ?? KindRules.defaultWorkers(kind, mode: d.mode, inside: d.inside != nil)
        return Component(
            name: d.name, kind: kind, workers: workers, threads: d.threads ?? KindRules.defaultThreads(kind),
            processModel: kind == .flup ? (d.mode ?? .fork) : nil, transport: transport,
            host: d.host ?? "127.0.0.1", port: d.port, proto: proto, upstream: pools[d.name] ?? [],
            inside: hostOf[d.name], supervises: supervised[d.name] ?? [], location: d.nameLocation,
            serverLocation: d.kindLocation)
    }

    /// Each pool speaks one protocol, and its front can forward it.
    private func checkPools(_ components: [Component], reader: inout NodeReader) {
        let byName = Dictionary(components.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        for front in components where !front.upstream.isEmpty {
            let members = front.upstream.compactMap { byName[$0] }.filter {
                $0.kind != .modWSGI || front.kind == .apache
            }
            let draft = self.byName[front.name]!
            let protocols = Set(members.map(\.proto))
            if protocols.count > 1 {
                let list = members.map { "\($0.name): \($0.proto.rawValue)" }.joined(separator: ", ")
                reader.error(
                    draft.keyLocations["upstream"] ?? draft.nameLocation,
                    "the upstream pool of '\(front.name)' mixes protocols (\(list)): members of one pool must speak one protocol"
                )
                continue
            }
            for member in members where !front.kind.forwardedProtocols.contains(member.proto) {
                let m = self.byName[member.name]!
                let can = front.kind.forwardedProtocols.map(\.rawValue).joined(separator: " or ")
                reader.error(
                    m.valueLocations["protocol"] ?? m.kindLocation,
                    "\(front.kind.rawValue) cannot forward \(member.proto.rawValue) to '\(member.name)': it forwards \(can)"
                )
            }
        }
    }

    /// No two components share a fixed port.
    private func checkPorts(_ components: [Component], reader: inout NodeReader) {
        var owners: [Int: ComponentDraft] = [:]
        for component in components {
            guard let port = component.port, let draft = byName[component.name] else { continue }
            if let owner = owners[port], let at = draft.valueLocations["port"] {
                let line = owner.valueLocations["port"]?.line ?? owner.nameLocation.line
                reader.error(at, "port \(port) is already used by '\(owner.name)' (line \(line))")
            } else {
                owners[port] = draft
            }
        }
    }

    /// A supervisord must not (indirectly) supervise itself.
    private func checkSupervisionCycles(reader: inout NodeReader) {
        var reported = Set<String>()
        for d in drafts where d.kind == .supervisord && !reported.contains(d.name) {
            var chain = [d.name]
            var current = d.name
            while let parent = supervisorOf[current], !chain.contains(parent) {
                chain.append(parent)
                current = parent
            }
            guard let parent = supervisorOf[current], parent == d.name else { continue }
            reported.formUnion(chain)
            let path = ([d.name] + chain.dropFirst().reversed() + [d.name]).joined(separator: " -> ")
            reader.error(d.keyLocations["supervises"] ?? d.nameLocation, "supervision cycle: \(path)")
        }
    }
}
