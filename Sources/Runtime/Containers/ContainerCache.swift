import StackRecipes

/// What the container image cache holds (podman's store, images named `localhost/stacktop-*`),
/// for `stacktop doctor`.
public struct ContainerCache: Sendable {
    public var engine: ContainerEngine
    public init(engine: ContainerEngine) { self.engine = engine }

    /// One image of the cache.
    public struct Image: Sendable, Equatable {
        public var name: String
        public var size: String
    }

    /// stacktop's images (`localhost/stacktop-*`), as podman lists them.
    public func images() -> [Image] {
        let r = engine.run(["images", "--format", "{{.Repository}}:{{.Tag}} {{.Size}}"], timeoutSeconds: 30)
        guard r.ok else { return [] }
        return r.output.split(separator: "\n").compactMap { line in
            let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
            guard let name = parts.first, name.hasPrefix("localhost/stacktop-") else { return nil }
            return Image(name: name, size: parts.count > 1 ? parts[1] : "?")
        }
    }

    /// "container images: base … (289 MB), 1 stack image …" or why there are none.
    public var summary: String {
        guard engine.isInstalled else {
            return "container images: podman is not installed (scripts/install-components --containers)"
        }
        let all = images()
        let base = ContainerImage.baseTag
        var lines = ["container images (podman store, CONTAINERS_CONF=\(engine.config)):"]
        if let b = all.first(where: { $0.name == base }) {
            lines.append("  base \(b.name) (\(b.size)) built")
        } else {
            lines.append(
                "  base \(base) not built yet: the first container: true launch builds it (mmdebstrap, 30 s to a few minutes)"
            )
        }
        for i in all where i.name != base {
            lines.append("  \(i.name) (\(i.size))")
        }
        return lines.joined(separator: "\n")
    }
}
