// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "stacktop",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "stacktop", targets: ["stacktop"]),
        .executable(name: "stacktop-reaper", targets: ["stacktop-reaper"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.0"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
    ],
    targets: [
        // Pure: topology schema, YAML parsing with FILE:LINE:COL errors, validation.
        .target(name: "StackModel", dependencies: ["Yams"]),
        // Effects: reads topology and scenario files (StackModel parses their text).
        .target(name: "StackFiles", dependencies: ["StackModel"]),
        // Pure: one recipe per server kind (config text, argv, env, readiness, roles).
        .target(name: "StackRecipes", dependencies: ["StackModel"]),
        // Pure: stack events, worker slot state machine, recovery timeline.
        .target(name: "Supervision", dependencies: ["StackRecipes"]),
        // Effects: load generator (open loop on SwiftNIO, closed loop on epoll threads), latency
        // histograms, access-log parsing; its figures are Supervision's values (TrafficWindow,
        // AccessLogWindow), carried by the traffic event as they are.
        .target(
            name: "Traffic",
            dependencies: [
                "StackRecipes", "Supervision", "CLinux",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ]
        ),
        // Pure: dashboard state, messages, update, keymap, views rendered into a Grid of styled cells.
        .target(name: "Dashboard", dependencies: ["StackModel", "StackRecipes", "Supervision"]),
        // System library: ncursesw through a shim header (see Sources/CNcurses).
        .systemLibrary(name: "CNcurses", path: "Sources/CNcurses"),
        // Effects: draws a Grid with ncurses, decodes keys and mouse, handles resize. Runtime's
        // clock (Stopwatch) and signal catcher (SignalCatcher) are the ones it uses.
        .target(name: "Terminal", dependencies: ["Dashboard", "CNcurses", "Runtime"]),
        // C shim: fork/setsid/exec, pidfd_open, prctl; epoll and thread names for Traffic's closed loop.
        .target(name: "CLinux"),
        // Pure: finds a running deploy stacktop did not launch (sockets → processes → configs) through a SystemView.
        .target(name: "Discovery", dependencies: ["StackModel", "StackRecipes"]),
        // Effects: which servers and Python packages are installed (probes, `doctor`, `list`), the
        // app preflight (venv probes).
        .target(name: "Installation", dependencies: ["StackModel", "StackFiles", "StackRecipes", "Supervision"]),
        // Effects: processes, /proc, signals, run dirs, ports, launching, watching, containers.
        .target(
            name: "Runtime",
            dependencies: [
                "StackModel", "StackFiles", "StackRecipes", "Supervision", "Discovery", "Installation", "CLinux",
            ]
        ),
        // C, no Swift runtime: the reaper process (stacktop finds it next to its own executable;
        // `stacktop _reap` is the fallback). Linked statically: its whole RSS stays under 1 MB.
        .executableTarget(
            name: "stacktop-reaper",
            linkerSettings: [.unsafeFlags(["-static-executable"])]
        ),
        // Effects: one launched (or attached) stack as the dashboard, `up` and the drills drive it:
        // LiveStack, its traffic session, fault injection, deploy operations, container launches.
        .target(
            name: "Live",
            dependencies: [
                "StackModel", "StackFiles", "StackRecipes", "Supervision", "Discovery", "Runtime", "Traffic",
            ]
        ),
        // Effects: the drill runner (launch, load, inject, watch, report), scenario listing and
        // applicability, compare's table; no terminal, no argument parsing.
        .target(
            name: "Drills",
            dependencies: ["StackModel", "StackFiles", "StackRecipes", "Supervision", "Runtime", "Traffic", "Live"]
        ),
        .executableTarget(
            name: "stacktop",
            dependencies: [
                "StackModel", "StackFiles", "StackRecipes", "Supervision", "Discovery", "Installation", "Runtime",
                "Traffic", "Dashboard",
                "Terminal", "Live", "Drills",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Used only by test targets: the snapshot file comparison, loopback sockets, the seeded
        // random generator, the checkout's paths and the built executables, polling.
        .target(name: "TestSupport", dependencies: ["Supervision"], path: "Tests/TestSupport"),
        .testTarget(name: "StackModelTests", dependencies: ["StackModel", "StackFiles", "TestSupport"]),
        .testTarget(name: "StackRecipesTests", dependencies: ["StackRecipes", "TestSupport"], exclude: ["Snapshots"]),
        .testTarget(name: "SupervisionTests", dependencies: ["Supervision", "StackFiles", "TestSupport"]),
        .testTarget(name: "TrafficTests", dependencies: ["Traffic", "Supervision", "StackRecipes", "TestSupport"]),
        .testTarget(name: "DashboardTests", dependencies: ["Dashboard", "TestSupport"], exclude: ["Snapshots"]),
        // Without a tty: key decoding, the inbox, and a curses session on a pseudo-terminal.
        .testTarget(name: "TerminalTests", dependencies: ["Terminal", "Dashboard", "TestSupport"]),
        .testTarget(name: "RuntimeTests", dependencies: ["Runtime", "Installation", "TestSupport"]),
        // The drill room without a terminal: option checks, compare's table, run-dir files, and
        // one real drill through DrillLaunch (needs scripts/install-components first).
        .testTarget(
            name: "DrillsTests",
            dependencies: ["Drills", "Live", "Runtime", "StackModel", "StackRecipes", "Supervision", "TestSupport"]
        ),
        .testTarget(name: "DiscoveryTests", dependencies: ["Discovery", "StackModel", "StackRecipes", "TestSupport"]),
        // Starts real servers on 127.0.0.1; needs scripts/install-components first.
        .testTarget(
            name: "IntegrationTests",
            dependencies: [
                "Runtime", "Installation", "Supervision", "StackRecipes", "StackModel", "Discovery", "TestSupport",
            ]
        ),
    ]
)
