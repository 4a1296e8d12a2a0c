import Foundation
import TestSupport
import XCTest
@testable import StackModel

/// Loads thousands of randomly broken variants of every shipped topology: the loader must never
/// crash or hang, and must answer each with a topology or with well-placed diagnostics.
///
/// Environment: STACKTOP_FUZZ_ITERATIONS (default 10000), STACKTOP_FUZZ_SEED (decimal or 0x-hex;
/// default a fixed seed, so CI runs the same cases), STACKTOP_FUZZ_CASE (replay one case of the
/// seed and print it), STACKTOP_FUZZ_BUDGET_SECONDS (the whole run's time limit).
final class TopologyFuzzTests: XCTestCase {
    static let defaultSeed: UInt64 = 0x57AC_70B0_F022_2024
    static let defaultIterations = 10_000
    /// One load may take this much CPU time before the case fails as too slow (CPU, not wall
    /// time, so that a busy machine does not fail the test; the slowest case seen takes ~0.4 s)...
    static let slowCaseSeconds = 3.0
    /// ...and this long before the watchdog calls it hung, prints it and aborts the run.
    static let hangSeconds = 60.0

    /// A seed topology file: its path and text.
    struct SeedFile {
        let path: String
        let text: String
    }

    static func seedFiles() throws -> [SeedFile] {
        let directory = SeedTopologyTests.root + "/topologies"
        return try FileManager.default.contentsOfDirectory(atPath: directory)
            .filter { $0.hasSuffix(".yaml") }.sorted()
            .map { name in
                let path = directory + "/" + name
                return SeedFile(path: path, text: try String(contentsOfFile: path, encoding: .utf8))
            }
    }

    static func parseSeed(_ text: String) -> UInt64? {
        text.lowercased().hasPrefix("0x")
            ? UInt64(text.dropFirst(2).replacingOccurrences(of: "_", with: ""), radix: 16)
            : UInt64(text)
    }

    func testMutatedTopologiesLoadOrFailCleanly() throws {
        let environment = ProcessInfo.processInfo.environment
        let seed =
            try environment["STACKTOP_FUZZ_SEED"].map { try XCTUnwrap(Self.parseSeed($0), "bad STACKTOP_FUZZ_SEED") }
            ?? Self.defaultSeed
        let iterations = environment["STACKTOP_FUZZ_ITERATIONS"].flatMap { Int($0) } ?? Self.defaultIterations
        let replay = environment["STACKTOP_FUZZ_CASE"].flatMap { Int($0) }
        let cases = replay.map { $0...$0 } ?? 0...(iterations - 1)
        // Debug builds on a busy 2-core machine run ~1000 cases/s; the budget leaves 6x headroom.
        let budget =
            environment["STACKTOP_FUZZ_BUDGET_SECONDS"].flatMap { Double($0) }
            ?? max(30, Double(cases.count) / 1_000 * 6)
        let files = try Self.seedFiles()
        XCTAssertGreaterThanOrEqual(files.count, 11, "the seed topologies")

        let journal = TopologyFuzzJournal(hangSeconds: Self.hangSeconds)
        defer { journal.close() }
        var loaded = 0, rejected = 0, failed = 0
        var slowest: (seconds: Double, index: Int) = (0, 0)
        let runStart = DispatchTime.now().uptimeNanoseconds
        for index in cases {
            var random = SeededGenerator.forCase(index, ofRun: seed)
            let file = files[random.below(files.count)]
            var mutator = TopologyFuzzMutator(random: random)
            let (text, applied) = mutator.mutate(file.text)
            let header =
                "seed 0x\(String(seed, radix: 16)), case \(index): \(URL(fileURLWithPath: file.path).lastPathComponent)"
                + " with " + applied.map(\.rawValue).joined(separator: ", ")
            journal.begin(
                header
                    + "\nreplay: STACKTOP_FUZZ_SEED=0x\(String(seed, radix: 16)) STACKTOP_FUZZ_CASE=\(index) swift test --filter TopologyFuzzTests\n--- input (raw) ---\n"
                    + text)
            let start = Self.threadCPUTime()
            let outcome: Result<Topology, TopologyErrors>
            do {
                outcome = .success(
                    try TopologyLoader.load(text: text, path: file.path, demoAppDirectory: SeedTopologyTests.demo))
            } catch {
                outcome = .failure(error)
            }
            let seconds = Self.threadCPUTime() - start
            journal.end()
            if seconds > slowest.seconds { slowest = (seconds, index) }
            if case .success = outcome { loaded += 1 } else { rejected += 1 }
            var problems = TopologyFuzzOracle.problems(outcome, text: text, path: file.path)
            if seconds > Self.slowCaseSeconds {
                problems.append("one load took \(seconds) s of CPU (limit \(Self.slowCaseSeconds) s)")
            }
            if replay != nil { print(Self.report(header, text, outcome, problems)) }
            guard !problems.isEmpty else { continue }
            failed += 1
            if failed <= 5 { print(Self.report(header, text, outcome, problems)) }
            XCTFail(
                "\(header): \(problems.joined(separator: "; ")) (replay: STACKTOP_FUZZ_SEED=0x\(String(seed, radix: 16)) STACKTOP_FUZZ_CASE=\(index))"
            )
        }
        let total = Double(DispatchTime.now().uptimeNanoseconds - runStart) / 1e9
        print(
            String(
                format:
                    "topology fuzz: %d cases (seed 0x%@) in %.2f s = %.0f cases/s; %d loaded, %d rejected, %d failed; slowest case %d took %.1f ms of CPU",
                cases.count, String(seed, radix: 16), total, Double(cases.count) / total, loaded, rejected, failed,
                slowest.index, slowest.seconds * 1000))
        XCTAssertLessThan(total, budget, "the whole run's budget (STACKTOP_FUZZ_BUDGET_SECONDS)")
        if replay == nil {
            // The mutations must leave some files loadable and break most: else they test too little.
            XCTAssertGreaterThan(loaded, cases.count / 50, "too few mutated files still load")
            XCTAssertGreaterThan(rejected, cases.count / 2, "too few mutated files are rejected")
        }
    }

    /// CPU time of the calling thread, in seconds.
    static func threadCPUTime() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    /// A failing case for the log: what was done, the input as a Swift literal, what went wrong.
    static func report(
        _ header: String, _ text: String, _ outcome: Result<Topology, TopologyErrors>, _ problems: [String]
    ) -> String {
        let result: String
        switch outcome {
        case .success(let topology): result = "loaded: \(topology.components.map { "\($0.name) (\($0.kind))" })"
        case .failure(let errors): result = "rejected:\n" + errors.description
        }
        return "topology fuzz: \(header)\n--- input ---\n\(literal(text))\n--- \(result)\n--- problems ---\n"
            + (problems.isEmpty ? "none" : problems.joined(separator: "\n"))
    }

    /// `text` as a Swift string literal with escapes, one source line per input line ("\n").
    static func literal(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": result += "\\n\" +\n\""
            case "\\": result += "\\\\"
            case "\"": result += "\\\""
            case "\t": result += "\\t"
            case "\r": result += "\\r"
            case _
            where scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
                || [0x2028, 0x2029, 0xFEFF, 0x202E].contains(scalar.value)
                || scalar.properties.generalCategory == .nonspacingMark:
                result += "\\u{\(String(scalar.value, radix: 16))}"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}
