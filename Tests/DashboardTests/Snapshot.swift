import Dashboard
import Foundation
import TestSupport
import XCTest

/// The readable text snapshot of a rendered grid, compared with Snapshots/NAME.txt.
///
/// The file holds the characters (each row ends in "|" so trailing spaces survive editors), then
/// a style layer: one symbol per cell ("." plain) and a legend naming each symbol's style.
/// Set STACKTOP_RECORD_SNAPSHOTS=1 to (re)write the files; a missing file is written and fails.
enum Snapshot {
    static let directory = SnapshotFile.directory(beside: #filePath)

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

    /// Asserts that `grid` matches Snapshots/NAME.txt (the comparison is `SnapshotFile`'s).
    static func assert(_ grid: Grid, named name: String, file: StaticString = #filePath, line: UInt = #line) {
        SnapshotFile.assertMatches(text(of: grid), name + ".txt", in: directory, file: file, line: line)
    }
}
