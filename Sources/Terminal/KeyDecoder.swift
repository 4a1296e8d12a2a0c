import CNcurses
import Dashboard

/// Turns what `wget_wch` returned into dashboard messages.
enum KeyDecoder {
    /// A character read with status `OK`.
    static func character(_ wch: UInt32) -> Message? {
        switch wch {
        case 9: return .key(.tab)
        case 10, 13: return .key(.enter)
        case 27: return .key(.escape)
        case 8, 127: return .key(.backspace)
        default:
            guard wch >= 32, let scalar = Unicode.Scalar(wch) else { return nil }
            return .key(.char(Character(scalar)))
        }
    }

    /// A function key read with status `KEY_CODE_YES` (resize and mouse are handled by the caller).
    static func functionKey(_ code: Int32) -> Message? {
        switch code {
        case KEY_UP: return .key(.up)
        case KEY_DOWN: return .key(.down)
        case KEY_LEFT: return .key(.left)
        case KEY_RIGHT: return .key(.right)
        case KEY_PPAGE: return .key(.pageUp)
        case KEY_NPAGE: return .key(.pageDown)
        case KEY_HOME: return .key(.home)
        case KEY_END: return .key(.end)
        case KEY_BTAB: return .key(.backTab)
        case KEY_ENTER: return .key(.enter)
        case KEY_BACKSPACE: return .key(.backspace)
        case (KEY_F0 + 1)...(KEY_F0 + 12): return .key(.function(Int(code - KEY_F0)))
        default: return nil
        }
    }
}
