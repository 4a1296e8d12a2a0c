#if canImport(Glibc)
    import Glibc
#endif
import CLinux

/// Plain POSIX threads for loops that block in the kernel (the closed loop's `epoll_wait`), kept
/// off Swift's cooperative pool: every thread started is joined before the caller resumes.
enum PlainThreads {
    /// Runs each of `bodies` on its own new thread named `name` (at most 15 bytes: what `perf`
    /// and `top -H` show) and returns when all have ended. The first thread starts the others,
    /// joins them, then resumes the caller; a body whose thread cannot be started runs on the
    /// thread that tried.
    static func run(name: String, _ bodies: [@Sendable () -> Void]) async {
        guard !bodies.isEmpty else { return }
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            let first: @Sendable () -> Void = {
                var joinable: [pthread_t] = []
                for body in bodies.dropFirst() {
                    if let thread = start(name: name, detached: false, body) { joinable.append(thread) } else { body() }
                }
                bodies[0]()
                for thread in joinable { pthread_join(thread, nil) }
                done.resume()
            }
            if start(name: name, detached: true, first) == nil { first() }
        }
    }

    private final class Start: Sendable {
        let body: @Sendable () -> Void
        init(_ body: @escaping @Sendable () -> Void) { self.body = body }
    }

    /// A new thread running `body`, or nil when none could be started.
    private static func start(name: String, detached: Bool, _ body: @escaping @Sendable () -> Void) -> pthread_t? {
        let start = Unmanaged.passRetained(
            Start {
                _ = stacktop_name_thread(name)
                body()
            }
        ).toOpaque()
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        if detached { pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED)) }
        var thread = pthread_t()
        let rc = pthread_create(
            &thread, &attributes,
            { raw in
                guard let raw else { return nil }
                Unmanaged<Start>.fromOpaque(raw).takeRetainedValue().body()
                return nil
            }, start)
        guard rc == 0 else {
            Unmanaged<Start>.fromOpaque(start).release()
            return nil
        }
        return thread
    }
}
