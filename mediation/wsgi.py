"""WSGI entry point for Tafel (for example `gunicorn mediation.wsgi`)."""

import os
import sys

from django.core.wsgi import get_wsgi_application

from mediation.env import MissingSetting

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mediation.settings")

try:
    application = get_wsgi_application()
except MissingSetting as exc:
    # One line that names the missing variable, not a traceback.
    sys.exit(f"Tafel cannot start: {exc}")
