@preconcurrency import CNcurses
import Dashboard
import XCTest
@testable import Terminal

/// What `wget_wch` returns becomes the dashboard's keys: characters, control keys, function keys.
final class KeyDecoderTests: XCTestCase {
    func testCharactersAndControlKeys() {
        let cases: [(UInt32, Message?)] = [
            (9, .key(.tab)), (10, .key(.enter)), (13, .key(.enter)), (27, .key(.escape)),
            (8, .key(.backspace)), (127, .key(.backspace)),
            (UInt32(("q" as Unicode.Scalar).value), .key(.char("q"))),
            (UInt32(("+" as Unicode.Scalar).value), .key(.char("+"))),
            (0x00E9, .key(.char("é"))), (0x4E2D, .key(.char("中"))),
            (0, nil), (1, nil), (31, nil), (0xD800, nil),
        ]
        for (wch, expected) in cases {
            XCTAssertEqual(KeyDecoder.character(wch), expected, "wch \(wch)")
        }
    }

    func testFunctionKeys() {
        let cases: [(Int32, Message?)] = [
            (KEY_UP, .key(.up)), (KEY_DOWN, .key(.down)), (KEY_LEFT, .key(.left)), (KEY_RIGHT, .key(.right)),
            (KEY_PPAGE, .key(.pageUp)), (KEY_NPAGE, .key(.pageDown)), (KEY_HOME, .key(.home)), (KEY_END, .key(.end)),
            (KEY_BTAB, .key(.backTab)), (KEY_ENTER, .key(.enter)), (KEY_BACKSPACE, .key(.backspace)),
            (KEY_F0 + 1, .key(.function(1))), (KEY_F0 + 12, .key(.function(12))),
            (KEY_F0 + 13, nil), (KEY_IC, nil),
        ]
        for (code, expected) in cases {
            XCTAssertEqual(KeyDecoder.functionKey(code), expected, "code \(code)")
        }
    }
}
