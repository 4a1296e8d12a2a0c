import XCTest
@testable import Traffic

/// LatencyHistogram: empty without storage, then the same percentiles as an HdrHistogram of the
/// same range and precision (3 significant digits), values clamped to 1 µs .. 1 hour.
final class LatencyHistogramTests: XCTestCase {
    func testEmptyHasNoFiguresAndReportsPercentilesOnceFilled() {
        var h = LatencyHistogram()
        XCTAssertEqual(h.totalCount, 0)
        XCTAssertFalse(h.hasStorage)
        XCTAssertNil(h.ms(atPercentile: 50))
        XCTAssertNil(h.maxMs)
        h.reset()  // nothing to reset, nothing made
        XCTAssertEqual(h.totalCount, 0)
        for micros in 1...1000 { h.record(micros: UInt64(micros) * 100) }  // 0.1 ms .. 100 ms
        XCTAssertEqual(h.totalCount, 1000)
        XCTAssertEqual(h.ms(atPercentile: 50)!, 50, accuracy: 0.05)
        XCTAssertEqual(h.ms(atPercentile: 99)!, 99, accuracy: 0.1)
        XCTAssertEqual(h.maxMs!, 100, accuracy: 0.1)
        h.reset()
        XCTAssertEqual(h.totalCount, 0)
        XCTAssertTrue(h.hasStorage, "reset keeps the storage")
        XCTAssertNil(h.ms(atPercentile: 99), "reset empties it")
        h.record(micros: 7_000)
        XCTAssertEqual(h.ms(atPercentile: 50)!, 7, accuracy: 0.01, "a reset histogram records again")
    }

    func testValuesAreClampedToItsRange() {
        var h = LatencyHistogram()
        h.record(micros: 0)
        XCTAssertEqual(h.ms(atPercentile: 50)!, 0.001, accuracy: 0.0001)
        h.record(micros: 10 * 3_600_000_000)
        XCTAssertEqual(h.maxMs!, 3_600_000, accuracy: 3_600, "an hour at most")
    }

    func testAFullHistogramStopsCountingInsteadOfWrapping() {
        var h = LatencyHistogram()
        h.record(micros: 5_000, count: UInt32.max - 1)
        XCTAssertFalse(h.isFull)
        h.record(micros: 5_000)
        XCTAssertTrue(h.isFull)
        h.record(micros: 9_000_000)
        XCTAssertEqual(h.totalCount, UInt64(UInt32.max), "the counter did not wrap to 0")
        XCTAssertEqual(h.maxMs!, 5, accuracy: 0.01, "values after it was full are not counted")
        XCTAssertEqual(h.ms(atPercentile: 99)!, 5, accuracy: 0.01)
    }

    func testAccessLogTallyMakesOnlyTheHistogramsItFills() {
        var tally = AccessLogTally()
        XCTAssertFalse(tally.total.hasStorage || tally.upstream.hasStorage, "an idle log's tally holds no histogram")
        tally.add(AccessLogFields(status: 200, totalMicros: 2_000), probe: false)
        XCTAssertEqual(tally.total.totalCount, 1)
        XCTAssertTrue(tally.total.hasStorage)
        XCTAssertFalse(tally.upstream.hasStorage, "an app server's line has no upstream time")
        let w = tally.window(from: 0, to: 1_000_000_000)
        XCTAssertEqual(w.p50Ms!, 2, accuracy: 0.01)
        XCTAssertNil(w.upstreamP50Ms)
    }
}
