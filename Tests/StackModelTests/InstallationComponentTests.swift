import StackModel
import XCTest

/// The pure mapping from server kinds to what must be installed, and the install commands.
final class InstallationComponentTests: XCTestCase {
    func testEachKindNeeds() {
        let cases: [(ServerKind, [InstallationComponent])] = [
            (.nginx, [.nginx]),
            (.apache, [.apache2]),
            (.lighttpd, [.lighttpd]),
            (.modWSGI, [.apache2, .modWSGI, .venv]),
            (.uwsgi, [.uwsgi, .uwsgiPython3, .uwsgiHTTP, .venv]),
            (.gunicorn, [.venv, .gunicorn]),
            (.waitress, [.venv, .waitress]),
            (.werkzeug, [.venv, .flask]),
            (.flup, [.venv, .flup]),
            (.supervisord, [.supervisord]),
        ]
        XCTAssertEqual(cases.count, ServerKind.allCases.count, "every kind has a case")
        for (kind, expected) in cases {
            XCTAssertEqual(InstallationComponent.needed(by: kind), expected, "\(kind)")
        }
    }

    func testStackNeedsAreDeduplicatedInProbeOrderAndTheDemoAppAddsFlask() {
        let cases: [(kinds: [ServerKind], demo: Bool, expected: [InstallationComponent])] = [
            ([.supervisord, .nginx, .gunicorn], true, [.nginx, .supervisord, .venv, .gunicorn, .flask]),
            ([.nginx, .gunicorn], false, [.nginx, .venv, .gunicorn]),
            ([.apache, .modWSGI], true, [.apache2, .modWSGI, .venv, .flask]),
            ([.nginx, .uwsgi, .gunicorn], false, [.nginx, .uwsgi, .uwsgiPython3, .uwsgiHTTP, .venv, .gunicorn]),
        ]
        for c in cases {
            XCTAssertEqual(InstallationComponent.needed(by: c.kinds, demoApp: c.demo), c.expected, "\(c.kinds)")
        }
    }

    func testInstallCommandsGroupAptPackagesAndAddTheInstallerOnceForTheVenv() {
        let cases: [([InstallationComponent], [String])] = [
            ([], []),
            ([.nginx], ["apt-get install -y --no-install-recommends nginx"]),
            (
                [.uwsgi, .uwsgiHTTP, .uwsgiPython3],
                ["apt-get install -y --no-install-recommends uwsgi-core uwsgi-plugin-python3"]
            ),
            (
                [.supervisord, .gunicorn, .flask],
                [
                    "apt-get install -y --no-install-recommends supervisor", "scripts/install-components",
                ]
            ),
            ([.venv, .flup], ["scripts/install-components"]),
        ]
        for (components, expected) in cases {
            XCTAssertEqual(InstallationComponent.installCommands(for: components), expected, "\(components)")
        }
    }

    func testEveryComponentHasAnAptPackageOrIsAVenvThing() {
        for component in InstallationComponent.allCases {
            let inVenv = component == .venv || component.pythonDistribution != nil
            XCTAssertNotEqual(component.aptPackage == nil, !inVenv, "\(component)")
            XCTAssertEqual(component.installCommand.hasPrefix("apt-get install"), !inVenv, "\(component)")
        }
    }
}
