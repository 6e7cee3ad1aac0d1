"""Helpers of the calls' page tests: files brought to a stage through the services, clients per user."""

from __future__ import annotations

from calls.callworld import consortium
from django.test import Client

from poles.calls import deciding, reviewing
from poles.calls.models import Assignment
from poles.calls.transitions import transition

SCORES = {"excellence": 4, "impact": 3}


def client_of(user, lang: str = "fr") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=lang)
    client.cookies["django_language"] = lang
    if user is not None:
        client.force_login(user)
    return client


def submitted(w, acronym="ROBO", partners=None, creator=None, coordinator=None, requested=None):
    extra = {"requested": requested} if requested is not None else {}
    app = consortium(w, w.setup, creator or w.coordinator, coordinator or w.coord,
                     partners or [w.lab, w.eti], acronym=acronym, **extra)
    transition(app, "submit", creator or w.coordinator)
    return app


def in_review(w, app, cluster=None):
    transition(app, "declare_eligible", w.officer)
    request = reviewing.ask_label(app.created_by, app, cluster or w.cluster_a)
    manager = w.manager_b if (cluster or w.cluster_a) == w.cluster_b else w.manager_a
    reviewing.decide_label(manager, request, "labelled")
    transition(app, "start_review", w.officer)
    return app


def reviewed(w, app, scores=SCORES):
    reviewing.assign_automatically(w.officer, w.setup)
    for row in Assignment.objects.filter(application=app):
        reviewing.save_review(row.reviewer, row, scores, submit=True)
    app.refresh_from_db()
    return app


def selected(w):
    """A reviewed file selected by a confirmed selection of the call."""
    app = in_review(w, submitted(w))
    reviewed(w, app)
    deciding.confirm(w.officer, deciding.propose(w.officer, w.setup))
    app.refresh_from_db()
    assert app.state == "selected"
    return app
