"""`poles worker`: the task worker (django-tasks-db's `db_worker`) that also recovers lost jobs.

At start, then every POLES_JOB_LEASE seconds, jobs left running by a worker that died (no
heartbeat for a lease) run again or are marked failed with the reason (`importjobs`).
"""

from __future__ import annotations

import logging
import threading

from django.conf import settings
from django.db import connections
from django.utils.translation import gettext as _
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from poles.core import progress
from poles.web.importjobs import recover_stale_jobs

log = logging.getLogger("poles.worker")


def sweep() -> dict[int, str]:
    """One recovery pass; a busy database or a failure is logged, never fatal to the worker."""
    try:
        return recover_stale_jobs()
    except Exception:  # noqa: BLE001 — the next pass tries again
        log.warning("recovery of lost jobs failed; trying again in %s s", settings.POLES_JOB_LEASE, exc_info=True)
        return {}
    finally:
        connections.close_all()


def _sweep_forever(stop: threading.Event) -> None:
    while not stop.wait(settings.POLES_JOB_LEASE):
        sweep()


class Command(DbWorkerCommand):
    help = "Run queued tasks (imports started from pages); recover jobs whose worker died."

    def handle(self, *args, **options) -> None:
        if not progress.is_shared():
            self.stderr.write(_(
                "warning: the cache is private to each process (LocMemCache): pages will not see "
                "import progress and lost jobs are recovered from heartbeats of this worker only. "
                "Use the database cache or Redis (docs/web.md)."
            ))
        recovered = sweep()
        if recovered:
            self.stdout.write(_("recovered jobs left by a stopped worker: %(n)s") % {"n": recovered})
        threading.Thread(target=_sweep_forever, args=(threading.Event(),), name="recover-jobs",
                         daemon=True).start()
        super().handle(*args, **options)
