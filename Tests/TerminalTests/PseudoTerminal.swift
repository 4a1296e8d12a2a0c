import Glibc

/// A pseudo-terminal pair for tests: the program side (`terminal`, what curses opens) and the
/// far side (`controller`, where the test reads what was drawn and types keys). Closing the
/// controller is a terminal going away; it is not this process's controlling terminal, so no
/// SIGHUP is sent. Unchecked Sendable: a test hands it to one other thread at a time.
final class PseudoTerminal: @unchecked Sendable {
    private(set) var controller: Int32
    let terminal: Int32

    /// Opens a pair sized `width`×`height`; nil when the system has no pseudo-terminals.
    init?(width: Int, height: Int) {
        guard let calls = PtyCalls() else { return nil }
        let controller = calls.openpt(O_RDWR | O_NOCTTY)
        guard controller >= 0, calls.grantpt(controller) == 0, calls.unlockpt(controller) == 0,
            let name = calls.ptsname(controller)
        else {
            if controller >= 0 { Glibc.close(controller) }
            return nil
        }
        let terminal = open(name, O_RDWR | O_NOCTTY)
        guard terminal >= 0 else { Glibc.close(controller); return nil }
        var size = winsize(ws_row: UInt16(height), ws_col: UInt16(width), ws_xpixel: 0, ws_ypixel: 0)
        _ = ioctl(terminal, UInt(TIOCSWINSZ), &size)
        self.controller = controller
        self.terminal = terminal
    }

    /// Types `text` as if on the keyboard.
    func type(_ text: String) {
        _ = text.withCString { write(controller, $0, strlen($0)) }
    }

    /// Everything the program has written so far (waits up to `ms` for the first bytes).
    func drain(waitingMs ms: Int32 = 200) -> String {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        var entry = pollfd(fd: controller, events: Int16(POLLIN), revents: 0)
        var wait = ms
        while poll(&entry, 1, wait) > 0, entry.revents & Int16(POLLIN) != 0 {
            let n = read(controller, &buffer, buffer.count)
            guard n > 0 else { break }
            bytes += buffer[0..<n]
            wait = 20
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Closes the far side: the terminal is gone.
    func hangUp() {
        guard controller >= 0 else { return }
        Glibc.close(controller)
        controller = -1
    }

    deinit {
        hangUp()
        Glibc.close(terminal)
    }
}

/// glibc's pseudo-terminal calls, looked up at run time: Swift's Glibc module leaves them out
/// (they need _XOPEN_SOURCE).
private struct PtyCalls {
    typealias FdCall = @convention(c) (Int32) -> Int32
    typealias NameCall = @convention(c) (Int32) -> UnsafeMutablePointer<CChar>?
    let openpt: FdCall
    let grantpt: FdCall
    let unlockpt: FdCall
    private let name: NameCall

    init?() {
        guard let libc = dlopen(nil, RTLD_NOW),
            let openpt = dlsym(libc, "posix_openpt"), let grantpt = dlsym(libc, "grantpt"),
            let unlockpt = dlsym(libc, "unlockpt"), let name = dlsym(libc, "ptsname")
        else { return nil }
        self.openpt = unsafeBitCast(openpt, to: FdCall.self)
        self.grantpt = unsafeBitCast(grantpt, to: FdCall.self)
        self.unlockpt = unsafeBitCast(unlockpt, to: FdCall.self)
        self.name = unsafeBitCast(name, to: NameCall.self)
    }

    func ptsname(_ fd: Int32) -> String? { name(fd).map { String(cString: $0) } }
}
