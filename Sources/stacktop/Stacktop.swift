import ArgumentParser

/// The `stacktop` command: a live dashboard for local web stacks, and its headless subcommands.
@main
struct Stacktop: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stacktop",
        abstract: "Launch a local web stack, watch its processes and requests, break it, and measure recovery.",
        discussion: """
            A stack is described by a topology file (see topologies/). TOPOLOGY is the name of a file \
            in topologies/ (without .yaml) or a path to one. `stacktop TOPOLOGY` opens the dashboard \
            on it; `stacktop` alone offers a picker.
            """,
        subcommands: [
            DashboardCommand.self, Check.self, Doctor.self, List.self, UpCommand.self, ConfigCommand.self,
            ExportCommand.self,
            DrillCommand.self, CompareCommand.self, AttachCommand.self, ReapCommand.self,
        ],
        defaultSubcommand: DashboardCommand.self
    )
}
