import XCTest
import StackRecipes
import Traffic

/// The fixture lines of AccessLogParserTests were captured with the formats of
/// `StackRecipes.AccessLogFormat`: their keys, in order, must still be the constants' keys, and
/// every key the parser reads must be spelled as the constants spell it.
final class AccessLogFormatMatchTests: XCTestCase {
    /// Keys of a `key=value …` text: tokens before `=` outside quotes, brackets and angles.
    static func keys(_ text: String) -> [String] {
        var keys: [String] = []
        var token = ""
        var closer: Character?
        var inValue = false
        for ch in text {
            if let c = closer {
                if ch == c { closer = nil }
                continue
            }
            if ch == " " { token = ""; inValue = false; continue }
            if inValue {
                if token.isEmpty, let c = ["\"": "\"", "[": "]", "<": ">"][ch] { closer = Character(c) }
                token.append(ch)
                continue
            }
            if ch == "=" { keys.append(token); token = ""; inValue = true; continue }
            token.append(ch)
        }
        return keys
    }

    func testFixtureLinesFollowTheRecipesFormats() {
        let table: [(String, String, String)] = [
            ("nginx", AccessLogFormat.nginx, "nginx proxied 200"),
            ("apache", AccessLogFormat.apache, "apache proxied 200"),
            ("lighttpd", AccessLogFormat.lighttpd, "lighttpd proxied slow"),
            ("gunicorn", AccessLogFormat.gunicorn, "gunicorn 500 with angled pid and bracketed time"),
            ("uwsgi", AccessLogFormat.uwsgi, "uwsgi 200"),
        ]
        for (name, format, fixture) in table {
            guard let line = AccessLogParserTests.cases.first(where: { $0.name == fixture })?.line else {
                XCTFail("no fixture \(fixture)"); continue
            }
            XCTAssertEqual(Self.keys(line), Self.keys(format), name)
        }
    }

    func testEveryFormatCarriesStatusTimeAndWorker() {
        for format in [
            AccessLogFormat.nginx, AccessLogFormat.apache, AccessLogFormat.lighttpd,
            AccessLogFormat.gunicorn, AccessLogFormat.uwsgi,
        ] {
            let k = Set(Self.keys(format))
            XCTAssertTrue(k.contains("status"), format)
            XCTAssertTrue(k.contains("worker_pid"), format)
            XCTAssertFalse(k.isDisjoint(with: ["request_time", "request_time_us"]), format)
            XCTAssertFalse(k.isDisjoint(with: ["msec", "epoch_ms", "time"]), format)
        }
    }
}
