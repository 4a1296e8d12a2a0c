"""Serve a WSGI app over FastCGI with flup (written by stacktop; reusable as is).

usage: python flup_serve.py --name NAME --mode fork|threaded|single [--workers N]
                            (--socket PATH | --listen HOST:PORT | --inherit)
                            APP_DIR MODULE:CALLABLE

  fork      a master that preforks N single-threaded children (flup.server.fcgi_fork)
  threaded  one process, a thread per request (flup.server.fcgi)
  single    one process, one request at a time (flup.server.fcgi_single); used when
            lighttpd itself spawns N backends
  --socket  bind this unix socket, world-connectable (umask 0) for a front server
            running as another user; --inherit uses the listening socket on fd 0
  --name    only labels the process (ps shows it), so backends can be told apart
"""
import argparse
import importlib
import os
import sys

def load_app(app_dir, spec):
    """Imports MODULE from app_dir and returns its (dotted) CALLABLE."""
    module, _, attr = spec.partition(":")
    sys.path.insert(0, app_dir)
    obj = importlib.import_module(module)
    for name in (attr or "app").split("."):
        obj = getattr(obj, name)
    return obj

def main():
    p = argparse.ArgumentParser(description="Serve a WSGI app over FastCGI with flup.")
    p.add_argument("--name", default="app")
    p.add_argument("--mode", choices=["fork", "threaded", "single"], default="fork")
    p.add_argument("--workers", type=int, default=2)
    where = p.add_mutually_exclusive_group(required=True)
    where.add_argument("--socket")
    where.add_argument("--listen")
    where.add_argument("--inherit", action="store_true")
    p.add_argument("app_dir")
    p.add_argument("app")
    args = p.parse_args()
    app = load_app(args.app_dir, args.app)
    options = {"bindAddress": args.socket, "umask": 0 if args.socket else None}
    if args.listen:
        host, _, port = args.listen.rpartition(":")
        options["bindAddress"] = (host.strip("[]"), int(port))
    if args.mode == "fork":
        from flup.server.fcgi_fork import WSGIServer
        n = max(1, args.workers)
        options.update(minSpare=n, maxSpare=n, maxChildren=n)
    elif args.mode == "threaded":
        from flup.server.fcgi import WSGIServer
    else:
        from flup.server.fcgi_single import WSGIServer
    print("flup %s serving %s from %s on %s (pid %d)" % (
        args.mode, args.app, args.app_dir, args.socket or args.listen or "fd 0", os.getpid()),
        file=sys.stderr, flush=True)
    WSGIServer(app, **options).run()


if __name__ == "__main__":
    main()
