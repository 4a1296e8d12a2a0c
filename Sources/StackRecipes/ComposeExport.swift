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

    /// The Containerfile, compose.yaml and the plan's files under `stack/`; `app/` is copied by the caller.
    public static func files(plan: Plan, base: String, topology: String) throws(RecipeError) -> [File] {
        guard let root = plan.processes.first(where: { $0.launchedBy == nil }) else {
            throw .inconsistent("", "the stack has no component stacktop starts")
        }
        let image = "localhost/stacktop-export-" + topology.lowercased() + ":latest"
        var directories: [String] = []
        for d in plan.directories {
            directories.append("mkdir -p \(runDir)/\(d) && chmod \(String(RunDirLayout.mode(of: d), radix: 8)) \(runDir)/\(d)")
        }
        let containerfile = """
            # Written by `stacktop export \(topology) --compose`: the whole stack in one image, as
            # stacktop runs it (configs in \(runDir), the app in \(ContainerImage.appDirectory)).
            # The base is stacktop's offline Debian image (mmdebstrap from the apt mirror); build it
            # with any `stacktop up` of a container: true topology, or `stacktop export` itself.
            FROM \(base)
            COPY app/ \(ContainerImage.appDirectory)/
            RUN \(ContainerImage.venvCommand)
            RUN mkdir -p \(runDir) && chmod 711 \(runDir) && \(directories.joined(separator: " && "))
            COPY stack/ \(runDir)/
            WORKDIR \(root.workingDirectory)
            CMD \(jsonArray(root.argv))

            """
        var env = ""
        for key in root.environment.keys.sorted() {
            env += "      \(key): \(jsonString(root.environment[key]!))\n"
        }
        let compose = """
            # Written by `stacktop export \(topology) --compose`. Run it with
            #   CONTAINERS_CONF=$PWD/containers.conf podman-compose up -d --build
            # and stop it with
            #   CONTAINERS_CONF=$PWD/containers.conf podman-compose down -t 2
            # (podman-compose >= 1.0.6, e.g. the project's .venv/bin/podman-compose; Debian 12's 1.0.3
            # adds a project network even to `network_mode: host` and fails. `docker compose` runs it as is.)
            # The front door: \(plan.frontDoorURL) (host network: the servers bind loopback ports).
            services:
              stack:
                build:
                  context: .
                  dockerfile: Containerfile
                image: \(image)
                network_mode: host
                environment:
            \(env.isEmpty ? "      {}\n" : env)
            """
        return [File(path: "Containerfile", contents: containerfile), File(path: "compose.yaml", contents: compose)]
            + plan.files.map { File(path: "stack/" + $0.path, contents: $0.contents) }
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
