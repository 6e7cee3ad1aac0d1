"""The import queue on a real site: gunicorn, the task worker and clients in separate processes.

SQLite in a file, as `make run` uses it. These tests kill a worker mid-import, hold the database's
write lock from outside, and run a 40,000-row import while ten API clients write.
"""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time

import pytest
import requests
from livesite import LiveSite, free_port, members_csv

pytestmark = pytest.mark.slow
PROGRESS = re.compile(r"Import in progress… ([^<]*)</p>.*?([\d,]+) of ([\d,]+) rows", re.S)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    live = LiveSite(tmp_path_factory.mktemp("live-site"))
    live.info = live.create()
    yield live
    live.stop_all()


def number(text: str) -> int:
    return int(text.replace(",", ""))


def follow(site: LiveSite, session, job: int, *, timeout: float = 600, seen: list | None = None) -> str:
    """Poll the job's status block as the page does until it stops polling; returns the last one."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        html = site.job_status(session, site.info["slug"], job)
        if seen is not None and (match := PROGRESS.search(html)):
            seen.append((time.monotonic(), match[1].strip(), number(match[2]), number(match[3])))
        if "hx-trigger" not in html:
            return html
        time.sleep(0.2)
    raise AssertionError(f"job {job} still running after {timeout} s")


def test_a_locked_database_answers_503_with_retry_after_never_500(site):
    site.start_web(SQLITE_BUSY_TIMEOUT="1")
    token = site.tokens(1)[0]
    french, english = requests.Session(), requests.Session()
    for session, language in ((french, "fr"), (english, "en")):
        session.headers["Accept-Language"] = language
        session.get(site.url + "/accounts/login/", timeout=30)
    lock = sqlite3.connect(site.database, isolation_level=None)
    lock.execute("BEGIN IMMEDIATE")  # what a long import does: hold the one write lock
    try:
        assert requests.get(site.url + "/", timeout=30).status_code == 200  # reads go on (WAL)
        for session, text in ((french, "Service momentanément occupé"), (english, "Busy for a moment")):
            login = session.post(site.url + "/accounts/login/", timeout=30, allow_redirects=False, data={
                "username": "manager", "password": "correct-horse-battery-staple-42",
                "csrfmiddlewaretoken": session.cookies["csrftoken"]}, headers={"Referer": site.url + "/"})
            assert login.status_code == 503 and login.headers["Retry-After"] == "5"
            assert text in login.text
        write = requests.post(site.url + "/api/v1/organisations", timeout=30, headers={
            "Authorization": f"Bearer {token}", "Accept-Language": "en"},
            json={"name": "Written While Locked", "cluster": site.info["cluster"], "year": 2025})
        assert write.status_code == 503 and write.headers["Retry-After"] == "5"
        assert write.headers["Content-Type"] == "application/problem+json"
        assert "Try again in 5 seconds" in write.json()["detail"]
    finally:
        lock.rollback()
        lock.close()
    again = requests.post(site.url + "/api/v1/organisations", timeout=30, headers={"Authorization": f"Bearer {token}"},
                          json={"name": "Written After The Lock", "cluster": site.info["cluster"], "year": 2025})
    assert again.status_code == 201, again.text
    assert site.login().last.status_code == 302
    site.stop_all()


def test_a_worker_killed_mid_import_is_recovered_and_progress_shows_while_writing(site):
    site.start_web()
    session = site.login()
    worker = site.start_worker(POLES_JOB_LEASE="3")
    job = site.upload(session, site.info["slug"], "killed.csv", members_csv(20_000, start=300_000, prefix="Killed Org"))
    seen: list[tuple[float, str, int, int]] = []
    deadline = time.monotonic() + 300
    while not any(stage.startswith("writing") and 0 < done < total for _, stage, done, total in seen):
        assert time.monotonic() < deadline, f"no write progress seen: {seen[-3:]}"
        html = site.job_status(session, site.info["slug"], job)
        if match := PROGRESS.search(html):
            seen.append((time.monotonic(), match[1].strip(), number(match[2]), number(match[3])))
        time.sleep(0.1)
    # the page read that progress while the worker's transaction was open: nothing is committed yet
    assert site.query("SELECT count(*) FROM registry_organisation WHERE name LIKE 'Killed Org %'") == [(0,)]
    worker.send_signal(signal.SIGKILL)
    worker.wait(timeout=30)
    assert site.query("SELECT status, attempts FROM web_importjob WHERE id = ?", job) == [("running", 1)]
    assert site.query("SELECT count(*) FROM registry_organisation WHERE name LIKE 'Killed Org %'") == [(0,)]
    site.start_worker(POLES_JOB_LEASE="3")
    final = follow(site, session, job)
    assert "Import done." in final
    assert site.query("SELECT status, attempts, length(content) FROM web_importjob WHERE id = ?", job) == [("done", 2, 0)]
    assert site.query("SELECT count(*) FROM registry_organisation WHERE name LIKE 'Killed Org %'") == [(20_000,)]
    assert site.query("SELECT count(*) FROM django_tasks_database_dbtaskresult WHERE status = 'FAILED' "
                      "AND exception_class_path LIKE '%WorkerLost'") == [(1,)]
    site.stop_all()


def test_a_40000_row_import_while_10_api_clients_write_gives_no_500(site):
    site.start_web()
    tokens = site.tokens(10)
    session = site.login()
    site.start_worker()
    job = site.upload(session, site.info["slug"], "members-40000.csv",
                      members_csv(40_000, start=500_000, prefix="Accepted Org"))
    stop = threading.Event()
    answers: list[tuple[float, str, int, str | None]] = []
    sent_at: dict[str, float] = {}

    def client(number: int, token: str) -> None:
        http = requests.Session()
        http.headers["Authorization"] = f"Bearer {token}"
        sent = 0
        while not stop.is_set():
            name = f"Client {number} write {sent}"
            sent += 1
            sent_at[name] = time.monotonic()
            try:
                response = http.post(site.url + "/api/v1/organisations", timeout=120,
                                     json={"name": name, "cluster": site.info["cluster"], "year": 2025})
                answers.append((time.monotonic(), name, response.status_code, response.headers.get("Retry-After")))
            except requests.RequestException as error:
                answers.append((time.monotonic(), name, 0, repr(error)))
            time.sleep(0.05)

    clients = [threading.Thread(target=client, args=(n, token)) for n, token in enumerate(tokens)]
    for thread in clients:
        thread.start()
    seen: list[tuple[float, str, int, int]] = []
    try:
        final = follow(site, session, job, seen=seen)
    finally:
        stop.set()
        for thread in clients:
            thread.join(timeout=180)
    assert "Import done." in final
    counts = {status: sum(1 for a in answers if a[2] == status) for status in {a[2] for a in answers}}
    print(f"{len(answers)} writes while importing: {counts}")
    statuses = {status for _, _, status, _ in answers}
    assert statuses <= {201, 503}, counts
    assert all(retry == "5" for _, _, status, retry in answers if status == 503)
    writing = [moment for moment, stage, _, _ in seen if stage.startswith("writing")]
    assert writing, "the page never showed the write phase"
    # a write overlaps the write phase when it was sent before the phase ended and answered after it began
    during = [a for a in answers if sent_at[a[1]] <= writing[-1] and a[0] >= writing[0]]
    assert during, "no client wrote while the import was writing"
    created = {name for _, name, status, _ in answers if status == 201}
    assert created
    stored = {name for (name,) in site.query("SELECT name FROM registry_organisation WHERE name LIKE 'Client % write %'")}
    assert created <= stored
    assert site.query("SELECT count(*) FROM registry_organisation WHERE name LIKE 'Accepted Org %'") == [(40_000,)]
    assert site.query("SELECT status FROM web_importjob WHERE id = ?", job) == [("done",)]
    site.stop_all()


def children(pid: int) -> list[int]:
    with open(f"/proc/{pid}/task/{pid}/children") as listing:
        return [int(child) for child in listing.read().split()]


def test_serve_runs_gunicorn_and_the_worker_and_ctrl_c_stops_both(site):
    port = free_port()
    serve = subprocess.Popen([sys.executable, "-m", "poles.cli", "serve", "--port", str(port), "--workers", "1"],
                             env=site.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        site.url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 120
        while True:
            try:
                requests.get(site.url + "/accounts/login/", timeout=60)
                break
            except requests.RequestException:
                assert time.monotonic() < deadline, "poles serve did not answer"
                time.sleep(0.3)
        started = children(serve.pid)
        assert len(started) == 2
        session = site.login()
        job = site.upload(session, site.info["slug"], "served.csv", members_csv(3000, start=900_000, prefix="Served Org"))
        assert "Import done." in follow(site, session, job, timeout=300)  # the worker beside gunicorn ran it
        serve.send_signal(signal.SIGINT)
        out, err = serve.communicate(timeout=60)
    finally:
        if serve.poll() is None:
            serve.kill()
            serve.wait()
    assert serve.returncode == 0, err
    assert f"poles répond sur http://127.0.0.1:{port}, avec son exécuteur de tâches" in out  # French first
    assert not [pid for pid in started if os.path.exists(f"/proc/{pid}")]
