"""Settings for the benchmark: the app's own settings, without debug, plus a bare view.

Selected with DJANGO_SETTINGS_MODULE=bench.settings (the runner sets it, for itself and for
gunicorn). Everything else comes from the environment exactly as for the app: the runner points
TAFEL_VAR_DIR at a temporary folder (SQLite database, mailbox) and DATABASE_URL at its own
PostgreSQL database.
"""

from mediation.settings import *  # noqa: F403

# Debug mode keeps every query in memory and shows debug pages: measure the app as it runs in
# production instead. Production mode itself is not used, since it needs real secrets and TLS.
DEBUG = False
ROOT_URLCONF = "bench.urls"
