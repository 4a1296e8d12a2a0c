import StackModel

/// Everything a recipe needs from the machine and the launch: where the run dir is, which
/// ports were chosen, where each server binary lives. Filled by `Runtime`; plain values here.
public struct LaunchContext: Sendable, Equatable {
    /// Absolute path of this launch's private run dir.
    public var runDir: String
    /// The TCP port chosen for each component that listens on TCP, by component name.
    public var ports: [String: Int]
    public var tools: Toolchain
    /// Absolute path of the virtualenv the Python servers and the app run with.
    public var venv: String
    /// Whether stacktop runs as root (euid 0): supervisord then gets `user=root`, Apache's
    /// children switch to `serverUser`, nginx's workers to nobody.
    public var runningAsRoot: Bool
    /// The unprivileged user and group Apache's children and mod_wsgi daemons run as when
    /// started by root (Debian: www-data). They must be able to read the app dir and the venv.
    public var serverUser: String
    public var serverGroup: String

    public init(
        runDir: String, ports: [String: Int], tools: Toolchain, venv: String,
        runningAsRoot: Bool = false, serverUser: String = "www-data",
        serverGroup: String = "www-data"
    ) {
        self.runDir = runDir
        self.ports = ports
        self.tools = tools
        self.venv = venv
        self.runningAsRoot = runningAsRoot
        self.serverUser = serverUser
        self.serverGroup = serverGroup
    }
}

/// Absolute paths of the server programs on this machine.
public struct Toolchain: Sendable, Equatable {
    public var nginx: String
    public var apache: String
    /// Directory holding Apache's loadable modules (mod_mpm_event.so, mod_wsgi.so, …).
    public var apacheModules: String
    public var lighttpd: String
    /// Debian's modular uWSGI (needs `--plugin python3,http`).
    public var uwsgi: String
    public var supervisord: String
    /// Directory holding nginx's `mime.types`, `uwsgi_params`, `fastcgi_params`.
    public var nginxConfDir: String

    public init(
        nginx: String = "/usr/sbin/nginx", apache: String = "/usr/sbin/apache2",
        apacheModules: String = "/usr/lib/apache2/modules",
        lighttpd: String = "/usr/sbin/lighttpd", uwsgi: String = "/usr/bin/uwsgi-core",
        supervisord: String = "/usr/bin/supervisord", nginxConfDir: String = "/etc/nginx"
    ) {
        self.nginx = nginx
        self.apache = apache
        self.apacheModules = apacheModules
        self.lighttpd = lighttpd
        self.uwsgi = uwsgi
        self.supervisord = supervisord
        self.nginxConfDir = nginxConfDir
    }
}
