import XCTest
@testable import Runtime
import StackModel

/// The small pure pieces of container stacks: the reaper's container line and NSpid parsing.
final class ContainerPieceTests: XCTestCase {
    func testReaperContainerLineRoundTripsAndRejectsJunk() {
        let message = ReaperMessage.container(
            cidfile: "/tmp/r/run/c.cid", name: "stacktop-x", config: "/p/containers/containers.conf")
        XCTAssertEqual(message.line, "container /tmp/r/run/c.cid stacktop-x /p/containers/containers.conf\n")
        XCTAssertEqual(ReaperMessage.parse(Substring(message.line.dropLast())), message)
        for junk in ["container", "container relative name /c", "container /c name", "container /c name relative"] {
            XCTAssertNil(ReaperMessage.parse(Substring(junk)), junk)
        }
        var targets = ReaperTargets()
        targets.apply(message)
        targets.apply(message)
        XCTAssertEqual(targets.containers.map(\.name), ["stacktop-x"], "recorded once")
    }

    func testReaperPodLineRoundTripsAndKeepsTheOrderOfStarts() {
        let pod = ReaperMessage.pod(
            idFile: "/tmp/r/run/p.podid", name: "stacktop-p", config: "/p/containers/containers.conf")
        XCTAssertEqual(pod.line, "pod /tmp/r/run/p.podid stacktop-p /p/containers/containers.conf\n")
        XCTAssertEqual(ReaperMessage.parse(Substring(pod.line.dropLast())), pod)
        for junk in ["pod", "pod relative name /c", "pod /p name", "pod /p name relative"] {
            XCTAssertNil(ReaperMessage.parse(Substring(junk)), junk)
        }
        let front = ReaperMessage.container(cidfile: "/tmp/r/run/p-front.cid", name: "stacktop-p-front", config: "/c")
        var targets = ReaperTargets()
        for m in [pod, front, pod] { targets.apply(m) }
        XCTAssertEqual(targets.containers.map(\.name), ["stacktop-p", "stacktop-p-front"])
        XCTAssertEqual(targets.containers.map(\.isPod), [true, false])
        XCTAssertEqual(targets.containers.first?.cidfile, "/tmp/r/run/p.podid")
    }

    func testAPodNeedsCatatonitForItsInfraAndNoServerOnTheHost() {
        let front = Component(name: "front", kind: .nginx, location: SourceLocation(file: "t", line: 1, column: 1))
        let app = AppSpec(module: "app:app", directory: "/demo", isDemo: true)
        func topology(_ layout: ContainerLayout?) -> Topology {
            Topology(
                name: "t", description: "d", sourcePath: "", app: app, components: [front], traffic: TrafficSpec(),
                containerLayout: layout)
        }
        XCTAssertEqual(
            InstallationComponent.needed(by: topology(.pod)), [.venv, .podman, .runc, .mmdebstrap, .catatonit])
        XCTAssertEqual(InstallationComponent.needed(by: topology(.single)), [.venv, .podman, .runc, .mmdebstrap])
        XCTAssertEqual(
            InstallationComponent.needed(by: topology(nil)), [.nginx, .venv, .flask], "on the host: its servers")
        XCTAssertEqual(InstallationComponent.catatonit.aptPackage, "catatonit")
    }

    func testContainerPidIsTheInnermostNSpid() {
        XCTAssertEqual(ContainerPid.parse(status: "Name:\tuwsgi\nNSpid:\t3235\t7\nNStgid:\t3235\t7\n"), 7)
        XCTAssertNil(ContainerPid.parse(status: "Name:\tnginx\nNSpid:\t3235\n"), "a host process has one pid")
        XCTAssertNil(ContainerPid.parse(status: "Name:\told kernel\n"))
        XCTAssertNil(ContainerPid.of(getpid()), "the test itself runs on the host")
    }

    func testCommandRunCapturesOutputAndStopsWhenAsked() {
        let echo = CommandRun.run(
            ["/bin/sh", "-c", "echo out; echo err >&2; exit 3"], environment: [:], timeoutSeconds: 10)
        XCTAssertEqual(echo.status, 3)
        XCTAssertEqual(echo.tail(), ["out", "err"])
        let clock = Stopwatch()
        let stopped = CommandRun.run(
            ["/bin/sleep", "30"], environment: [:], timeoutSeconds: 60,
            shouldStop: { clock.elapsedMs > 200 })
        XCTAssertEqual(stopped.status, 130)
        XCTAssertLessThan(clock.elapsedMs, 10_000, "a stop request ends the command (SIGTERM) at once")
        let slow = CommandRun.run(["/bin/sleep", "30"], environment: [:], timeoutSeconds: 0.3)
        XCTAssertEqual(slow.status, 124, slow.output)
    }
}
