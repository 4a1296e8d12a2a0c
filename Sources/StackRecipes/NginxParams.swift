/// What nginx tells the app about each request when it speaks uwsgi or FastCGI: the standard
/// `uwsgi_params` / `fastcgi_params`, written into the config instead of included, so the
/// request's Host reaches the app as the client sent it (port included) on every distribution.
///
/// Debian's nginx 1.22.1-9+deb12u11 (and later) ships params files that set `HTTP_HOST $host`,
/// which drops the port: an app building absolute URLs (redirects) would then point clients at
/// port 80, outside the stack. stacktop binds loopback only, so passing the client's Host as sent
/// exposes nothing; `if_not_empty` leaves it out for a client that sent none (HTTP/1.0), and the
/// app falls back to SERVER_NAME and SERVER_PORT, as WSGI says.
enum NginxParams {
    /// Request variables common to both protocols, as (name, nginx value).
    static let common: [(String, String)] = [
        ("QUERY_STRING", "$query_string"),
        ("REQUEST_METHOD", "$request_method"),
        ("CONTENT_TYPE", "$content_type"),
        ("CONTENT_LENGTH", "$content_length"),
        ("REQUEST_URI", "$request_uri"),
        ("SERVER_PROTOCOL", "$server_protocol"),
        ("REQUEST_SCHEME", "$scheme"),
        ("HTTPS", "$https if_not_empty"),
        ("REMOTE_ADDR", "$remote_addr"),
        ("REMOTE_PORT", "$remote_port"),
        ("SERVER_PORT", "$server_port"),
        ("SERVER_NAME", "$server_name"),
        // The client's Host as sent, with its port; then the usual proxy headers.
        ("HTTP_HOST", "$http_host if_not_empty"),
        ("HTTP_X_FORWARDED_FOR", "$proxy_add_x_forwarded_for"),
        ("HTTP_X_FORWARDED_PROTO", "$scheme"),
    ]

    /// The `uwsgi_param` lines of a `location`.
    static var uwsgi: [String] {
        lines("uwsgi_param", [("PATH_INFO", "$document_uri"), ("DOCUMENT_ROOT", "$document_root")] + common)
    }

    /// The `fastcgi_param` lines of a `location`; the app is mounted at `/`, so the whole path
    /// is PATH_INFO and SCRIPT_NAME is empty.
    static var fastcgi: [String] {
        lines(
            "fastcgi_param",
            [
                ("SCRIPT_NAME", "\"\""),
                ("PATH_INFO", "$uri"),
                ("DOCUMENT_URI", "$document_uri"),
                ("DOCUMENT_ROOT", "$document_root"),
                ("GATEWAY_INTERFACE", "CGI/1.1"),
                ("SERVER_SOFTWARE", "nginx/$nginx_version"),
                ("REMOTE_USER", "$remote_user"),
                ("SERVER_ADDR", "$server_addr"),
                ("REDIRECT_STATUS", "200"),
            ] + common)
    }

    private static func lines(_ directive: String, _ params: [(String, String)]) -> [String] {
        let width = params.map(\.0.count).max() ?? 0
        return params.map { name, value in
            "            \(directive) \(name)\(String(repeating: " ", count: width - name.count + 1))\(value);"
        }
    }
}
