import Foundation
import Synchronization
import XCTest
import StackModel
import Traffic
#if canImport(Glibc)
    import Glibc
#endif
import TestSupport

/// `FlowMonitor.setSampleObserver`: every request's sample reaches the observer once, none after
/// it is removed; and the samples' clock is the one the stack's Stopwatch reads.
final class FlowMonitorSampleTapTests: XCTestCase {
    /// A loopback port nothing listens on (bound, then closed), so every request is refused.
    private func closedPort() throws -> Int {
        try XCTUnwrap(Loopback.closedPort(), "cannot bind a loopback port")
    }

    func testEverySampleReachesTheObserverOnceAndNoneAfterItIsRemoved() throws {
        let port = try closedPort()
        let seen = Mutex<[LoadSample]>([])
        let monitor = FlowMonitor(
            url: "http://127.0.0.1:\(port)", mix: [WeightedPath(path: "/", weight: 1)],
            logs: [], tickMs: 50
        ) { _ in }
        monitor.setSampleObserver { sample in seen.withLock { $0.append(sample) } }
        monitor.start()
        try monitor.startLoad(rate: 200, requests: 20)
        let clock = ContinuousClock.now
        while monitor.load.done < 20, ContinuousClock.now - clock < .seconds(5) { usleep(10_000) }
        XCTAssertEqual(monitor.load.done, 20)
        let tapped = seen.withLock { $0 }
        XCTAssertEqual(tapped.count, 20, "one call per recorded sample")
        XCTAssertEqual(tapped.filter { $0.errorKind == .refused }.count, 20, "nothing listens: every request refused")

        monitor.setSampleObserver(nil)
        try monitor.startLoad(rate: 200, requests: 10)
        while monitor.load.done < 30, ContinuousClock.now - clock < .seconds(5) { usleep(10_000) }
        let totals = monitor.finish()
        XCTAssertEqual(totals.generator.samples, 30)
        XCTAssertEqual(seen.withLock { $0.count }, 20, "no samples after the observer was removed")
    }

    /// Drills place samples on the stack's clock (Runtime.Stopwatch, CLOCK_MONOTONIC) by
    /// subtracting the launch's start: that is only right if the generator's clock is the same.
    func testSampleClockIsClockMonotonic() {
        for _ in 0..<5 {
            var ts = timespec()
            clock_gettime(CLOCK_MONOTONIC, &ts)
            let before = UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
            let generator = LoadGenerator.nowNanos
            clock_gettime(CLOCK_MONOTONIC, &ts)
            let after = UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
            XCTAssertLessThanOrEqual(before, generator)
            XCTAssertLessThanOrEqual(generator, after, "the generator's clock runs with CLOCK_MONOTONIC")
        }
    }
}
