import XCTest
import Traffic

/// Real lines written by nginx 1.22, Apache 2.4, lighttpd 1.4.69, gunicorn 27 and uWSGI 2.0.21 in
/// stacktop's formats (benchmarks/capture-log-lines.sh), and the fields each must yield.
final class AccessLogParserTests: XCTestCase {
    struct Case {
        let name: String
        let line: String
        let want: AccessLogFields
        let failedWithoutApp: Bool
    }

    static let cases: [Case] = [
        Case(
            name: "nginx proxied 200",
            line:
                #"msec=1795656462.615 status=200 request_time=0.007 nginx_pid=12015 upstream_time="0.008" upstream_status="200" upstream_addr="unix:/tmp/stacktop-capture-mage0F/gunicorn.sock" worker_pid="12056" request="GET / HTTP/1.1""#,
            want: .init(
                status: 200, totalMicros: 7000, upstreamMicros: 8000, upstreamStatus: 200, upstreamAttempts: 1,
                pid: 12056, serverPid: 12015, timeMillis: 1_795_656_462_615),
            failedWithoutApp: false),
        Case(
            name: "nginx app's own 500",
            line:
                #"msec=1795656462.642 status=500 request_time=0.006 nginx_pid=12016 upstream_time="0.007" upstream_status="500" upstream_addr="unix:/tmp/stacktop-capture-mage0F/gunicorn.sock" worker_pid="12058" request="GET /error HTTP/1.1""#,
            want: .init(
                status: 500, totalMicros: 6000, upstreamMicros: 7000, upstreamStatus: 500, upstreamAttempts: 1,
                pid: 12058, serverPid: 12016, timeMillis: 1_795_656_462_642),
            failedWithoutApp: false),
        Case(
            name: "nginx static file, no upstream",
            line:
                #"msec=1795656462.755 status=200 request_time=0.000 nginx_pid=12015 upstream_time="-" upstream_status="-" upstream_addr="-" worker_pid="-" request="GET /index.html HTTP/1.1""#,
            want: .init(
                status: 200, totalMicros: 0, upstreamMicros: nil, upstreamStatus: nil, upstreamAttempts: 0,
                pid: nil, serverPid: 12015, timeMillis: 1_795_656_462_755),
            failedWithoutApp: false),
        Case(
            name: "nginx 502, upstream refused",
            line:
                #"msec=1795656462.777 status=502 request_time=0.000 nginx_pid=12015 upstream_time="0.000" upstream_status="502" upstream_addr="unix:/tmp/stacktop-capture-mage0F/nothing.sock" worker_pid="-" request="GET /dead HTTP/1.1""#,
            want: .init(
                status: 502, totalMicros: 0, upstreamMicros: 0, upstreamStatus: 502, upstreamAttempts: 1,
                pid: nil, serverPid: 12015, timeMillis: 1_795_656_462_777),
            failedWithoutApp: true),
        Case(
            name: "nginx pool: first refused, second answered",
            line:
                #"msec=1795656462.808 status=200 request_time=0.004 nginx_pid=12015 upstream_time="0.000, 0.004" upstream_status="502, 200" upstream_addr="unix:/tmp/stacktop-capture-mage0F/nothing.sock, unix:/tmp/stacktop-capture-mage0F/gunicorn.sock" worker_pid="12058" request="GET /pool/ HTTP/1.1""#,
            want: .init(
                status: 200, totalMicros: 4000, upstreamMicros: 4000, upstreamStatus: 200, upstreamAttempts: 2,
                pid: 12058, serverPid: 12015, timeMillis: 1_795_656_462_808),
            failedWithoutApp: false),
        Case(
            name: "nginx 504, upstream timed out",
            line:
                #"msec=1795656463.836 status=504 request_time=1.001 nginx_pid=12015 upstream_time="1.001" upstream_status="504" upstream_addr="unix:/tmp/stacktop-capture-mage0F/gunicorn.sock" worker_pid="-" request="GET /timeout?ms=1500 HTTP/1.1""#,
            want: .init(
                status: 504, totalMicros: 1_001_000, upstreamMicros: 1_001_000, upstreamStatus: 504,
                upstreamAttempts: 1,
                pid: nil, serverPid: 12015, timeMillis: 1_795_656_463_836),
            failedWithoutApp: true),
        Case(
            name: "nginx escaped quote in request",
            line:
                #"msec=1795656463.863 status=404 request_time=0.006 nginx_pid=12015 upstream_time="0.006" upstream_status="404" upstream_addr="unix:/tmp/x/gunicorn.sock" worker_pid="12056" request="GET /quote?q=\x22x\x22 HTTP/1.1""#,
            want: .init(
                status: 404, totalMicros: 6000, upstreamMicros: 6000, upstreamStatus: 404, upstreamAttempts: 1,
                pid: 12056, serverPid: 12015, timeMillis: 1_795_656_463_863),
            failedWithoutApp: false),
        Case(
            name: "apache proxied 200",
            line:
                #"msec=1795656463.898 status=200 request_time_us=1646 apache_pid=12020 worker_pid="12056" request="GET /app/ HTTP/1.1""#,
            want: .init(status: 200, totalMicros: 1646, pid: 12056, serverPid: 12020, timeMillis: 1_795_656_463_898),
            failedWithoutApp: false),
        Case(
            name: "apache 503, backend down",
            line:
                #"msec=1795656464.031 status=503 request_time_us=346 apache_pid=12020 worker_pid="-" request="GET /dead HTTP/1.1""#,
            want: .init(status: 503, totalMicros: 346, pid: nil, serverPid: 12020, timeMillis: 1_795_656_464_031),
            failedWithoutApp: true),
        Case(
            name: "apache app's own 500",
            line:
                #"msec=1795656463.933 status=500 request_time_us=1365 apache_pid=12020 worker_pid="12056" request="GET /app/error HTTP/1.1""#,
            want: .init(status: 500, totalMicros: 1365, pid: 12056, serverPid: 12020, timeMillis: 1_795_656_463_933),
            failedWithoutApp: false),
        Case(
            name: "lighttpd proxied slow",
            line:
                #"msec=1795656463.140 status=200 request_time_us=35660 worker_pid="12056" request="GET /app/slow?ms=30 HTTP/1.1""#,
            want: .init(status: 200, totalMicros: 35660, pid: 12056, timeMillis: 1_795_656_463_140),
            failedWithoutApp: false),
        Case(
            name: "lighttpd 503, backend down",
            line: #"msec=1795656463.197 status=503 request_time_us=2500 worker_pid="-" request="GET /dead HTTP/1.1""#,
            want: .init(status: 503, totalMicros: 2500, pid: nil, timeMillis: 1_795_656_463_197),
            failedWithoutApp: true),
        Case(
            name: "gunicorn 500 with angled pid and bracketed time",
            line:
                #"time=[26/Nov/2026:01:27:42 +0000] status=500 request_time_us=2101 worker_pid=<12058> request="GET /error HTTP/1.0""#,
            want: .init(status: 500, totalMicros: 2101, pid: 12058, timeMillis: 1_795_656_462_000),
            failedWithoutApp: false),
        Case(
            name: "gunicorn escaped quote",
            line:
                #"time=[26/Nov/2026:01:26:17 +0000] status=404 request_time_us=1545 worker_pid=<5309> request="GET /quote?q=\"x\" HTTP/1.0""#,
            want: .init(status: 404, totalMicros: 1545, pid: 5309, timeMillis: 1_795_656_377_000),
            failedWithoutApp: false),
        Case(
            name: "uwsgi 200",
            line: #"epoch_ms=1795656464247 status=200 request_time_us=15131 worker_pid=12075 request="GET / HTTP/1.1""#,
            want: .init(status: 200, totalMicros: 15131, pid: 12075, timeMillis: 1_795_656_464_247),
            failedWithoutApp: false),
        Case(
            name: "time zone offset applied",
            line: #"time=[01/Jan/2024:02:00:00 +0200] status=200"#,
            want: .init(status: 200, timeMillis: 1_704_067_200_000),
            failedWithoutApp: false),
    ]

    func testRealLines() {
        for c in Self.cases {
            let got = AccessLogParser.parse(c.line)
            XCTAssertEqual(got, c.want, c.name)
            XCTAssertEqual(got?.failedWithoutApp, c.failedWithoutApp, c.name)
        }
    }

    func testRejectsLinesWithoutStatus() {
        for line in ["", "garbage", "status=- request=\"x\"", "msec=1.0 request_time=0.1", "status=2x0"] {
            XCTAssertNil(AccessLogParser.parse(line), line)
        }
    }

    func testUnterminatedQuoteDoesNotReadPastTheLine() {
        let got = AccessLogParser.parse(#"status=200 request="GET / HTT"#)
        XCTAssertEqual(got?.status, 200)
    }

    /// The parser scans eight bytes at a time: every field must come out the same wherever the
    /// line's delimiters fall against those words, so the same line is parsed behind prefixes of
    /// 0 to 15 unknown bytes and cut at every length (never reading past the cut).
    func testFieldsDoNotDependOnWhereWordsFall() {
        let line =
            #"msec=1795656462.808 status=200 request_time=0.004 nginx_pid=12015 upstream_time="0.000, 0.004" upstream_status="502, 200" upstream_addr="unix:/a.sock, unix:/b.sock" worker_pid="12058" request="GET /pool/ HTTP/1.1""#
        let want = AccessLogParser.parse(line)
        XCTAssertEqual(want?.upstreamAttempts, 2)
        for pad in 0..<16 {
            let padded = "x=" + String(repeating: "y", count: pad) + " " + line
            XCTAssertEqual(AccessLogParser.parse(padded), want, "pad \(pad)")
        }
        let bytes = Array(line.utf8)
        for cut in 0...bytes.count {
            // A copy exactly `cut` bytes long, so the bytes after the cut are not there to be read.
            let part = Array(bytes[..<cut])
            let got = part.withUnsafeBufferPointer { AccessLogParser.parse($0) }
            // "msec=… " is 20 bytes, then "status=200": cut inside the value, the digits before the cut count.
            let status: Int? = cut >= 30 ? 200 : cut == 29 ? 20 : cut == 28 ? 2 : nil
            XCTAssertEqual(got?.status, status, "cut \(cut)")
        }
    }

    /// Quoted values: `\` escapes the next byte, so a quote after an odd run of backslashes
    /// stays inside the value and one after an even run closes it.
    func testBackslashRunsBeforeAQuote() {
        XCTAssertEqual(AccessLogParser.parse(#"request="a\\" status=201"#)?.status, 201)
        XCTAssertEqual(AccessLogParser.parse(#"request="a\\\" status=201" status=202"#)?.status, 202)
        XCTAssertEqual(AccessLogParser.parse(#"request="\" status=201"#)?.status, nil)
        XCTAssertEqual(AccessLogParser.parse(#"request="a\"#)?.status, nil)
        XCTAssertEqual(AccessLogParser.parse(#"worker_pid="\"1" status=200"#)?.pid, nil)
        XCTAssertEqual(AccessLogParser.parse(#"worker_pid="\"1" status=200"#)?.status, 200)
    }

    /// Keys are told apart by length and word compares: near misses of every known key are other keys.
    func testNearMissKeysAreIgnored() {
        let line =
            "statuS=500 msex=1.0 tim=1 request_timf=9.9 nginx_pie=7 worker_pix=8 apache_pie=9 "
            + "upstream_timx=\"1.0\" upstream_statux=\"502\" request_time_ux=5 epoch_mx=1 status=200"
        XCTAssertEqual(AccessLogParser.parse(line), AccessLogFields(status: 200))
    }

    /// Numbers read eight digits at a time where they can: the result equals the digit-by-digit one.
    func testLongNumbersAndFractions() {
        XCTAssertEqual(AccessLogParser.parse("msec=1795656462.1 status=200")?.timeMillis, 1_795_656_462_100)
        XCTAssertEqual(AccessLogParser.parse("msec=1795656462 status=200")?.timeMillis, 1_795_656_462_000)
        XCTAssertEqual(AccessLogParser.parse("msec=17956564621.5 status=200")?.timeMillis, 17_956_564_621_500)
        XCTAssertNil(AccessLogParser.parse("msec=1795:56462.1 status=200")?.timeMillis)
        XCTAssertNil(AccessLogParser.parse("msec=179565646/.1 status=200")?.timeMillis)
        XCTAssertNil(AccessLogParser.parse("msec=1.2.3 status=200")?.timeMillis)
        XCTAssertEqual(AccessLogParser.parse("request_time=12.3456789 status=200")?.totalMicros, 12_345_678)
        XCTAssertEqual(AccessLogParser.parse("request_time=. status=200")?.totalMicros, 0)
        XCTAssertEqual(AccessLogParser.parse("epoch_ms=1795656464247 status=200")?.timeMillis, 1_795_656_464_247)
        XCTAssertNil(AccessLogParser.parse("epoch_ms=17956564642x7 status=200")?.timeMillis)
    }

    func testFrontOverheadIsTotalMinusUpstream() {
        let f = AccessLogFields(status: 200, totalMicros: 9000, upstreamMicros: 7000)
        XCTAssertEqual(f.frontOverheadMicros, 2000)
        XCTAssertNil(AccessLogFields(status: 200, totalMicros: 9000).frontOverheadMicros)
    }
}
