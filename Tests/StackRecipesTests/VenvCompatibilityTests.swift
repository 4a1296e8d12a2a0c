import Foundation
import XCTest
@testable import StackRecipes
import TestSupport

/// Which venvs servers embedding Debian's Python can use, judged from pyvenv.cfg.
final class VenvCompatibilityTests: XCTestCase {
    func testJudgesPyvenvCfg() {
        let cases: [(cfg: String, compatible: Bool, mentions: String)] = [
            ("home = /usr/bin\ninclude-system-site-packages = false\nversion = 3.11.2\n", true, ""),
            ("home=/usr/bin/\nversion_info = 3.11.2.final.0\n", true, ""),
            (
                "home = /root/.pyenv/versions/3.11.7/bin\nversion = 3.11.7\n", false,
                "made by the Python in /root/.pyenv/versions/3.11.7/bin"
            ),
            ("home = /usr/bin\nversion = 3.12.1\n", false, "Python 3.12.1 venv"),
            ("include-system-site-packages = false\n", false, "no `home` line"),
        ]
        for c in cases {
            let v = VenvCompatibility.check(pyvenvCfg: c.cfg, venv: "/p/.venv", server: "mod_wsgi")
            XCTAssertEqual(v.isCompatible, c.compatible, c.cfg)
            if !c.compatible {
                XCTAssertTrue(v.message.contains(c.mentions), v.message)
                XCTAssertTrue(v.message.contains("/usr/bin/python3 -m venv /p/.venv"), v.message)
                XCTAssertTrue(v.message.contains("mod_wsgi"), v.message)
            } else {
                XCTAssertEqual(v.message, "")
            }
        }
    }

    /// The checkout's own `.venv` (made by scripts/install-components, which `make test` runs
    /// first): wherever the checkout lives, it must suit the servers embedding Debian's Python.
    func testTheProjectVenvIsCompatible() throws {
        let root = TestProject.root
        let venv = root + "/.venv"
        let cfg = try XCTUnwrap(
            try? String(contentsOfFile: venv + "/pyvenv.cfg", encoding: .utf8),
            "no \(venv)/pyvenv.cfg: run scripts/install-components in \(root)")
        let verdict = VenvCompatibility.check(pyvenvCfg: cfg, venv: venv, server: "uWSGI")
        XCTAssertTrue(verdict.isCompatible, verdict.message)
    }
}
