import Testing
@testable import Discovery

/// Reading `nginx -T` output: includes expanded, upstreams resolved, logs made absolute.
struct NginxConfigTests {
    static let dump = """
        # configuration file /tmp/d/nginx.conf:
        worker_processes 2;  pid nginx.pid;  error_log nginx-error.log info;
        events { worker_connections 1024; }
        http {
          include /etc/nginx/mime.types;
          include /tmp/d/sites/*.conf;
          access_log nginx-access.log;
          upstream app { server unix:/tmp/d/gunicorn.sock; }
          server { listen 127.0.0.1:18004;
            location / { proxy_pass http://app; proxy_set_header Host $host; } }
        }

        # configuration file /etc/nginx/mime.types:
        types { text/html html; }

        # configuration file /tmp/d/sites/uwsgi.conf:
        server {
          listen 18007;
          access_log "/var/log/u access.log" combined; # a comment { ;
          location / { include /etc/nginx/uwsgi_params; uwsgi_pass unix:/tmp/d/uwsgi.sock; }
          location /f { fastcgi_pass 127.0.0.1:9000; }
        }
        """

    @Test func serversWithForwardsAndLogs() throws {
        let config = try NginxConfig.parse(dump: Self.dump, mainPath: "/tmp/d/nginx.conf", prefix: "/tmp/d/")
        let first = config.servers(listeningOn: 18004)
        #expect(first.count == 1)
        #expect(first[0].listens == [.tcp(host: "127.0.0.1", port: 18004)])
        #expect(
            first[0].forwards == [NginxConfig.Forward(proto: "http", endpoint: .unix(path: "/tmp/d/gunicorn.sock"))])
        #expect(first[0].accessLogs == ["/tmp/d/nginx-access.log"])
        #expect(first[0].errorLogs == ["/tmp/d/nginx-error.log"])
        let second = config.servers(listeningOn: 18007)
        #expect(second.count == 1)
        #expect(second[0].forwards.map(\.proto) == ["uwsgi", "fastcgi"])
        #expect(second[0].forwards.first?.endpoint == .unix(path: "/tmp/d/uwsgi.sock"))
        #expect(second[0].accessLogs == ["/var/log/u access.log"])
        #expect(config.servers(listeningOn: 1).isEmpty)
    }

    @Test func unbalancedBracesNameTheFileAndLine() {
        let dump = "# configuration file /tmp/x.conf:\nhttp {\n server {\n}\n"
        do {
            _ = try NginxConfig.parse(dump: dump, mainPath: "/tmp/x.conf", prefix: "/tmp/")
            Issue.record("no error")
        } catch {
            #expect(error.description == "/tmp/x.conf: line 1: \"{\" is never closed")
        }
    }

    @Test func globsMatchLikeIncludes() {
        #expect(Glob.matches("/etc/nginx/sites-enabled/*", "/etc/nginx/sites-enabled/default"))
        #expect(Glob.matches("/a/*.conf", "/a/b.conf"))
        #expect(!Glob.matches("/a/*.conf", "/a/b.txt"))
    }
}

/// Reading Apache's configuration files (as DUMP_INCLUDES lists them).
struct ApacheConfigTests {
    @Test func includesListenLogsDaemonsAndProxies() {
        let dump = """
            Included configuration files:
              (*) /srv/a/httpd.conf
                (12) /srv/a/extra.conf
            """
        #expect(ApacheConfig.files(dumpIncludes: dump) == ["/srv/a/httpd.conf", "/srv/a/extra.conf"])
        let main = """
            ServerRoot "/srv/a"
            Listen 127.0.0.1:8080
            ErrorLog logs/error.log
            CustomLog "logs/access log" common
            # WSGIDaemonProcess commented out=1
            <VirtualHost *:8080>
              WSGIDaemonProcess site processes=3 threads=4 \\
                  display-name=%{GROUP}
            </VirtualHost>
            """
        let extra =
            "Listen 9090\nCustomLog |/usr/bin/rotatelogs x\nProxyPass /api unix:/run/api.sock|http://localhost/\n"
        let c = ApacheConfig.parse(
            [("/srv/a/httpd.conf", main), ("/srv/a/extra.conf", extra)], serverRoot: "/etc/apache2")
        #expect(c.listens == [.tcp(host: "127.0.0.1", port: 8080), .tcp(host: "0.0.0.0", port: 9090)])
        #expect(c.errorLogs == ["/srv/a/logs/error.log"])
        #expect(c.accessLogs == ["/srv/a/logs/access log"])
        #expect(c.daemons == [ApacheConfig.DaemonGroup(name: "site", title: "(wsgi:site)", processes: 3)])
        #expect(c.proxies == [.unix(path: "/run/api.sock")])
    }

    @Test func dumpKeepsTheParentsOwnOptions() {
        #expect(
            ApacheConfig.dumpInvocation(parentArgs: [
                "/usr/sbin/apache2", "-f", "/srv/a/httpd.conf", "-DFOREGROUND", "-D", "SSL",
            ])
                == ["/usr/sbin/apache2", "-f", "/srv/a/httpd.conf", "-D", "SSL", "-t", "-D", "DUMP_INCLUDES"])
        #expect(
            ApacheConfig.dumpInvocation(parentArgs: ["/usr/sbin/apache2", "-k", "start"])
                == ["/usr/sbin/apache2ctl", "-t", "-D", "DUMP_INCLUDES"])
    }
}

/// Reading `lighttpd -p` output.
struct LighttpdConfigTests {
    @Test func portLogsAndSpawnedBackends() {
        let text = """
            config {
                var.PID              = 19157
                server.bind          = "127.0.0.1"
                server.port          = 18997
                server.errorlog      = "/srv/l/error.log"
                accesslog.filename   = "/srv/l/access.log"
                fastcgi.server       = (
                    "/" => (
                        (
                            "socket"              => "/srv/l/fcgi.sock",
                            "bin-path"            => "/v/bin/python3 /srv/l/fcgi.py",
                            "max-procs"           => 2,
                        ),
                    ),
                )
            }
            """
        let c = LighttpdConfig.parse(text)
        #expect(c.bind == "127.0.0.1" && c.port == 18997)
        #expect(c.accessLogs == ["/srv/l/access.log"] && c.errorLogs == ["/srv/l/error.log"])
        #expect(
            c.backends == [
                LighttpdConfig.Backend(
                    socket: "/srv/l/fcgi.sock", host: nil, port: nil,
                    binPath: "/v/bin/python3 /srv/l/fcgi.py")
            ])
    }
}
