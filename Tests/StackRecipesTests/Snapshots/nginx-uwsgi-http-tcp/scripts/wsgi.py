"""WSGI entry point written by stacktop for mod_wsgi and uWSGI.

It puts the app directory first on sys.path, imports the module and exposes the
callable as `application` (the name both servers look for).
"""
import importlib
import sys

APP_DIR = '/APP'
MODULE = 'app'
CALLABLE = 'app'

if APP_DIR not in sys.path:
    sys.path.insert(0, APP_DIR)

application = importlib.import_module(MODULE)
for _name in CALLABLE.split("."):
    application = getattr(application, _name)
