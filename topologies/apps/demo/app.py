"""stacktop's demo WSGI app (Flask).

Every response carries the pid of the worker process that served it in `X-Worker-Pid`, which is
how stacktop attributes requests to workers. Routes:

    GET /           a short text answer
    GET /slow?ms=N  answers after N milliseconds (at most 60000)
    GET /error      answers 500 on purpose
    GET /crash      the worker process dies (SIGKILL to itself), to demo recovery from inside
    GET /health     "ok", for readiness and health checks

Every response also carries the app's version in `X-App-Version` (the body of `/` says it too):
an integer read once, at import, from `$TMPDIR/stacktop-app-version` (1 when the file is
missing). `stacktop drill --scenario deploy` writes the next version there, then reloads the app
server: a worker answers with the new version only once it has imported the app again.

For `stacktop drill --scenario crash-loop`, the app refuses to import while the switch file
`$TMPDIR/stacktop-demo-fail-import` exists. stacktop points TMPDIR of every server it starts at
its launch's private run dir, so the switch affects this one launch of the demo app only.
"""
import os
import signal
import sys
import time

from flask import Flask, Response, request

FAIL_IMPORT_SWITCH = "stacktop-demo-fail-import"

if os.environ.get("TMPDIR") and os.path.exists(os.path.join(os.environ["TMPDIR"], FAIL_IMPORT_SWITCH)):
    raise RuntimeError(f"stacktop crash-loop drill: $TMPDIR/{FAIL_IMPORT_SWITCH} exists, the demo app refuses to start")

VERSION_FILE = "stacktop-app-version"


def _read_version():
    """The version number in $TMPDIR/stacktop-app-version, read at import; 1 without the file."""
    try:
        with open(os.path.join(os.environ.get("TMPDIR", "/nonexistent"), VERSION_FILE)) as f:
            return int(f.read().strip() or "1")
    except (OSError, ValueError):
        return 1


APP_VERSION = _read_version()

app = Flask(__name__)


@app.after_request
def tag_worker(response):
    response.headers["X-Worker-Pid"] = str(os.getpid())
    response.headers["X-Python"] = sys.version.split()[0]
    response.headers["X-App-Version"] = str(APP_VERSION)
    return response


@app.get("/")
def index():
    return Response(f"hello from worker {os.getpid()}, version {APP_VERSION}\n", mimetype="text/plain")


@app.get("/slow")
def slow():
    try:
        ms = int(request.args.get("ms", "100"))
    except ValueError:
        return Response("ms must be an integer\n", status=400, mimetype="text/plain")
    ms = max(0, min(ms, 60000))
    time.sleep(ms / 1000.0)
    return Response(f"slept {ms} ms in worker {os.getpid()}\n", mimetype="text/plain")


@app.get("/error")
def error():
    return Response("an error on purpose\n", status=500, mimetype="text/plain")


@app.get("/crash")
def crash():
    os.kill(os.getpid(), signal.SIGKILL)
    return Response("unreachable\n", status=500, mimetype="text/plain")


@app.get("/health")
def health():
    return Response("ok\n", mimetype="text/plain")


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(os.environ.get("PORT", "8000")))
