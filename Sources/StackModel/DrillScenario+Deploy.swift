/// The deploy drills: the operations of a deploy (reload, restart, scale), done under load.
extension DrillScenario {
    /// How long after a deploy operation the stack has to settle (ms): a uWSGI reload stalls
    /// about 1.2 s, supervisorctl restart blocks 2.5 s, a stop + start waits for the new server to be ready.
    public static let deployTimeoutMs = 10_000

    /// Built in after the failure drills.
    public static let deployScenarios: [DrillScenario] = [
        DrillScenario(
            name: "reload-app",
            description:
                "Gracefully reload the app server under load (gunicorn HUP, uWSGI FIFO r, Apache graceful for mod_wsgi; supervisorctl signal HUP when supervised). Look for failed requests (ideally none), the latency spike and when every worker is new.",
            action: .reloadApp, timeoutMs: deployTimeoutMs),
        DrillScenario(
            name: "reload-front",
            description:
                "Gracefully reload the front server under load (nginx HUP, Apache graceful, lighttpd USR1). Look for failed requests and the old workers shutting down.",
            action: .reloadFront, timeoutMs: deployTimeoutMs),
        DrillScenario(
            name: "restart-app",
            description:
                "Hard-restart the app server under load, the naive way: supervisorctl restart when supervised, else stacktop stops it and starts it again. Look for the outage and its failed requests, to compare with reload-app.",
            action: .restartApp, timeoutMs: deployTimeoutMs),
        DrillScenario(
            name: "deploy",
            description:
                "Write the demo app's next version, then reload the app server the way it reloads. Look for the cutover: the report gives the time from the command until every response is the new version, responses of the old version after the command, and failed requests by kind.",
            action: .deploy, timeoutMs: deployTimeoutMs),
        DrillScenario(
            name: "scale-up",
            description:
                "Add one worker to the app server under load (gunicorn TTIN, uWSGI FIFO +). Look for when the new worker appears in ps and serves its first request.",
            action: .scaleUp, timeoutMs: deployTimeoutMs),
        DrillScenario(
            name: "scale-down",
            description:
                "Remove one worker of the app server under load (gunicorn TTOU, uWSGI FIFO -). Look for which worker goes and whether a request in flight fails.",
            action: .scaleDown, timeoutMs: deployTimeoutMs),
        DrillScenario(
            name: "slow-request-timeout",
            description:
                "Send one request longer than the app server's own timeout (the demo app's /slow, 5 s past gunicorn's timeout) alongside the load. Look for what the client got (500, 502, 504, a reset or a slow 200), from which hop (the front's and the app server's access logs), and the app server's own log line about the killed worker.",
            action: .slowRequestTimeout, timeoutMs: slowRequestTimeoutMs),
        DrillScenario(
            name: "recycle",
            description:
                "Turn on worker recycling under load (gunicorn max_requests with jitter, uWSGI max-requests with a short min-worker-lifetime, mod_wsgi maximum-requests) by rewriting the app server's config and reloading it, then measure a window of recycling against the window before. Look for the recycles (in ps and in the server's log), failed requests, and the throughput and latency cost.",
            action: .recycle, warmupMs: recycleWarmupMs, timeoutMs: deployTimeoutMs),
    ]

    /// recycle: the length of the window before the reload (baseline) and of the recycling
    /// window after it settled (ms).
    public static let recycleWindowMs = 5_000
    /// recycle's warm-up: a 2 s capacity probe, a second to calm down, then the baseline window.
    public static let recycleWarmupMs = recycleWindowMs + 3_000

    /// slow-request-timeout waits for the slow answer: gunicorn's default timeout (30 s) plus
    /// the margin the request runs past it, plus time to settle.
    public static let slowRequestTimeoutMs = 50_000
}
