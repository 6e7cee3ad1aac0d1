"""Login rate limiting: the pure rule and the backend refusing while limited."""

import pytest
from django.contrib.auth import authenticate
from django.core.cache import cache
from django.test import RequestFactory
from factories import user

from poles.access import ratelimit
from poles.access.forms import LoginForm

RULE = ratelimit.Policy(attempts=3, window=60)


def test_allows_below_the_limit():
    assert ratelimit.blocked_for([100.0, 101.0], 102.0, RULE) == 0


def test_blocks_until_oldest_counted_failure_leaves_window():
    assert ratelimit.blocked_for([100.0, 110.0, 120.0], 130.0, RULE) == 30


def test_old_failures_do_not_count():
    assert ratelimit.blocked_for([0.0, 1.0, 120.0], 130.0, RULE) == 0


@pytest.fixture
def limited(settings):
    settings.LOGIN_RATE_LIMIT = (3, 600)
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cache.clear()
    yield
    cache.clear()


def _request(address="10.0.0.1"):
    return RequestFactory().post("/login/", REMOTE_ADDR=address)


def test_backend_refuses_right_password_after_too_many_failures(db, limited):
    user("alice", password="right-Password-42")
    for _ in range(3):
        assert authenticate(_request(), username="alice", password="wrong") is None
    assert authenticate(_request(), username="alice", password="right-Password-42") is None
    other_address = _request("10.0.0.2")
    assert authenticate(other_address, username="alice", password="right-Password-42") is not None


def test_success_clears_the_failures(db, limited):
    user("bob", password="right-Password-42")
    for _ in range(2):
        authenticate(_request(), username="bob", password="wrong")
    assert authenticate(_request(), username="bob", password="right-Password-42") is not None
    assert ratelimit.wait_seconds(_request(), "bob") == 0


def test_login_form_says_how_long_to_wait(db, limited):
    user("carol", password="right-Password-42")
    for _ in range(3):
        authenticate(_request(), username="carol", password="wrong")
    form = LoginForm(_request(), data={"username": "carol", "password": "right-Password-42"})
    assert not form.is_valid()
    assert "Try again in" in str(form.errors) or "Réessayez" in str(form.errors) or form.has_error(
        "__all__", "rate_limited"
    )
    assert form.has_error("__all__", "rate_limited")
