"""`poles serve`: the web server (gunicorn) and the task worker, started and stopped together.

`make run` ends with it, so that the two commands stay two. Ctrl-C stops both: gunicorn at once,
the worker after its current task; a second Ctrl-C (or GRACE seconds) interrupts that task,
which runs again when a worker next starts. A worker that exits on its own is started again.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

GRACE = 30
"""Seconds the worker may take to finish its task after Ctrl-C."""
RESTART_DELAYS = (1, 2, 5, 10, 30)


class Command(BaseCommand):
    help = "Serve the pages and API with gunicorn on 127.0.0.1:PORT, and run the task worker beside it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT") or 8000))
        parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
        parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
        parser.add_argument("--threads", type=int, default=4,
                            help="threads per gunicorn worker: a request waiting for the database "
                                 "does not hold up the others")
        parser.add_argument("--no-worker", action="store_true", help="run gunicorn only")

    def handle(self, *args, **options) -> None:
        web_command = [
            sys.executable, "-m", "gunicorn", "poles.wsgi", "--bind", f"{options['host']}:{options['port']}",
            "--workers", str(options["workers"]), "--threads", str(options["threads"]),
            "--access-logfile", "-", "--log-level", "warning",
        ]
        worker_command = [sys.executable, "-m", "poles.cli", "worker", "--no-reload"]
        self.stops = 0
        signal.signal(signal.SIGINT, self._stop)
        signal.signal(signal.SIGTERM, self._stop)
        web = _spawn(web_command)
        worker = None if options["no_worker"] else _spawn(worker_command)
        address = f"http://{options['host']}:{options['port']}"
        self.stdout.write(
            (_("poles is serving on %(address)s (Ctrl-C stops it)") if worker is None
             else _("poles is serving on %(address)s, with its task worker (Ctrl-C stops it)"))
            % {"address": address})
        started, restarts = time.monotonic(), 0
        try:
            while not self.stops:
                if web.poll() is not None:
                    self.stderr.write(_("gunicorn stopped (exit code %(code)s); stopping the worker")
                                      % {"code": web.returncode})
                    break
                if worker is not None and worker.poll() is not None:
                    restarts = 0 if time.monotonic() - started > 60 else restarts + 1
                    delay = RESTART_DELAYS[min(restarts, len(RESTART_DELAYS) - 1)]
                    self.stderr.write(_("the task worker stopped (exit code %(code)s); starting it again in "
                                        "%(delay)s s") % {"code": worker.returncode, "delay": delay})
                    if self._sleep(delay):
                        break
                    worker, started = _spawn(worker_command), time.monotonic()
                time.sleep(0.2)
        finally:
            self._shut_down(web, worker)
        if web.returncode not in (0, -signal.SIGTERM, None) and not self.stops:
            sys.exit(1)

    def _stop(self, signum: int, frame: object) -> None:
        self.stops += 1

    def _sleep(self, seconds: float) -> bool:
        """Sleep unless asked to stop; True when asked."""
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            if self.stops:
                return True
            time.sleep(0.1)
        return bool(self.stops)

    def _shut_down(self, web: subprocess.Popen, worker: subprocess.Popen | None) -> None:
        """gunicorn stops at once; the worker finishes its task unless told twice (or after GRACE)."""
        running = [p for p in (web, worker) if p is not None and p.poll() is None]
        for process in running:
            process.send_signal(signal.SIGTERM)
        asked, deadline = self.stops, time.monotonic() + GRACE
        if worker is not None and not _exits_within(worker, 2):
            self.stdout.write(_("waiting for the task worker to finish its task (at most %(seconds)s s; Ctrl-C "
                                "again to interrupt it: the task runs again at the next start)")
                              % {"seconds": GRACE})
        while worker is not None and worker.poll() is None and time.monotonic() < deadline and self.stops <= asked:
            time.sleep(0.1)
        if worker is not None and worker.poll() is None:
            worker.send_signal(signal.SIGTERM)  # a second signal interrupts the task
        for process in (web, worker):
            if process is None:
                continue
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _exits_within(process: subprocess.Popen, seconds: float) -> bool:
    try:
        process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        return False
    return True


def _spawn(command: list[str]) -> subprocess.Popen:
    """Start a child in its own session: the terminal's Ctrl-C reaches only `serve`, which relays it."""
    return subprocess.Popen(command, start_new_session=True)  # noqa: S603 — our own commands (sys.executable -m poles.cli …), no shell
