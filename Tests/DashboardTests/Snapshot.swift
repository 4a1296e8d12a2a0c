import Dashboard
import Foundation
import XCTest

/// Compares a rendered grid with a readable text snapshot in Snapshots/NAME.txt.
///
/// The file holds the characters (each row ends in "|" so trailing spaces survive editors), then
/// a style layer: one symbol per cell ("." plain) and a legend naming each symbol's style.
/// Set STACKTOP_RECORD_SNAPSHOTS=1 to (re)write the files; a missing file is written and fails.
enum Snapshot {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Snapshots")

    /// The snapshot text of a grid.
    static func text(of grid: Grid) -> String {
        var out = "\(grid.width)x\(grid.height)\n"
        for line in grid.lines { out += line + "|\n" }
        out += "--- styles\n"
        let symbols = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        var legend: [CellStyle: Character] = [.plain: "."]
        var order: [CellStyle] = []
        for row in 0..<grid.height {
            var line = ""
            var previous: Character = "."
            for col in 0..<grid.width {
                let cell = grid[row, col]
                if cell.isContinuation { line.append(previous); continue }
                if legend[cell.style] == nil {
                    legend[cell.style] = order.count < symbols.count ? symbols[order.count] : "?"
                    order.append(cell.style)
                }
                previous = legend[cell.style] ?? "?"
                line.append(previous)
            }
            out += line + "\n"
        }
        for style in order { out += "\(legend[style] ?? "?") = \(style.label)\n" }
        return out
    }

    static func assert(_ grid: Grid, named name: String, file: StaticString = #filePath, line: UInt = #line) {
        let url = directory.appendingPathComponent(name + ".txt")
        let actual = text(of: grid)
        let record = ProcessInfo.processInfo.environment["STACKTOP_RECORD_SNAPSHOTS"] == "1"
        guard !record, let expected = try? String(contentsOf: url, encoding: .utf8) else {
            try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try? actual.write(to: url, atomically: true, encoding: .utf8)
            if !record { XCTFail("recorded missing snapshot \(name).txt; check it and run again", file: file, line: line) }
            return
        }
        if expected != actual {
            let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
            let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
            let first = zip(a, e).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(a.count, e.count)
            XCTFail("""
                snapshot \(name) differs at line \(first + 1):
                expected: \(first < e.count ? String(e[first]) : "<end>")
                actual:   \(first < a.count ? String(a[first]) : "<end>")
                (STACKTOP_RECORD_SNAPSHOTS=1 re-records)
                """, file: file, line: line)
        }
    }
}
