import XCTest
@testable import Runtime

/// A zombie's exit status read from /proc/PID/stat, only for the same dead process.
final class ExitStatusReaderTests: XCTestCase {
    func testZombieStatusIsParsedOnlyForTheSameDeadProcess() {
        // 52 fields; state Z, start time (field 22) 777, exit_code (field 52) 9 = killed by SIGKILL.
        func stat(_ state: String, start: Int, code: Int) -> [UInt8] {
            var fields = [state] + Array(repeating: "0", count: 49)
            fields[19] = String(start)
            fields[49] = String(code)
            return Array("42 (gunicorn: x) \(fields.joined(separator: " "))\n".utf8)
        }
        XCTAssertEqual(
            ExitStatusReader.parse(stat: stat("Z", start: 777, code: 9), startTime: 777).map {
                [$0.signal, $0.status]
            },
            [9, nil])
        XCTAssertEqual(
            ExitStatusReader.parse(stat: stat("Z", start: 777, code: 256), startTime: 777).map {
                [$0.signal, $0.status]
            },
            [nil, 1])
        XCTAssertNil(ExitStatusReader.parse(stat: stat("S", start: 777, code: 0), startTime: 777), "alive")
        XCTAssertNil(ExitStatusReader.parse(stat: stat("Z", start: 778, code: 9), startTime: 777), "another process")
    }
}
