import XCTest
import Glibc
import StackModel
@testable import Runtime
import TestSupport

/// Port choice for a topology: auto ports are free and distinct, unix listeners get none,
/// a busy fixed port is refused with its holder named.
final class PortAssignmentTests: XCTestCase {
    private func topology(_ components: [Component]) -> Topology {
        Topology(
            name: "t", description: "d", sourcePath: "",
            app: AppSpec(module: "app:app", directory: "/tmp", isDemo: true),
            components: components, traffic: TrafficSpec())
    }

    func testAutoPortsAreDistinctAndUnixListenersGetNone() throws {
        let fixed = try PortAllocator().freePort()
        let t = topology([
            Component(name: "front", kind: .nginx, transport: .tcp, upstream: ["a", "b"]),
            Component(name: "a", kind: .gunicorn, transport: .unix),
            Component(name: "b", kind: .uwsgi, transport: .tcp),
            Component(name: "c", kind: .waitress, transport: .tcp, port: fixed),
            Component(name: "sup", kind: .supervisord, transport: .tcp, supervises: ["a"]),
        ])
        let ports = try PortAssignment().assign(t)
        XCTAssertEqual(Set(ports.keys), ["front", "b", "c"])
        XCTAssertEqual(ports["c"], fixed)
        XCTAssertEqual(Set(ports.values).count, 3)
        XCTAssertEqual(PortAssignment.automatic(t), ["front", "b"])
    }

    func testBusyFixedPortIsRefusedNamingItsHolder() throws {
        let port = try PortAllocator().freePort()
        let fd = Loopback.tcpSocket()
        defer { close(fd) }
        XCTAssertEqual(Loopback.bind(fd, port: port), 0)
        XCTAssertEqual(listen(fd, 4), 0)
        let t = topology([Component(name: "front", kind: .nginx, transport: .tcp, port: port, upstream: [])])
        XCTAssertThrowsError(try PortAssignment().assign(t)) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("port \(port)"), text)
            XCTAssertTrue(text.contains("pid \(getpid())"), text)
        }
    }
}
