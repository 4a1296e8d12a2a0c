/// The service-manager unit a process runs in, read from /proc/PID/cgroup. Pure.
public enum CgroupUnit {
    /// The last `.service` (or `.scope`) component of the cgroup path, nil when there is none
    /// (no systemd, a container's root cgroup).
    public static func unit(cgroupText: String) -> String? {
        for line in cgroupText.split(separator: "\n") {
            // cgroup v2: "0::/system.slice/nginx.service"; v1 lines "N:name:/path" too.
            guard let path = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false).last else {
                continue
            }
            if let unit = path.split(separator: "/").last(where: { $0.hasSuffix(".service") || $0.hasSuffix(".scope") })
            {
                return String(unit)
            }
        }
        return nil
    }
}
