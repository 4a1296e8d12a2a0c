/// Quoting for each config syntax stacktop writes, and the checks that refuse values a syntax
/// cannot carry safely. Topology values never reach a shell; these make sure they cannot change
/// the meaning of a config file either.
enum ConfigSyntax {
    /// A Python string literal ('…') for any string: quotes, backslashes and control characters
    /// are escaped, so a module name like `app;$(x)` stays data.
    static func python(_ s: String) -> String {
        var out = "'"
        for u in s.unicodeScalars {
            switch u {
            case "\\": out += "\\\\"
            case "'": out += "\\'"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 || u.value == 0x7f {
                    out += "\\x" + hex(u.value, width: 2)
                } else if u.value >= 0x80 && !u.properties.isAlphabetic {
                    out += u.value > 0xffff ? "\\U" + hex(u.value, width: 8) : "\\u" + hex(u.value, width: 4)
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out + "'"
    }

    /// One argv word for supervisord's `command=` line, which supervisord expands with Python's
    /// `%` operator and then splits with `shlex.split`. Plain words stay readable; others are
    /// single-quoted, with whitespace and `'` escaped outside the quotes (so configparser never
    /// sees ` ;` or ` #`, its inline comment markers).
    static func supervisorWord(_ s: String) -> String {
        let plain = s.unicodeScalars.allSatisfy { safeWordScalars.contains($0) }
        if plain && !s.isEmpty { return s.replacingAll("%", with: "%%") }
        if s.isEmpty { return "''" }
        var out = ""
        var open = false
        for ch in s {
            if ch == " " || ch == "\t" || ch == "'" {
                if open { out += "'"; open = false }
                out += "\\" + String(ch)
            } else {
                if !open { out += "'"; open = true }
                out += ch == "%" ? "%%" : String(ch)
            }
        }
        if open { out += "'" }
        return out
    }

    /// A double-quoted string for nginx, Apache or lighttpd configs (backslash and quote escaped).
    static func quoted(_ s: String) -> String {
        "\"" + s.replacingAll("\\", with: "\\\\").replacingAll("\"", with: "\\\"") + "\""
    }

    /// An Apache directive argument: bare when it has no whitespace, otherwise double-quoted.
    static func apacheWord(_ s: String) -> String {
        s.contains(where: { $0 == " " || $0 == "\t" }) ? quoted(s) : s
    }

    /// Refuses `value` when it contains any of `forbidden` (or a line break / NUL, which no
    /// config line can hold), naming the component, what the value is, and why.
    static func check(
        _ value: String, component: String, what: String,
        forbidden: [String] = [], because reason: String = ""
    ) throws(RecipeError) {
        if value.contains(where: { $0 == "\n" || $0 == "\r" || $0 == "\0" }) {
            throw .unsafe(
                component, "\(what) \(debug(value)) contains a line break or NUL byte, which no config file can carry")
        }
        for f in forbidden where value.contains(f) {
            throw .unsafe(component, "\(what) \(debug(value)) contains \(debug(f)): \(reason)")
        }
    }

    /// A value for a `KEY=value` pair of supervisord's `environment=`, which supervisord splits
    /// with a non-POSIX shlex and strips of quote characters at both ends.
    static func supervisorEnvValue(_ value: String, component: String, key: String) throws(RecipeError) -> String {
        try check(
            value, component: component, what: "environment value \(key)",
            forbidden: [" ;", " #", "\t;", "\t#"],
            because: "supervisord.conf would read it as the start of a comment")
        let quote: Character
        if !value.contains("\"") {
            quote = "\""
        } else if !value.contains("'") {
            quote = "'"
        } else {
            throw .unsafe(
                component,
                "environment value \(key) \(debug(value)) contains both quote characters, which supervisord's environment= cannot carry"
            )
        }
        if value.first == "'" || value.last == "'" {
            throw .unsafe(
                component,
                "environment value \(key) \(debug(value)) starts or ends with a quote, which supervisord strips")
        }
        return String(quote) + value.replacingAll("%", with: "%%") + String(quote)
    }

    /// A path as the whole value of a supervisord option (`directory=`): `%` doubled.
    static func supervisorPath(_ value: String, component: String, what: String) throws(RecipeError) -> String {
        try check(
            value, component: component, what: what, forbidden: [" ;", " #"],
            because: "supervisord.conf would read it as the start of a comment")
        if value.first?.isWhitespace == true || value.last?.isWhitespace == true {
            throw .unsafe(
                component, "\(what) \(debug(value)) starts or ends with whitespace, which supervisord.conf drops")
        }
        return value.replacingAll("%", with: "%%")
    }

    /// A value shown inside an error message, quoted and with control characters visible.
    static func debug(_ s: String) -> String { s.debugDescription }

    private static let safeWordScalars = Set(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_@%+=:,./-".unicodeScalars)

    private static func hex(_ v: UInt32, width: Int) -> String {
        let s = String(v, radix: 16)
        return String(repeating: "0", count: max(0, width - s.count)) + s
    }
}

extension String {
    /// Every occurrence of `target` replaced (Foundation-free).
    func replacingAll(_ target: String, with replacement: String) -> String {
        target.isEmpty ? self : replacing(target, with: replacement)
    }
}
