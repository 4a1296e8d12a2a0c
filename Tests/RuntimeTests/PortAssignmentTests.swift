import XCTest
import Glibc
import StackModel
@testable import Runtime

/// Port choice for a topology: auto ports are free and distinct, unix listeners get none,
/// a busy fixed port is refused with its holder named.
final class PortAssignmentTests: XCTestCase {
    private func topology(_ components: [Component]) -> Topology {
        Topology(name: "t", description: "d", sourcePath: "", app: AppSpec(module: "app:app", directory: "/tmp", isDemo: true),
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
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var sa = sockaddr_in()
        sa.sin_family = sa_family_t(AF_INET)
        sa.sin_port = in_port_t(UInt16(port).bigEndian)
        sa.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &sa) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        XCTAssertEqual(bound, 0)
        XCTAssertEqual(listen(fd, 4), 0)
        let t = topology([Component(name: "front", kind: .nginx, transport: .tcp, port: port, upstream: [])])
        XCTAssertThrowsError(try PortAssignment().assign(t)) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("port \(port)"), text)
            XCTAssertTrue(text.contains("pid \(getpid())"), text)
        }
    }
}
