"""Settings of the live-site tests: the project's, with a cache every process shares.

The progress store and heartbeats must be visible across processes (gunicorn, worker, test);
a file-based cache in the test's directory is one such cache.
"""

import os

from poles.settings import *  # noqa: F403

CACHES = {"default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                      "LOCATION": os.environ["POLES_TEST_CACHE_DIR"]}}
