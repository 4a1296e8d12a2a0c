/// Where a `container: pod` stack runs: one podman pod on the host's network namespace, and in
/// it one container per component stacktop starts (front server, app server), each with its
/// own PID namespace and image.
///
/// The pod uses the host network, as `container: true` does: no bridge, no iptables, no helper
/// processes; the servers bind their 127.0.0.1 ports and stacktop's readiness checks, socket
/// table and load generator reach them as on bare metal. The run dir is mounted in every
/// container at its own path, so a unix socket one container makes is the other's too.
public struct PodPlacement: Sendable, Equatable {
    /// The pod's name and the file podman writes its id to (stacktop and its reaper remove the
    /// pod, and every container in it, by that file).
    public struct Identity: Sendable, Equatable {
        public var name: String
        public var idFile: String
        public init(name: String, idFile: String) {
            self.name = name
            self.idFile = idFile
        }
    }

    public var identity: Identity
    /// The container of each component stacktop starts, by component name.
    public var containers: [String: ContainerPlacement]

    public init(identity: Identity, containers: [String: ContainerPlacement]) {
        self.identity = identity
        self.containers = containers
    }

    /// `podman pod create` arguments (after `podman`).
    public func createArguments(runDir: String) -> [String] {
        [
            "pod", "create", "--name", identity.name, "--pod-id-file", identity.idFile, "--network", "host",
            "--label", "io.stacktop.run_dir=" + runDir,
        ]
    }
}
