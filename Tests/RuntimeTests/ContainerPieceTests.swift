import XCTest
@testable import Runtime

/// The small pure pieces of container stacks: the reaper's container line and NSpid parsing.
final class ContainerPieceTests: XCTestCase {
    func testReaperContainerLineRoundTripsAndRejectsJunk() {
        let message = ReaperMessage.container(cidfile: "/tmp/r/run/c.cid", name: "stacktop-x", config: "/p/containers/containers.conf")
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

    func testContainerPidIsTheInnermostNSpid() {
        XCTAssertEqual(ContainerPid.parse(status: "Name:\tuwsgi\nNSpid:\t3235\t7\nNStgid:\t3235\t7\n"), 7)
        XCTAssertNil(ContainerPid.parse(status: "Name:\tnginx\nNSpid:\t3235\n"), "a host process has one pid")
        XCTAssertNil(ContainerPid.parse(status: "Name:\told kernel\n"))
        XCTAssertNil(ContainerPid.of(getpid()), "the test itself runs on the host")
    }

    func testCommandRunCapturesOutputAndStopsWhenAsked() {
        let echo = CommandRun.run(["/bin/sh", "-c", "echo out; echo err >&2; exit 3"], environment: [:], timeoutSeconds: 10)
        XCTAssertEqual(echo.status, 3)
        XCTAssertEqual(echo.tail(), ["out", "err"])
        let clock = Stopwatch()
        let stopped = CommandRun.run(["/bin/sleep", "30"], environment: [:], timeoutSeconds: 60,
                                     shouldStop: { clock.elapsedMs > 200 })
        XCTAssertEqual(stopped.status, 130)
        XCTAssertLessThan(clock.elapsedMs, 10_000, "a stop request ends the command (SIGTERM) at once")
        let slow = CommandRun.run(["/bin/sleep", "30"], environment: [:], timeoutSeconds: 0.3)
        XCTAssertEqual(slow.status, 124, slow.output)
    }
}
