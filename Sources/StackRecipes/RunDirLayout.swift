/// The layout of a launch's private run dir: its subdirectories, their modes, and file names.
///
/// The run dir itself is `0711`: world-traversable but not listable, the narrowest mode that lets
/// nginx workers (nobody) reach the app sockets under `run/` and Apache's children and mod_wsgi
/// daemons (www-data) reach `run/` and read `scripts/wsgi.py`. Nothing in it is world-writable
/// except the app sockets themselves (0666/0777, so nobody can connect to them).
public enum RunDirLayout {
    /// Mode of the run dir itself.
    public static let runDirMode: UInt16 = 0o711
    /// Server configs, one subdirectory per component (`conf/front/nginx.conf`). Root reads them.
    public static let conf = "conf"
    /// Logs the servers write (error/access logs, captured stdout/stderr). Only the launching
    /// user reads them; servers open them before dropping privileges.
    public static let logs = "logs"
    /// Sockets, pid files, control sockets, Apache's runtime dir. Traversable by the
    /// unprivileged users that connect to sockets here.
    public static let run = "run"
    /// Scratch space: nginx temp paths (`tmp/<component>/…`, created by nginx itself), TMPDIR.
    public static let tmp = "tmp"
    /// Launcher scripts stacktop writes (`wsgi.py`, `flup_serve.py`, `werkzeug_serve.py`);
    /// mod_wsgi daemons (www-data) read `wsgi.py`.
    public static let scripts = "scripts"

    /// The top-level subdirectories, created (in this order) before any file is written.
    public static let topLevel = [conf, logs, run, tmp, scripts]

    /// The mode to create a directory of the run dir with (`path` relative to the run dir).
    /// Subdirectories take the mode of their top-level directory.
    public static func mode(of path: String) -> UInt16 {
        let top = path.split(separator: "/").first.map(String.init) ?? path
        switch top {
        case conf, logs: return 0o700
        case run, tmp, scripts: return 0o711
        default: return runDirMode
        }
    }

    /// Mode of rendered files: configs and scripts are readable (they hold no secrets and
    /// www-data must read `wsgi.py`); directory modes keep them private where needed.
    public static let fileMode: UInt16 = 0o644

    /// `conf/<component>/<file>`.
    static func config(_ component: String, _ file: String) -> String { "\(conf)/\(component)/\(file)" }
    /// `logs/<component>.<suffix>`.
    static func log(_ component: String, _ suffix: String) -> String { "\(logs)/\(component).\(suffix)" }
    /// `run/<component>.<suffix>`.
    static func runFile(_ component: String, _ suffix: String) -> String { "\(run)/\(component).\(suffix)" }
    /// `scripts/<file>`.
    static func script(_ file: String) -> String { "\(scripts)/\(file)" }
}
