"""Serve a WSGI app with the Werkzeug development server (written by stacktop).

usage: python werkzeug_serve.py --name NAME (--listen HOST:PORT | --socket PATH)
                                APP_DIR MODULE:CALLABLE

The same server `flask run` starts, threaded, without the reloader. A unix socket is
made world-connectable (0666) for a front server running as another user.
"""
import argparse
import importlib
import os
import sys

from werkzeug.serving import make_server

def load_app(app_dir, spec):
    """Imports MODULE from app_dir and returns its (dotted) CALLABLE."""
    module, _, attr = spec.partition(":")
    sys.path.insert(0, app_dir)
    obj = importlib.import_module(module)
    for name in (attr or "app").split("."):
        obj = getattr(obj, name)
    return obj

def main():
    p = argparse.ArgumentParser(description="Serve a WSGI app with Werkzeug's dev server.")
    p.add_argument("--name", default="app")
    where = p.add_mutually_exclusive_group(required=True)
    where.add_argument("--listen")
    where.add_argument("--socket")
    p.add_argument("app_dir")
    p.add_argument("app")
    args = p.parse_args()
    app = load_app(args.app_dir, args.app)
    if args.socket:
        host, port = "unix://" + args.socket, 0
        if os.path.exists(args.socket):
            os.unlink(args.socket)
    else:
        host, _, port = args.listen.rpartition(":")
        host, port = host.strip("[]"), int(port)
    server = make_server(host, port, app, threaded=True)
    if args.socket:
        os.chmod(args.socket, 0o666)
    server.log_startup()
    server.serve_forever()


if __name__ == "__main__":
    main()
