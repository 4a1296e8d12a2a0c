import Foundation
#if canImport(Glibc)
    import Glibc
#endif

/// Keeps the fuzz case being loaded where a crash or a hang can still print it.
///
/// Before each load the case (seed, index, mutations, input) is written to an unlinked temporary
/// file held open at a fixed descriptor number. A crash signal (a Swift trap is SIGILL or SIGTRAP)
/// runs a handler that copies that file to stderr and re-raises the signal; a watchdog thread
/// does the same and aborts when one load runs past `hangSeconds`. Only constants are shared
/// with the signal handler, so there is no global mutable state.
final class TopologyFuzzJournal: @unchecked Sendable {
    /// The descriptor the journal file is moved to; the signal handler knows only this number.
    static let descriptor: Int32 = 919
    static let signals: [Int32] = [SIGILL, SIGTRAP, SIGSEGV, SIGBUS, SIGFPE, SIGABRT]

    private let hangNanoseconds: UInt64
    private let lock = NSLock()
    private var caseStarted: UInt64?
    private var stopped = false

    /// Opens the journal, installs the crash handlers and starts the watchdog.
    init(hangSeconds: Double) {
        hangNanoseconds = UInt64(hangSeconds * 1e9)
        let path = NSTemporaryDirectory() + "/stacktop-fuzz-journal-\(getpid())"
        let fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0o600)
        unlink(path)
        if fd >= 0, fd != Self.descriptor {
            dup2(fd, Self.descriptor)
            Glibc.close(fd)
        }
        for signal in Self.signals {
            _ = Glibc.signal(signal) { number in
                TopologyFuzzJournal.dump(reason: "crashed")
                _ = Glibc.signal(number, SIG_DFL)
                raise(number)
            }
        }
        let watchdog = Thread { [self] in watch() }
        watchdog.name = "topology fuzz watchdog"
        watchdog.start()
    }

    /// Records the case about to be loaded.
    func begin(_ report: String) {
        var bytes = Array(report.utf8)
        bytes.append(UInt8(ascii: "\n"))
        ftruncate(Self.descriptor, 0)
        _ = bytes.withUnsafeBytes { pwrite(Self.descriptor, $0.baseAddress, $0.count, 0) }
        lock.withLock { caseStarted = DispatchTime.now().uptimeNanoseconds }
    }

    /// Marks the current case as finished.
    func end() {
        lock.withLock { caseStarted = nil }
    }

    /// Stops the watchdog, restores the default crash handling and closes the journal.
    func close() {
        lock.withLock { stopped = true }
        for signal in Self.signals { _ = Glibc.signal(signal, SIG_DFL) }
        Glibc.close(Self.descriptor)
    }

    private func watch() {
        while true {
            Thread.sleep(forTimeInterval: 0.25)
            let (isStopped, started) = lock.withLock { (stopped, caseStarted) }
            if isStopped { return }
            guard let started, DispatchTime.now().uptimeNanoseconds - started > hangNanoseconds else { continue }
            Self.dump(reason: "hung: one load ran past the hang limit")
            _ = Glibc.signal(SIGABRT, SIG_DFL)
            abort()
        }
    }

    /// Copies the journal to stderr with async-signal-safe calls only (no allocation: a static
    /// string and a buffer on the stack).
    static func dump(reason: StaticString) {
        write(2, "\ntopology fuzz: ", 16)
        _ = reason.withUTF8Buffer { write(2, $0.baseAddress, $0.count) }
        write(2, "; the case being loaded:\n", 25)
        var chunk = (UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0))
        var offset: off_t = 0
        withUnsafeMutableBytes(of: &chunk) { raw in
            while true {
                let count = pread(descriptor, raw.baseAddress, raw.count, offset)
                if count <= 0 { break }
                write(2, raw.baseAddress, count)
                offset += off_t(count)
            }
        }
    }
}
