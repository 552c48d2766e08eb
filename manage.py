#!/usr/bin/env python
"""Django's command-line utility for Tafel."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mediation.settings")
    from django.core.management import execute_from_command_line

    from mediation.env import MissingSetting

    try:
        execute_from_command_line(sys.argv)
    except MissingSetting as exc:
        # One line that names the missing variable, not a traceback.
        sys.exit(f"Tafel cannot start: {exc}")


if __name__ == "__main__":
    main()
