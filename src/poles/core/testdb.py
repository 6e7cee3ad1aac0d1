"""Print the PostgreSQL URL the suite should run against, or nothing when none answers.

`DATABASE_URL` wins when it names PostgreSQL; otherwise a server on 127.0.0.1:5432 is used with
a database named `poles` (pytest-django creates and drops `test_poles`, never touching others).
"""

from __future__ import annotations

import os
import socket


def postgres_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        return url
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=1):
            pass
    except OSError:
        return ""
    user = os.environ.get("PGUSER", "postgres")
    return f"postgres://{user}@127.0.0.1:5432/poles"


if __name__ == "__main__":
    print(postgres_url())
