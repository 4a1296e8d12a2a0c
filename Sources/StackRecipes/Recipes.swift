import StackModel

/// The public entry point: turns a topology and a launch context into a `Plan`.
public enum Recipes {
    /// The longest unix socket path Linux accepts (sun_path holds 108 bytes with the NUL).
    static let maxSocketPath = 107

    /// Renders every component's configs and process spec, in start order.
    /// Throws `RecipeError` naming the component for a combination stacktop will not launch.
    public static func plan(for topology: Topology, context: LaunchContext) throws(RecipeError) -> Plan {
        try checkPaths(topology, context)
        let input = try RecipeInput(topology: topology, context: context)
        let order = try startOrder(input)
        var outputs: [String: RecipeOutput] = [:]
        for c in order where c.kind != .supervisord {
            var out = try render(c, input)
            if let sup = topology.supervisor(of: c.name) { out.process.launchedBy = sup.name }
            outputs[c.name] = out
        }
        for c in order where c.kind == .supervisord {
            let programs = order.filter { c.supervises.contains($0.name) }.compactMap { outputs[$0.name]?.process }
            outputs[c.name] = try SupervisordRecipe.render(c, input, programs: programs)
        }
        let ordered = order.compactMap { outputs[$0.name] }
        let files = try mergedFiles(ordered.flatMap(\.files))
        try checkSockets(ordered.map(\.process), input)
        guard case .tcp(let host, let port) = try input.endpoint(of: input.front) else {
            throw .inconsistent(input.front.name, "the front door listens on TCP")
        }
        return Plan(
            topology: topology.name,
            directories: directories(files: files, extra: ordered.flatMap(\.directories)),
            files: files,
            processes: ordered.map(\.process),
            frontDoorURL: RecipeInput.url(host: host, port: port),
            healthPath: topology.app.health)
    }

    /// The recipe for one (non-supervisord) component.
    static func render(_ c: Component, _ input: RecipeInput) throws(RecipeError) -> RecipeOutput {
        switch c.kind {
        case .nginx: return try NginxRecipe.render(c, input)
        case .apache: return try ApacheRecipe.render(c, input)
        case .lighttpd: return try LighttpdRecipe.render(c, input)
        case .gunicorn: return try GunicornRecipe.render(c, input)
        case .uwsgi: return try UWSGIRecipe.render(c, input)
        case .waitress: return try WaitressRecipe.render(c, input)
        case .werkzeug: return try WerkzeugRecipe.render(c, input)
        case .flup: return try FlupRecipe.render(c, input)
        case .modWSGI: return try ModWSGIRecipe.render(c, input)
        case .supervisord: throw .inconsistent(c.name, "supervisord is rendered after what it supervises")
        }
    }

    /// Start order: a supervisor before its programs, app servers before the front server that
    /// forwards to them, hosted components right after their host.
    static func startOrder(_ input: RecipeInput) throws(RecipeError) -> [Component] {
        let t = input.topology
        for s in t.components where s.kind == .supervisord {
            for name in s.supervises {
                let p = try input.component(name, from: s.name)
                if p.kind == .supervisord {
                    throw .unsupported(s.name, "supervisord cannot supervise another supervisord ('\(p.name)')")
                }
                if let host = p.inside {
                    throw .unsupported(
                        s.name, "cannot supervise '\(p.name)': it runs inside '\(host)', which starts it")
                }
                let owners = t.components.filter { $0.kind == .supervisord && $0.supervises.contains(name) }
                if owners.count > 1 {
                    throw .inconsistent(
                        name, "has more than one supervisor: \(owners.map(\.name).joined(separator: ", "))")
                }
            }
        }
        for c in t.components where c.kind != .supervisord && !c.supervises.isEmpty {
            throw .inconsistent(c.name, "only supervisord supervises other components")
        }
        var order: [Component] = []
        var placed = Set<String>()
        var visiting = Set<String>()
        func place(_ c: Component) throws(RecipeError) {
            if placed.contains(c.name) { return }
            guard !visiting.contains(c.name) else { throw .inconsistent(c.name, "is part of a forwarding cycle") }
            visiting.insert(c.name)
            if let sup = t.supervisor(of: c.name) { try place(sup) }
            if let hostName = c.inside { try place(try input.component(hostName, from: c.name)) }
            for name in c.upstream {
                let up = try input.component(name, from: c.name)
                if up.inside != c.name { try place(up) }
            }
            if !placed.contains(c.name) {
                placed.insert(c.name)
                order.append(c)
                for h in input.hosted(in: c) where !placed.contains(h.name) {
                    placed.insert(h.name)
                    order.append(h)
                }
            }
            visiting.remove(c.name)
        }
        for c in t.components { try place(c) }
        return order
    }

    /// Files of all recipes, each path once (shared scripts are identical for every user).
    static func mergedFiles(_ files: [RenderedFile]) throws(RecipeError) -> [RenderedFile] {
        var seen: [String: RenderedFile] = [:]
        var out: [RenderedFile] = []
        for f in files {
            if let first = seen[f.path] {
                guard first.contents == f.contents else {
                    throw .inconsistent(f.component, "renders \(f.path) differently from '\(first.component)'")
                }
                continue
            }
            seen[f.path] = f
            out.append(f)
        }
        return out
    }

    /// The top-level layout, then every other directory the files and recipes need, parents first.
    static func directories(files: [RenderedFile], extra: [String]) -> [String] {
        var dirs = RunDirLayout.topLevel
        var seen = Set(dirs)
        let parents = files.compactMap { f -> String? in
            let parts = f.path.split(separator: "/")
            return parts.count > 1 ? parts.dropLast().joined(separator: "/") : nil
        }
        for d in parents + extra {
            let parts = d.split(separator: "/")
            for i in 1...max(1, parts.count) where !parts.isEmpty {
                let prefix = parts.prefix(i).joined(separator: "/")
                if seen.insert(prefix).inserted { dirs.append(prefix) }
            }
        }
        return dirs
    }

    /// The run dir, venv and app dir must be absolute; the run dir (written into every config)
    /// must be plain characters.
    static func checkPaths(_ t: Topology, _ context: LaunchContext) throws(RecipeError) {
        let plain = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._+-/".unicodeScalars)
        guard context.runDir.hasPrefix("/"), context.runDir.count > 1,
            context.runDir.unicodeScalars.allSatisfy({ plain.contains($0) }), !context.runDir.hasSuffix("/")
        else {
            throw .unsafe(
                "",
                "run dir \(ConfigSyntax.debug(context.runDir)) must be an absolute path of letters, digits and ._+-/ (it is written into every config)"
            )
        }
        for (what, value) in [("venv path", t.app.venv ?? context.venv), ("app dir", t.app.directory)] {
            guard value.hasPrefix("/") else {
                throw .unsafe("", "\(what) \(ConfigSyntax.debug(value)) must be absolute")
            }
            try ConfigSyntax.check(value, component: "", what: what)
        }
        try ConfigSyntax.check(t.app.module, component: "", what: "app module")
        guard !t.app.moduleName.isEmpty, !t.app.callable.isEmpty else {
            throw .unsafe("", "app module \(ConfigSyntax.debug(t.app.module)) must be MODULE:CALLABLE")
        }
    }

    /// Every unix socket the servers will create must fit in sun_path.
    static func checkSockets(_ specs: [ProcessSpec], _ input: RecipeInput) throws(RecipeError) {
        for p in specs {
            var paths = [
                input.path(RunDirLayout.runFile(p.component, "sock")) + "-99",  // lighttpd's -N suffix
                input.path(RunDirLayout.runFile(p.component, "stats")),
                input.path(RunDirLayout.runFile(p.component, "ctl")),
            ]
            if p.kind == .apache { paths.append(input.path(RunDirLayout.run + "/wsgi.4194304.99.99.sock")) }
            for path in paths where path.utf8.count > maxSocketPath {
                throw RecipeError(
                    p.component, .missingLaunchValue,
                    "the unix socket \(path) would be \(path.utf8.count) bytes, over Linux's \(maxSocketPath); use a shorter run dir"
                )
            }
        }
    }
}
