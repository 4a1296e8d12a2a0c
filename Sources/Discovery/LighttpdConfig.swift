/// lighttpd's configuration as `lighttpd -p -f CONFIG` prints it (includes and variables
/// already resolved), read for where it listens, its logs and the FastCGI backends it spawns.
/// Pure; line-based, which the printed form allows (one `key = value` or `"key" => value` a line).
public struct LighttpdConfig: Sendable, Equatable {
    /// One `fastcgi.server` backend: its socket and, when lighttpd spawns it, the command.
    public struct Backend: Sendable, Equatable {
        public var socket: String?
        public var host: String?
        public var port: Int?
        public var binPath: String?
    }

    public var bind: String?
    public var port: Int?
    public var accessLogs: [String] = []
    public var errorLogs: [String] = []
    public var backends: [Backend] = []

    public static func parse(_ text: String) -> LighttpdConfig {
        var c = LighttpdConfig()
        var current: Backend?
        for raw in text.split(separator: "\n") {
            let line = String(raw).trimmingCharacters(in: " \t")
            guard let (key, value) = pair(line) else {
                if line.hasPrefix(")"), let b = current { c.backends.append(b); current = nil }
                continue
            }
            switch key {
            case "server.bind": c.bind = value
            case "server.port": c.port = Int(value)
            case "accesslog.filename": c.accessLogs.append(value)
            case "server.errorlog": c.errorLogs.append(value)
            case "socket": current = current ?? Backend(); current?.socket = value
            case "host": current = current ?? Backend(); current?.host = value
            case "port": current = current ?? Backend(); current?.port = Int(value)
            case "bin-path": current = current ?? Backend(); current?.binPath = value
            default: continue
            }
        }
        if let b = current { c.backends.append(b) }
        return c
    }

    /// `key = value` or `"key" => value` (quotes and a trailing comma removed).
    static func pair(_ line: String) -> (String, String)? {
        let separator = line.range(of: "=>") ?? line.range(of: "=")
        guard let separator else { return nil }
        func clean(_ s: Substring) -> String {
            var t = String(s).trimmingCharacters(in: " \t")
            if t.hasSuffix(",") { t.removeLast() }
            return t.trimmingCharacters(in: "\"")
        }
        let key = clean(line[..<separator.lowerBound])
        let value = clean(line[separator.upperBound...])
        return key.isEmpty || value.isEmpty || value == "(" ? nil : (key, value)
    }
}
