"""A real site for tests across processes: a SQLite file, gunicorn, the task worker, HTTP clients.

The test process never opens the site's database through Django (its own connection points to
the test database): it asks the site with `poles` commands, HTTP requests, or plain sqlite3.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
TESTS = ROOT / "tests"
PASSWORD = "correct-horse-battery-staple-42"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class LiveSite:
    """One migrated SQLite file with a cluster, its manager and API tokens; processes on demand."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.database = directory / "site.sqlite3"
        (directory / "cache").mkdir(exist_ok=True)
        self.env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{self.database}",
            "POLES_VAR_DIR": str(directory),
            "DJANGO_SETTINGS_MODULE": "livesettings",
            "POLES_TEST_CACHE_DIR": str(directory / "cache"),
            "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(TESTS), os.environ.get("PYTHONPATH", "")]),
            "DEBUG": "0",
        }
        self.processes: list[subprocess.Popen] = []
        self.url = ""

    # -- setting up -------------------------------------------------------------------------------
    def poles(self, *args: str, timeout: float = 300, **env: str) -> subprocess.CompletedProcess:
        done = subprocess.run([sys.executable, "-m", "poles.cli", *args], env={**self.env, **env},
                              capture_output=True, text=True, timeout=timeout)
        assert done.returncode == 0, done.stderr[-3000:]
        return done

    def python(self, code: str, timeout: float = 300) -> str:
        """Run `code` in a process set up on the site's database; returns what it printed."""
        setup = "import django; django.setup()\n"
        done = subprocess.run([sys.executable, "-c", setup + code], env=self.env, capture_output=True,
                              text=True, timeout=timeout)
        assert done.returncode == 0, done.stderr[-3000:]
        return done.stdout

    def create(self) -> dict:
        """Migrate, then a cluster and its manager (with a password): {cluster, slug}."""
        self.poles("migrate", "--no-input", "-v", "0")
        return json.loads(self.python(f"""
import json
from factories import cluster, user
from poles.access.roles import Role
alpha = cluster("Cluster Live", regions=("84",))
user("manager", {{"role": Role.MANAGER, "cluster": alpha}}, password={PASSWORD!r})
print(json.dumps({{"cluster": alpha.pk, "slug": alpha.slug}}))
"""))

    def tokens(self, count: int) -> list[str]:
        """`count` API tokens of the manager, made through the API as a client would."""
        session = self.login()
        made = []
        for n in range(count):
            response = session.post(self.url + "/api/v1/tokens", json={"name": f"client {n}"}, timeout=60,
                                    headers={"X-CSRFToken": session.cookies["csrftoken"], "Referer": self.url + "/"})
            assert response.status_code == 201, response.text
            made.append(response.json()["token"])
        return made

    # -- processes --------------------------------------------------------------------------------
    def start_web(self, *, threads: int = 8, **env: str) -> str:
        port = free_port()
        self._spawn([sys.executable, "-m", "gunicorn", "poles.wsgi", "--bind", f"127.0.0.1:{port}",
                     "--workers", "2", "--threads", str(threads), "--log-level", "warning"], env)
        self.url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                requests.get(self.url + "/accounts/login/", timeout=60)
                return self.url
            except requests.RequestException:
                time.sleep(0.3)
        raise AssertionError("gunicorn did not answer within 120 s")

    def start_worker(self, **env: str) -> subprocess.Popen:
        return self._spawn([sys.executable, "-m", "poles.cli", "worker", "--no-reload", "--no-startup-delay",
                            "--interval", "0.2", "-v", "0"], env)

    def _spawn(self, command: list[str], env: dict[str, str]) -> subprocess.Popen:
        process = subprocess.Popen(command, env={**self.env, **env}, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.PIPE, start_new_session=True)
        self.processes.append(process)
        return process

    def stop(self, process: subprocess.Popen, sig: int = signal.SIGTERM) -> None:
        if process.poll() is None:
            process.send_signal(sig)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def stop_all(self) -> None:
        for process in self.processes:
            self.stop(process)
        self.processes.clear()

    # -- HTTP -------------------------------------------------------------------------------------
    def login(self, language: str = "en") -> requests.Session:
        """A session logged in as the manager, or the login's own response when refused."""
        session = requests.Session()
        session.headers["Accept-Language"] = language
        session.get(self.url + "/accounts/login/", timeout=30)
        session.last = session.post(self.url + "/accounts/login/", timeout=60, data={
            "username": "manager", "password": PASSWORD, "csrfmiddlewaretoken": session.cookies["csrftoken"],
        }, headers={"Referer": self.url + "/accounts/login/"}, allow_redirects=False)
        return session

    def upload(self, session: requests.Session, slug: str, name: str, content: bytes, year: int = 2025) -> int:
        """Send a members file from the import page and confirm its preview; returns the job's id."""
        page = self.url + f"/workspace/{slug}/import/"
        session.get(page, timeout=30)
        response = session.post(page, data={"year": str(year), "csrfmiddlewaretoken": session.cookies["csrftoken"]},
                                files={"file": (name, content, "text/csv")}, headers={"Referer": page},
                                allow_redirects=False, timeout=120)
        assert response.status_code == 302, response.text[-2000:]
        job = int(re.search(r"/import/(\d+)/", response.headers["Location"])[1])
        confirm = self.url + f"/workspace/{slug}/import/{job}/confirm/"
        response = session.post(confirm, data={"csrfmiddlewaretoken": session.cookies["csrftoken"]},
                                headers={"Referer": page}, allow_redirects=False, timeout=120)
        assert response.status_code == 302, response.text[-2000:]
        return job

    def job_status(self, session: requests.Session, slug: str, job: int) -> str:
        """The job's status block as the page polls it (HTMX)."""
        return session.get(self.url + f"/workspace/{slug}/import/{job}/", headers={"HX-Request": "true"},
                           timeout=60).text

    # -- reading the database as it is on disk -----------------------------------------------------
    def query(self, sql: str, *params) -> list[tuple]:
        import sqlite3

        connection = sqlite3.connect(self.database, timeout=60)
        try:
            return connection.execute(sql, params).fetchall()
        finally:
            connection.close()


def members_csv(count: int, *, start: int = 0, prefix: str = "Imported Org") -> bytes:
    """A members file of `count` valid rows (distinct SIRENs, Luhn-valid)."""
    from factories import siren

    lines = ["nom;siren;cotisation"] + [f"{prefix} {n};{siren(start + n)};100" for n in range(count)]
    return ("\n".join(lines) + "\n").encode()
