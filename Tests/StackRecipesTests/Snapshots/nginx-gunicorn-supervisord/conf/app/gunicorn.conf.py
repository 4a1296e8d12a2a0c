# gunicorn.conf.py for component "app", written by stacktop.
# Start it with: gunicorn --config THIS_FILE  (every setting is here, the app too)

wsgi_app = 'app:app'
# With setproctitle installed, ps shows `gunicorn: master [NAME]` and
# `gunicorn: worker [NAME]`.
proc_name = 'app:app'
# gunicorn puts chdir first on sys.path, so the app's module is found there.
chdir = '/APP'

bind = ['unix:/RUN/run/app.sock']
# umask 0: a unix socket is created world-connectable, so a front server whose
# workers run as another user (nginx: nobody) can connect.
umask = 0

workers = 2
threads = 1
# gunicorn's default, written out: a worker silent this long is killed and replaced.
timeout = 30

# Keep every file gunicorn writes inside stacktop's run dir.
pidfile = '/RUN/run/app.pid'
# gunicorn 27 opens a control socket under ~/.gunicorn by default.
control_socket = '/RUN/run/app.ctl'
worker_tmp_dir = '/RUN/tmp'

# The error log goes to stderr, which stacktop (or supervisord) captures.
errorlog = '-'
loglevel = 'info'
# The access log in stacktop's format (see AccessLogFormat.gunicorn).
accesslog = '/RUN/logs/app.access.log'
access_log_format = 'time=%(t)s status=%(s)s request_time_us=%(D)s worker_pid=%(p)s request="%(r)s"'
