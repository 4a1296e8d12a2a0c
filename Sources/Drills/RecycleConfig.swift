import Foundation
import Live
import StackRecipes

/// The recycle drill's file work in the run dir: turning recycling on in the app server's
/// config (see `RecycleSetup`) and counting the recycles the server's own log says.
public struct RecycleConfig: Sendable {
    public let setup: RecycleSetup
    public let runDir: String

    public init(setup: RecycleSetup, runDir: String) {
        self.setup = setup
        self.runDir = runDir
    }

    public var configPath: String { runDir + "/" + setup.configFile }
    public var logPath: String { runDir + "/" + setup.logFile }

    /// Rewrites the config with recycling on (the old text kept beside it, `.before-recycle`).
    public func turnOn() throws(CLIError) {
        let text: String
        do { text = try String(contentsOfFile: configPath, encoding: .utf8) } catch {
            throw CLIError("cannot read \(configPath): \(error.localizedDescription)")
        }
        guard let edited = setup.edit(text) else {
            throw CLIError("\(configPath) is not the config stacktop wrote: cannot turn on recycling (\(setup.how))")
        }
        do {
            try text.write(toFile: configPath + ".before-recycle", atomically: true, encoding: .utf8)
            try edited.write(toFile: configPath, atomically: true, encoding: .utf8)
        } catch {
            throw CLIError("cannot write \(configPath): \(error.localizedDescription)")
        }
    }

    /// Puts the config back as it was before `turnOn` (the running server keeps recycling until
    /// its next reload); quiet when there is nothing to put back.
    public func restore() {
        let saved = configPath + ".before-recycle"
        guard FileManager.default.fileExists(atPath: saved) else { return }
        _ = rename(saved, configPath)
    }

    /// Lines of the server's log that say a worker was recycled, so far; nil when unreadable.
    public func loggedRecycles() -> Int? {
        guard let data = FileManager.default.contents(atPath: logPath) else { return nil }
        let marker = Array(setup.marker.utf8)
        var count = 0
        var pids = Set<String>()
        for line in [UInt8](data).split(separator: UInt8(ascii: "\n")) where Self.contains(line, marker) {
            count += 1
            if setup.distinctPids, let pid = Self.pidField(String(decoding: line, as: UTF8.self)) { pids.insert(pid) }
        }
        return setup.distinctPids ? pids.count : count
    }

    /// The N of the first `pid=N` in `line` (mod_wsgi: `mod_wsgi (pid=4242): …`).
    public static func pidField(_ line: String) -> String? {
        guard let r = line.range(of: "(pid=") else { return nil }
        let digits = line[r.upperBound...].prefix { $0.isNumber }
        return digits.isEmpty ? nil : String(digits)
    }

    private static func contains(_ line: ArraySlice<UInt8>, _ needle: [UInt8]) -> Bool {
        guard line.count >= needle.count, let first = needle.first else { return false }
        var i = line.startIndex
        while i <= line.endIndex - needle.count {
            if line[i] == first && line[i..<(i + needle.count)].elementsEqual(needle) { return true }
            i += 1
        }
        return false
    }
}
