import StackModel

/// The Python files stacktop writes into `scripts/`: the WSGI shim for mod_wsgi and uWSGI,
/// and generic launchers for flup and the Werkzeug dev server. All work for any WSGI app.
enum PythonScripts {
    /// `scripts/wsgi.py`: exposes the app's `module:callable` as `application`.
    static let shimPath = RunDirLayout.script("wsgi.py")
    /// `scripts/flup_serve.py`.
    static let flupPath = RunDirLayout.script("flup_serve.py")
    /// `scripts/werkzeug_serve.py`.
    static let werkzeugPath = RunDirLayout.script("werkzeug_serve.py")

    /// The WSGI shim for `app`: every topology value is a Python string literal.
    static func shim(_ app: AppSpec) -> String {
        """
        \"\"\"WSGI entry point written by stacktop for mod_wsgi and uWSGI.

        It puts the app directory first on sys.path, imports the module and exposes the
        callable as `application` (the name both servers look for).
        \"\"\"
        import importlib
        import sys

        APP_DIR = \(ConfigSyntax.python(app.directory))
        MODULE = \(ConfigSyntax.python(app.moduleName))
        CALLABLE = \(ConfigSyntax.python(app.callable))

        if APP_DIR not in sys.path:
            sys.path.insert(0, APP_DIR)

        application = importlib.import_module(MODULE)
        for _name in CALLABLE.split("."):
            application = getattr(application, _name)

        """
    }

    /// Shared by both launchers: load `module:callable` from a directory.
    private static let loader = """
        def load_app(app_dir, spec):
            \"\"\"Imports MODULE from app_dir and returns its (dotted) CALLABLE.\"\"\"
            module, _, attr = spec.partition(":")
            sys.path.insert(0, app_dir)
            obj = importlib.import_module(module)
            for name in (attr or "app").split("."):
                obj = getattr(obj, name)
            return obj
        """

    /// `flup_serve.py`: FastCGI for any WSGI app with flup, on a unix socket or the socket
    /// inherited as fd 0 (how lighttpd's `bin-path` spawns backends).
    static let flup = """
        \"\"\"Serve a WSGI app over FastCGI with flup (written by stacktop; reusable as is).

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
        \"\"\"
        import argparse
        import importlib
        import os
        import sys

        \(loader)

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

        """

    /// `werkzeug_serve.py`: the Werkzeug development server (what `flask run` uses) for any
    /// WSGI app, threaded, on TCP or a world-connectable unix socket.
    static let werkzeug = """
        \"\"\"Serve a WSGI app with the Werkzeug development server (written by stacktop).

        usage: python werkzeug_serve.py --name NAME (--listen HOST:PORT | --socket PATH)
                                        APP_DIR MODULE:CALLABLE

        The same server `flask run` starts, threaded, without the reloader. A unix socket is
        made world-connectable (0666) for a front server running as another user.
        \"\"\"
        import argparse
        import importlib
        import os
        import sys

        from werkzeug.serving import make_server

        \(loader)

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

        """
}
