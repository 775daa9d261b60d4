"""The ``xieshang`` console command: ``manage.py`` plus our own subcommands.

Our subcommands (``demo``, ``roster``, ``holidays``…) are ordinary management
commands, so ``xieshang help`` lists them beside Django's own.
"""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xieshang.settings")
    # After the settings module is set: Django reads it on import.
    from django.core.management import execute_from_command_line

    execute_from_command_line(["xieshang", *sys.argv[1:]])


if __name__ == "__main__":
    main()
