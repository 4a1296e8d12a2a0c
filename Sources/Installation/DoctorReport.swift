import StackModel
import Supervision

/// What `stacktop doctor` reports: each component found (version, path) or missing (why, how to
/// install it, which topologies that rules out).
public struct DoctorReport: Sendable, Equatable {
    /// A topology and what it needs installed.
    public struct TopologyNeeds: Sendable, Equatable {
        public var name: String
        public var needs: [InstallationComponent]
        public init(name: String, needs: [InstallationComponent]) {
            self.name = name
            self.needs = needs
        }
    }

    public var statuses: [InstallationStatus]
    /// The topologies that loaded; invalid files rule nothing out (`stacktop list` shows them).
    public var topologies: [TopologyNeeds]
    /// The venv that was probed.
    public var venv: String
    /// The topology argument when the venv is that topology's own (`doctor TOPOLOGY`): its
    /// Python servers install with that venv's pip, or `doctor TOPOLOGY --fix`.
    public var ownVenvTopology: String?

    public init(
        statuses: [InstallationStatus], topologies: [TopologyNeeds], venv: String,
        ownVenvTopology: String? = nil
    ) {
        self.statuses = statuses
        self.topologies = topologies
        self.venv = venv
        self.ownVenvTopology = ownVenvTopology
    }

    private var ownVenv: String? { ownVenvTopology == nil ? nil : venv }

    /// The command that installs `component` here.
    func installCommand(_ component: InstallationComponent) -> String {
        component.installCommand(ownVenv: ownVenv)
    }

    /// The commands that install everything missing.
    public var installCommands: [String] {
        InstallationComponent.installCommands(for: missing.map(\.component), ownVenv: ownVenv)
    }

    /// The components that are missing, in probe order.
    public var missing: [InstallationStatus] { statuses.filter { !$0.isPresent } }

    public var allPresent: Bool { missing.isEmpty }

    /// 0 when every component is present, else 1.
    public var exitCode: Int32 { allPresent ? 0 : 1 }

    /// Names of the topologies that need `component`.
    public func ruledOut(by component: InstallationComponent) -> [String] {
        topologies.filter { $0.needs.contains(component) }.map(\.name)
    }

    /// Human output: a table, then a summary line with the commands that install what is missing.
    public var text: String {
        let rows = statuses.map { status -> DoctorTable.Row in
            let name = status.component.rawValue
            if status.isPresent {
                return DoctorTable.Row([name, "ok", status.version ?? "", status.path ?? ""])
            }
            var notes = ["install: " + installCommand(status.component)]
            let ruled = ruledOut(by: status.component)
            if !ruled.isEmpty { notes.append("rules out: " + ruled.joined(separator: ", ")) }
            return DoctorTable.Row([name, "MISSING", "-", status.problem ?? ""], notes: notes)
        }
        var out = DoctorTable(header: ["COMPONENT", "STATUS", "VERSION", "PATH"], rows: rows).render()
        out += "\nvenv: \(venv)\n"
        if allPresent {
            out += "All \(statuses.count) components present; no topology is ruled out.\n"
        } else {
            let ruled = Set(missing.flatMap { ruledOut(by: $0.component) })
            out += "\(missing.count) of \(statuses.count) components missing; "
            out += "that rules out \(ruled.count) of \(topologies.count) topologies.\n"
            let commands = installCommands
            out += "To install them:\n"
            for command in commands {
                out += "  " + command + (command.hasPrefix("apt-get") ? "    (as root)" : "") + "\n"
            }
            if let topology = ownVenvTopology {
                if missing.contains(where: { !$0.component.pinnedRequirements.isEmpty }) {
                    out +=
                        "or let stacktop pip-install the Python servers into \(venv): stacktop doctor \(topology) --fix\n"
                }
            } else if commands != [InstallationComponent.installerCommand] {
                out += "or everything at once: \(InstallationComponent.installerCommand)\n"
            }
        }
        return out
    }

    /// `--json` output: one object.
    public var json: JSONValue {
        func optional(_ s: String?) -> JSONValue { s.map(JSONValue.string) ?? .null }
        let components = statuses.map { status -> JSONValue in
            .object([
                ("name", .string(status.component.rawValue)),
                ("present", .bool(status.isPresent)),
                ("version", optional(status.version)),
                ("path", optional(status.path)),
                ("problem", optional(status.problem)),
                ("install", status.isPresent ? .null : .string(installCommand(status.component))),
                ("rules_out", .array(status.isPresent ? [] : ruledOut(by: status.component).map(JSONValue.string))),
            ])
        }
        return .object([
            ("all_present", .bool(allPresent)),
            ("venv", .string(venv)),
            ("components", .array(components)),
            ("install_commands", .array(installCommands.map(JSONValue.string))),
        ])
    }
}
