import Foundation
import StackFiles
import XCTest
@testable import StackModel
import TestSupport

/// Every shipped topology in topologies/ loads, and its front door and start order are right.
final class SeedTopologyTests: XCTestCase {
    /// The package root, found from this file's path (Tests/StackModelTests/ThisFile.swift).
    static let root = TestProject.root
    static let demo = root + "/topologies/apps/demo"

    /// file stem -> (front door, start order)
    static let expected: [String: (door: String, order: [String])] = [
        "werkzeug": ("app", ["app"]),
        "waitress": ("app", ["app"]),
        "gunicorn": ("app", ["app"]),
        "uwsgi": ("app", ["app"]),
        "nginx-gunicorn": ("front", ["app", "front"]),
        "nginx-gunicorn-supervisord": ("front", ["supervisor", "app", "front"]),
        "nginx-uwsgi": ("front", ["app", "front"]),
        "nginx-uwsgi-supervisord": ("front", ["supervisor", "app", "front"]),
        "apache-mod-wsgi": ("front", ["front", "app"]),
        "nginx-flup": ("front", ["app", "front"]),
        "lighttpd-flup": ("front", ["front", "app"]),
        "nginx-pool": ("front", ["gunicorn", "uwsgi", "front"]),
        "docker-nginx-uwsgi-supervisord": ("front", ["supervisor", "app", "front"]),
        "pod-nginx-gunicorn": ("front", ["app", "front"]),
    ]

    func load(_ stem: String) throws -> Topology {
        try TopologyLoader.load(path: Self.root + "/topologies/\(stem).yaml", demoAppDirectory: Self.demo)
    }

    func testEveryTopologyFileLoads() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.root + "/topologies")
            .filter { $0.hasSuffix(".yaml") }.sorted()
        XCTAssertEqual(Set(files.map { String($0.dropLast(5)) }), Set(Self.expected.keys))
        for file in files {
            do {
                let topology = try TopologyLoader.load(
                    path: Self.root + "/topologies/" + file, demoAppDirectory: Self.demo)
                XCTAssertEqual(topology.name + ".yaml", file)
                XCTAssertGreaterThan(topology.description.count, 100, file)
                XCTAssertEqual(topology.app, AppSpec(module: "app:app", directory: Self.demo, isDemo: true), file)
                XCTAssertEqual(topology.traffic.mix.map(\.path), ["/", "/slow?ms=50", "/error"], file)
            } catch {
                XCTFail("\(file): \(error)")
            }
        }
    }

    func testFrontDoorAndStartOrder() throws {
        for (stem, want) in Self.expected.sorted(by: { $0.key < $1.key }) {
            let topology = try load(stem)
            XCTAssertEqual(topology.frontDoor?.name, want.door, stem)
            XCTAssertEqual(topology.startOrder.map(\.name), want.order, stem)
            let door = try XCTUnwrap(topology.frontDoor)
            XCTAssertEqual(door.transport, .tcp, stem)
            XCTAssertEqual(door.proto, .http, stem)
        }
    }

    func testDefaultsBehindAFrontServer() throws {
        let cases: [(stem: String, proto: HopProtocol, transport: Transport, workers: Int?, model: ProcessModel?)] = [
            ("nginx-gunicorn", .http, .unix, 2, nil),
            ("nginx-uwsgi", .uwsgi, .unix, 2, nil),
            ("nginx-flup", .fastcgi, .unix, 2, .fork),
            ("lighttpd-flup", .fastcgi, .unix, 2, .threaded),
            ("apache-mod-wsgi", .embedded, .unix, 2, nil),
        ]
        for c in cases {
            let app = try XCTUnwrap(try load(c.stem).component("app"), c.stem)
            XCTAssertEqual(app.proto, c.proto, c.stem)
            XCTAssertEqual(app.transport, c.transport, c.stem)
            XCTAssertEqual(app.workers, c.workers, c.stem)
            XCTAssertEqual(app.processModel, c.model, c.stem)
        }
    }

    func testInsideAndSupervision() throws {
        let apache = try load("apache-mod-wsgi")
        XCTAssertEqual(apache.component("app")?.inside, "front")
        XCTAssertEqual(apache.component("front")?.upstream, ["app"])
        let supervised = try load("nginx-gunicorn-supervisord")
        XCTAssertEqual(supervised.supervisor(of: "app")?.name, "supervisor")
        XCTAssertEqual(supervised.supervisor(of: "front")?.name, "supervisor")
        let pool = try load("nginx-pool")
        XCTAssertEqual(pool.component("front")?.upstream, ["gunicorn", "uwsgi"])
        XCTAssertEqual(pool.appServers.map(\.proto), [.http, .http])
    }
}
