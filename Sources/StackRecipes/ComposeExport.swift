import StackModel

/// `stacktop export TOPOLOGY --compose DIR`: the same stack as a Containerfile and a compose.yaml
/// that `podman-compose` (or `docker compose`) runs without stacktop. Pure text from a plan
/// rendered for the in-image run dir `runDir` (configs baked into the image, not mounted).
public enum ComposeExport {
    /// The run dir inside the exported image.
    public static let runDir = "/stack"

    /// A file of the export (path relative to DIR).
    public struct File: Sendable, Equatable {
        public var path: String
        public var contents: String
    }

    /// The Containerfile(s), compose.yaml and the plan's files under `stack/`; `app/` is copied by
    /// the caller. `container: true` gives one image and one service; `container: pod` one
    /// `Containerfile.COMPONENT` and one service per component stacktop starts, sharing the run
    /// dir's `run/` (their unix sockets) through a named volume.
    public static func files(
        plan: Plan, base: String, topology: String,
        layout: ContainerLayout = .single
    ) throws(RecipeError) -> [File] {
        let roots = plan.processes.filter { $0.launchedBy == nil }
        guard !roots.isEmpty else {
            throw .inconsistent("", "the stack has no component stacktop starts")
        }
        let stack = plan.files.map { File(path: "stack/" + $0.path, contents: $0.contents) }
        // A pod's shared run/ is a named volume: `down -v` removes it with the containers.
        let down = layout == .pod ? "down -v -t 2" : "down -t 2"
        let run =
            "# Run it with\n#   CONTAINERS_CONF=$PWD/containers.conf podman-compose up -d --build\n"
            + "# and stop it with\n#   CONTAINERS_CONF=$PWD/containers.conf podman-compose \(down)\n"
            + "# (podman-compose >= 1.0.6, e.g. the project's .venv/bin/podman-compose; Debian 12's 1.0.3\n"
            + "# adds a project network even to `network_mode: host` and fails. `docker compose` runs it as is.)\n"
            + "# The front door: \(plan.frontDoorURL) (host network: the servers bind loopback ports).\n"
        if layout == .pod {
            var files: [File] = []
            var services = ""
            for root in roots {
                let app = root.kind.role == .app
                let file = "Containerfile." + root.component
                files.append(
                    File(
                        path: file,
                        contents: containerfile(
                            root, plan: plan, base: base, withApp: app,
                            what: "'\(root.component)' of a `container: pod` stack in its own image")))
                // A front server starts after the app servers (nginx would start anyway: it
                // connects per request; this only orders the first answers).
                let upstream = app ? [] : roots.filter { $0.kind.role == .app }.map(\.component)
                services += service(
                    root, name: root.component, file: file,
                    image: "localhost/stacktop-export-\(topology.lowercased())-\(root.component.lowercased()):latest",
                    extra: (upstream.isEmpty ? "" : "    depends_on: \(jsonArray(upstream))\n")
                        + "    volumes:\n      - \(jsonString("run:" + runDir + "/run"))\n")
            }
            let compose =
                "# Written by `stacktop export \(topology) --compose`: one container per component.\n"
                + run
                + "# The components share the run dir's run/ (unix sockets, pid files) through the volume `run`.\n"
                + "services:\n" + services + "volumes:\n  run: {}\n"
            return files + [File(path: "compose.yaml", contents: compose)] + stack
        }
        let root = roots[0]
        let image = "localhost/stacktop-export-" + topology.lowercased() + ":latest"
        let containerfile = containerfile(
            root, plan: plan, base: base, withApp: true, what: "the whole stack in one image")
        let compose =
            "# Written by `stacktop export \(topology) --compose`.\n" + run + "services:\n"
            + service(root, name: "stack", file: "Containerfile", image: image, extra: "")
        return [File(path: "Containerfile", contents: containerfile), File(path: "compose.yaml", contents: compose)]
            + stack
    }

    /// The Containerfile of one image whose CMD is `root`: the base, the app and venv when
    /// `withApp`, the run dir's directories and the configs.
    static func containerfile(_ root: ProcessSpec, plan: Plan, base: String, withApp: Bool, what: String) -> String {
        var directories: [String] = []
        for d in plan.directories {
            directories.append(
                "mkdir -p \(runDir)/\(d) && chmod \(String(RunDirLayout.mode(of: d), radix: 8)) \(runDir)/\(d)")
        }
        let app = withApp ? "COPY app/ \(ContainerImage.appDirectory)/\nRUN \(ContainerImage.venvCommand)\n" : ""
        return """
            # Written by `stacktop export --compose`: \(what),
            # as stacktop runs it (configs in \(runDir), the app in \(ContainerImage.appDirectory)).
            # The base is stacktop's offline Debian image (mmdebstrap from the apt mirror); build it
            # with any `stacktop up` of a container topology, or `stacktop export` itself.
            FROM \(base)

            """ + app + """
                RUN mkdir -p \(runDir) && chmod 711 \(runDir) && \(directories.joined(separator: " && "))
                COPY stack/ \(runDir)/
                WORKDIR \(root.workingDirectory)
                CMD \(jsonArray(root.argv))

                """
    }

    /// One compose service building `file` into `image`, on the host network, with `root`'s environment.
    static func service(_ root: ProcessSpec, name: String, file: String, image: String, extra: String) -> String {
        var env = ""
        for key in root.environment.keys.sorted() {
            env += "      \(key): \(jsonString(root.environment[key]!))\n"
        }
        return """
              \(name):
                build:
                  context: .
                  dockerfile: \(file)
                image: \(image)
                network_mode: host

            """ + extra + "    environment:\n" + (env.isEmpty ? "      {}\n" : env)
    }

    static func jsonArray(_ words: [String]) -> String {
        "[" + words.map(jsonString).joined(separator: ", ") + "]"
    }

    /// A double-quoted JSON (and YAML) string.
    static func jsonString(_ s: String) -> String {
        var out = "\""
        for c in s.unicodeScalars {
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            default: out.unicodeScalars.append(c)
            }
        }
        return out + "\""
    }
}
