"""The `poles` console script: Django's management commands plus ours.

`poles observatory …` runs without Django (the observatory never imports it).
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    """Dispatch to the observatory CLI or to Django's management utility."""
    argv = list(sys.argv if argv is None else argv)
    if len(argv) > 1 and argv[1] == "observatory":
        from poles.observatory.cli import main as observatory_main

        sys.exit(observatory_main(argv[2:]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "poles.settings")
    from django.core.management import execute_from_command_line

    argv[0] = "poles"
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
