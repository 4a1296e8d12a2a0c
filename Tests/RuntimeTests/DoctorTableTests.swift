@testable import Installation
import XCTest
@testable import Runtime

/// The table layout both commands share.
final class DoctorTableTests: XCTestCase {
    func testColumnsAlignAndLongNotesWrapAtWordsWithinTheWidth() {
        var table = DoctorTable(
            header: ["A", "BB", "C"],
            rows: [
                DoctorTable.Row(
                    ["long-name", "x", "last column is not padded"],
                    notes: ["one two three four five six seven eight nine ten eleven twelve"]),
                DoctorTable.Row(["b", "", ""]),
            ])
        table.width = 30
        XCTAssertEqual(
            table.render(),
            """
            A          BB  C
            long-name  x   last column is not padded
                one two three four five
                six seven eight nine ten
                eleven twelve
            b

            """)
    }

    func testWrapKeepsAWordLongerThanTheWidthWhole() {
        XCTAssertEqual(
            DoctorTable.wrap("a /very/long/path/that/does/not/fit b", width: 10),
            ["a", "/very/long/path/that/does/not/fit", "b"])
    }
}
