"""The task queue: Django's tasks API, stored in the database and run by `poles worker`.

Django 5.2 has no `django.tasks`; the `django-tasks` package is its official backport, with the
same API. On Django 6, replace the import below by `from django.tasks import TaskResultStatus,
task`: callers import from here, so nothing else changes. The store is `django_tasks_db`'s table
in the register's database; its worker is `db_worker`, which `poles worker` extends.
"""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError
from django.utils import timezone
from django_tasks import TaskResultStatus, task

__all__ = ["TaskResultStatus", "abandon", "task"]

log = logging.getLogger(__name__)


class WorkerLost(Exception):
    """Recorded on a task whose worker stopped while running it."""


def abandon(task_id: str, reason: str) -> bool:
    """Mark a task that a dead worker left running as failed, with the reason; True if it was."""
    from django_tasks_db.models import DBTaskResult

    if not task_id:
        return False
    try:
        changed = DBTaskResult.objects.filter(id=task_id, status=TaskResultStatus.RUNNING).update(
            status=TaskResultStatus.FAILED, finished_at=timezone.now(),
            exception_class_path=f"{__name__}.{WorkerLost.__name__}", traceback=reason,
        )
    except (ValidationError, ValueError):
        log.warning("task id %r is not one of the database backend's", task_id)
        return False
    return bool(changed)
