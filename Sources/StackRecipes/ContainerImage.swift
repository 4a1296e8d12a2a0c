import StackModel

/// What a `container: true` stack's images hold: a Debian base built offline from the apt
/// mirror (mmdebstrap), and a per-stack layer on top with the app. Pure text and names; the
/// runtime builds them (`Runtime.ContainerImages`).
public enum ContainerImage {
    /// Debian suite of the base image (the machine's own mirror serves it).
    public static let suite = "bookworm"
    /// The packages the base image installs: every server `ContainerRules.supported` names, and
    /// the demo app's Flask, all from Debian.
    public static let basePackages = [
        "nginx-core", "uwsgi-core", "uwsgi-plugin-python3", "supervisor", "gunicorn",
        "python3-flask", "python3-venv",
    ]
    /// mmdebstrap options that keep the base small (no man pages, locales or docs).
    public static let mmdebstrapOptions = [
        "--variant=minbase",
        "--dpkgopt=path-exclude=/usr/share/man/*",
        "--dpkgopt=path-exclude=/usr/share/locale/*",
        "--dpkgopt=path-exclude=/usr/share/doc/*",
    ]
    /// Where the app is copied in the image.
    public static let appDirectory = "/srv/app"
    /// The venv the Python servers run with in the image: Debian's Python with the system
    /// packages (Flask, gunicorn) visible, so recipes find `VENV/bin/python` and
    /// `VENV/bin/gunicorn` (a link to Debian's) as on the host.
    public static let venv = "/opt/venv"
    /// The shell command that makes `venv` in an image (stacktop's and the compose export's).
    public static let venvCommand =
        "python3 -m venv --system-site-packages \(venv) && ln -s /usr/bin/gunicorn \(venv)/bin/gunicorn"
    /// The label holding the hash of an image's inputs.
    public static let inputsLabel = "io.stacktop.inputs"

    /// The base image's name: its tag is the hash of what goes into it, so a changed package
    /// list builds a new base and an unchanged one is never rebuilt.
    public static var baseTag: String {
        "localhost/stacktop-base:" + InputHash.of([suite] + basePackages + mmdebstrapOptions)
    }

    /// The repository (without tag) of a topology's stack image: lower case, as image names must be.
    public static func repository(topology: String) -> String {
        "localhost/stacktop-" + topology.lowercased()
    }

    /// The repository of one component's image in a `container: pod` stack.
    public static func repository(topology: String, component: String) -> String {
        repository(topology: topology) + "-" + component.lowercased()
    }

    /// One component's image in a `container: pod` stack: an app server gets the app and the
    /// venv (as the stack image does), a front server only the base, labelled with its name
    /// (its config comes from the mounted run dir).
    public static func componentContainerfile(base: String, inputs: String, component: String, withApp: Bool) -> String
    {
        if withApp { return stackContainerfile(base: base, inputs: inputs) }
        return """
            # Written by stacktop: the image of component '\(component)' of a `container: pod` topology.
            FROM \(base)
            LABEL \(inputsLabel)="\(inputs)"
            """ + "\n"
    }

    /// The stack image's Containerfile for a launch: base, the app, the venv. The servers'
    /// configs come from the run dir, which the container mounts at the same path (so the
    /// host sees the same sockets, logs and command lines as stacktop wrote them).
    public static func stackContainerfile(base: String, inputs: String) -> String {
        """
        # Written by stacktop: the stack image of a `container: true` topology.
        FROM \(base)
        LABEL \(inputsLabel)="\(inputs)"
        COPY app/ \(appDirectory)/
        RUN \(venvCommand)
        """ + "\n"
    }

    /// The topology and context to render the in-container plan with: the app from the image,
    /// the image's venv and Debian's server paths; everything else as on the host.
    public static func adapt(_ topology: Topology, context: LaunchContext) -> (Topology, LaunchContext) {
        var topology = topology
        var context = context
        topology.app.directory = appDirectory
        topology.app.venv = nil
        context.venv = venv
        context.tools = Toolchain()
        return (topology, context)
    }
}

/// A short, stable hash of text inputs (two FNV-1a 64-bit hashes with different offsets, hex):
/// an image cache key, not a security measure.
public enum InputHash {
    public static func of(_ parts: [String]) -> String {
        var a: UInt64 = 0xcbf2_9ce4_8422_2325
        var b: UInt64 = 0x8422_2325_cbf2_9ce4
        for part in parts {
            for byte in part.utf8 + [0] {
                a = (a ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
                b = (b ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
                b = (b << 7) | (b >> 57)
            }
        }
        return hex(a) + hex(b)
    }

    private static func hex(_ v: UInt64) -> String {
        let s = String(v, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }
}
