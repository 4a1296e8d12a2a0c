/// A readable text account of a plan: the front door, directories, and for every process how
/// it is started, checked, stopped and labelled (what `stacktop config` can write beside the
/// configs, and what the snapshot tests compare).
extension Plan {
    public var summary: String {
        var out = [
            "plan for \(topology)", "front door: \(frontDoorURL)",
            "health check: GET \(healthURL) (any answer below 500 = healthy, 5xx = unhealthy)",
            "", "directories (mode):",
        ]
        out.append("  . (\(octal(RunDirLayout.runDirMode)))")
        out += directories.map { "  \($0) (\(octal(RunDirLayout.mode(of: $0))))" }
        out += ["", "files:"] + files.map { "  \($0.path) (\(octal($0.mode)), \($0.component))" }
        for p in processes {
            out += ["", "== \(p.component) (\(p.kind.rawValue))"]
            out.append("argv:" + (p.argv.isEmpty ? " (none: started by \(p.launchedBy ?? "?"))" : ""))
            out += p.argv.map { "  " + $0.debugDescription }
            out.append("cwd: \(p.workingDirectory)")
            out.append("env:")
            out += p.environment.keys.sorted().map { "  \($0)=\(p.environment[$0]!)" }
            out.append("output: \(p.outputLog)")
            out.append("log files: \(p.logFiles.joined(separator: ", "))")
            out.append("access log: \(p.accessLog ?? "-")")
            out.append("readiness: \(describe(p.readiness))")
            out.append(
                "stop: \(p.stopSignal.shortName), then kill after \(p.stopTimeout) s\(p.stopNeedsRequest ? ", needs one connection after the signal" : "")"
            )
            out.append("launched by: \(p.launchedBy ?? "stacktop")")
            out.append(
                "roles: root=\(p.roles.root.rawValue) helpers=\(p.roles.helperMarkers) workers=\(p.roles.workerMarkers)"
            )
            out.append("claims: \(p.claimMarkers.map(\.debugDescription).joined(separator: ", "))")
            out.append("pid file: \(p.pidFile ?? "-")")
            out.append("status: \(p.status.map(describe) ?? "-")")
        }
        return out.joined(separator: "\n") + "\n"
    }

    private func describe(_ r: Readiness) -> String {
        switch r {
        case .http(let host, let port, let path):
            return "http GET \(RecipeInput.url(host: host, port: port, path: path)) answers < 500"
        case .tcp(let host, let port): return "tcp connect \(RecipeInput.hostPort(host, port))"
        case .unixSocket(let path): return "unix connect \(path)"
        case .withParent: return "with its parent"
        }
    }

    private func describe(_ s: StatusEndpoint) -> String {
        switch s {
        case .nginxStubStatus(let host, let port, let path):
            return "nginx stub_status \(RecipeInput.url(host: host, port: port, path: path))"
        case .uwsgiStats(let socket): return "uWSGI stats \(socket)"
        case .supervisor(let socket, let config): return "supervisord \(socket) (supervisorctl -c \(config))"
        }
    }

    private func octal(_ mode: UInt16) -> String { "0" + String(mode, radix: 8) }
}
