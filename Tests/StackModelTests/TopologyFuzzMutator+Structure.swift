/// Structure-level mutations: wrong types, misspelt keys, unknown kinds, bad numbers and names.
///
/// These work on `key: value` lines found by a rough scan (good enough to aim at keys the
/// loader reads), so the loader's checks, not only its YAML parser, get broken input.
extension TopologyFuzzMutator {
    /// A line of the form `INDENT[- ]KEY: VALUE` and its parts.
    struct KeyLine {
        let index: Int
        let indent: String
        let key: String
        let value: String
    }

    static let kinds = [
        "nginx", "apache", "lighttpd", "gunicorn", "uwsgi", "waitress", "werkzeug",
        "flup", "mod_wsgi", "supervisord",
    ]
    static let componentKeys = [
        "server", "workers", "threads", "mode", "listen", "host", "port",
        "protocol", "upstream", "inside", "supervises",
    ]
    static let otherTypes = [
        "[]", "{}", "[a, b]", "{x: 1}", "~", "null", "''", "\"\"", "true", "no", "1.5", "0x1F", "1e9",
        "-", "|\n  block", ">-", "2001-12-14", ".inf", ".nan", "0o17", "+5", "007", "1_000", "[[1]]",
        "!!binary aGk=", "{a: [b, {c: d}]}", "\"multi\nline\"", "? complex\n: key", "- item",
    ]
    static let wrongKinds = [
        "nginxx", "Gunicorn", "NGINX", "mod-wsgi", "modwsgi", "uwsgi2", "apache2",
        "httpd", "caddy", "", "supervisor", "flup6", "wsgi", "gunicorn nginx",
        "[nginx]", "{server: nginx}", "\"nginx\"", "'uwsgi'", "nginx # comment",
    ]
    static let badNumbers = [
        "0", "-1", "-0", "65536", "65535", "1", "10000", "10001", "1025", "256",
        "99999999999999999999", "-99999999999999999999", "9223372036854775807",
        "9223372036854775808", "-9223372036854775808", "-9223372036854775809",
        "1e400", "1_000", "0b101", "0x10", "0777", "+80", "8 0", "٣", "１２",
        "3.0", "2.", "NaN", "auto", "Auto", "'80'", "\"8080\"",
    ]
    static let shellValues = [
        ";$(rm -rf /)", "`reboot`", "a && b", "$(id)", "| cat /etc/passwd",
        "'; DROP TABLE x; --", "../../../../etc/passwd", "/tmp/x y", "$HOME",
        "%s%s%s%n", "${IFS}", "a\\nb", "--help", "-rf", "*", "~root", "\"$(id)\"",
        "'$(id)'", "127.0.0.1; rm -rf /", "app:app;rm", "app:app$(id)",
    ]
    static let names = [
        "front", "app", "supervisor", "gunicorn", "uwsgi", "Front", "9app", "a_b",
        "app.1", "-x", "x-", "é", "front ", "", "a", String(repeating: "n", count: 300),
    ]

    /// Every line that looks like `key: value`, in file order.
    func keyLines() -> [KeyLine] {
        lines.indices.compactMap { i in
            let line = lines[i]
            guard let colon = line.firstIndex(of: ":") else { return nil }
            let head = line[..<colon]
            let indent = head.prefix { $0 == " " || $0 == "-" }
            let key = head.dropFirst(indent.count)
            guard !key.isEmpty, !key.contains("#"), !key.contains("\"") else { return nil }
            let value = line[line.index(after: colon)...].drop { $0 == " " }
            return KeyLine(index: i, indent: String(indent), key: String(key), value: String(value))
        }
    }

    /// A random `key: value` line, preferring those whose key is in `keys` when there are any.
    mutating func anyKeyLine(preferring keys: Set<String> = []) -> KeyLine? {
        let all = keyLines()
        let preferred = all.filter { keys.contains($0.key) }
        if !preferred.isEmpty, random.chance(85) { return random.pick(preferred) }
        return all.isEmpty ? nil : random.pick(all)
    }

    mutating func setValue(of line: KeyLine, to value: String) {
        lines[line.index] = line.indent + line.key + ":" + (value.isEmpty ? "" : " " + value)
    }

    mutating func retypeValue() {
        guard let line = anyKeyLine() else { return }
        setValue(of: line, to: random.pick(Self.otherTypes))
    }

    mutating func misspellKey() {
        guard let line = anyKeyLine() else { return }
        var key = Array(line.key)
        let i = random.below(key.count)
        switch random.below(6) {
        case 0: key.remove(at: i)
        case 1: key.insert(key[i], at: i)
        case 2: if i + 1 < key.count { key.swapAt(i, i + 1) } else { key.append("s") }
        case 3: key = Array(line.key.uppercased())
        case 4: key[i] = random.pick(["_", "-", " ", "0", "ё"])
        default: key = Array("x-" + line.key)
        }
        lines[line.index] = line.indent + String(key) + ":" + (line.value.isEmpty ? "" : " " + line.value)
    }

    mutating func unknownKind() {
        guard let line = anyKeyLine(preferring: ["server"]) else { return }
        setValue(of: line, to: random.pick(Self.wrongKinds + Self.kinds))
    }

    mutating func badNumber() {
        let numeric: Set<String> = ["workers", "threads", "port", "rate"]
        let candidates = keyLines().filter { numeric.contains($0.key) || $0.key.hasPrefix("/") }
        guard let line = candidates.isEmpty ? anyKeyLine() : random.pick(candidates) else { return }
        setValue(of: line, to: random.pick(Self.badNumbers))
    }

    mutating func shellValue() {
        guard let line = anyKeyLine(preferring: ["name", "module", "dir", "venv", "host", "inside"]) else { return }
        let value = random.pick(Self.shellValues)
        if random.chance(25) {
            lines[line.index] = line.indent + value + ": " + line.value
        } else {
            setValue(of: line, to: random.chance(30) ? "\"" + value.replacingAll("\"", with: "\\\"") + "\"" : value)
        }
    }

    /// Renames a component (its key under `components:`), so references to it break.
    mutating func renameComponent() {
        let components = keyLines().filter { $0.indent == "  " && $0.value.isEmpty }
        guard !components.isEmpty else { return }
        let line = random.pick(components)
        lines[line.index] = "  " + random.pick(Self.names) + ":"
    }

    mutating func brokenReference() {
        guard let line = anyKeyLine(preferring: ["upstream", "supervises", "inside"]) else { return }
        let name = random.pick(Self.names)
        let other = random.pick(Self.names)
        let values = [
            "[\(name)]", "[\(name), \(other)]", "[\(name), \(name)]", "[]", name, "[[\(name)]]",
            "{\(name): 1}", "[\(name), ~]", "[front, app, supervisor]",
        ]
        setValue(of: line, to: random.pick(values))
    }

    /// Adds a component with a random kind and a few random keys, valid values or not.
    mutating func addComponent() {
        var block = ["  " + random.pick(Self.names) + ":"]
        if random.chance(90) { block.append("    server: " + random.pick(Self.kinds + ["caddy"])) }
        for _ in 0..<random.int(in: 0...4) {
            let key = random.pick(Self.componentKeys)
            let values = [
                "2", "0", "auto", "unix", "tcp", "http", "uwsgi", "fastcgi", "fork", "threaded",
                "[app]", "[front]", "[app, front]", "front", "app", "::1", "localhost", "10.0.0.1",
                random.pick(Self.badNumbers), random.pick(Self.names), random.pick(Self.kinds),
            ]
            block.append("    \(key): " + random.pick(values))
        }
        let at = (lines.firstIndex { $0.hasPrefix("components:") }).map { $0 + 1 } ?? lines.count
        lines.insert(contentsOf: block, at: min(at + random.below(3), lines.count))
    }

    mutating func unknownTopKey() {
        let key = random.pick(["nmae", "Description", "component", "trafic", "version", "x", "apps", "<<"])
        let value = random.pick(["1", "", "[a]", "{b: c}", "*a", "|\n  text"])
        lines.insert(key + ":" + (value.isEmpty ? "" : " " + value), at: random.below(lines.count + 1))
    }

    /// Puts an anchor, a tag, an alias or a merge key on a value.
    mutating func anchorsAndTags() {
        guard let line = anyKeyLine() else { return }
        switch random.below(5) {
        case 0:
            setValue(
                of: line,
                to: random.pick([
                    "&a ", "&x1 ", "!!str ", "!!int ", "!!float ", "!!null ",
                    "!!bool ", "!!seq ", "!!map ", "!custom ", "! ",
                ]) + line.value)
        case 1: setValue(of: line, to: random.pick(["*a", "*x1", "*undefined", "*"]))
        case 2: lines.insert(line.indent + "<<: *a", at: line.index + 1)
        case 3: setValue(of: line, to: "&a [*a]")
        default:
            // A small "billion laughs": nine aliases of nine aliases, never expanded by the loader.
            lines.insert("x0: &l0 [a, a, a, a, a, a, a, a, a]", at: 0)
            for level in 1..<6 {
                let refs = Array(repeating: "*l\(level - 1)", count: 9).joined(separator: ", ")
                lines.insert("x\(level): &l\(level) [\(refs)]", at: level)
            }
        }
    }
}

private extension String {
    func replacingAll(_ target: Character, with replacement: String) -> String {
        var result = ""
        for character in self { if character == target { result += replacement } else { result.append(character) } }
        return result
    }
}
