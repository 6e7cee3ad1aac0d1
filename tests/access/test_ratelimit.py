"""Login rate limiting: per account and per address, atomic, shared by every worker process."""

import pytest
from django.contrib.auth import authenticate
from django.test import RequestFactory
from factories import user
from hypothesis import given
from hypothesis import strategies as st
from workers import migrate_auth, run_worker

from poles.access import ratelimit
from poles.access.forms import LoginForm

RIGHT = "right-Password-42"


@given(count=st.integers(min_value=0, max_value=100), now=st.floats(min_value=0, max_value=2e9))
def test_the_event_that_reaches_the_limit_locks_for_a_whole_window(count, now):
    rule = ratelimit.Limit("test", attempts=3, window=60)
    until = ratelimit.locked_until(count, now, rule)
    assert until == (now + rule.window if count >= rule.attempts else None)


def test_subjects_are_stored_as_digests_only():
    counter, lock = ratelimit.Limit("test", attempts=3, window=60).keys("alice@example.org")
    assert "alice" not in counter + lock and counter != lock


@pytest.mark.parametrize(("remote", "counted"), [
    ("10.0.0.1", "10.0.0.1"),
    ("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"),
    ("not an address", "unknown"),
])
def test_client_address_counts_ipv6_per_block(remote, counted):
    assert ratelimit.client_address(RequestFactory().get("/", REMOTE_ADDR=remote)) == counted


def test_client_address_header_is_read_only_when_configured(settings):
    request = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_REAL_IP="203.0.113.9")
    assert ratelimit.client_address(request) == "127.0.0.1"
    settings.CLIENT_ADDRESS_HEADER = "X-Real-IP"
    assert ratelimit.client_address(request) == "203.0.113.9"


@pytest.fixture
def limited(settings):
    settings.LOGIN_RATE_LIMIT = (5, 600)
    settings.LOGIN_ADDRESS_RATE_LIMIT = (8, 600)
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _request(address="10.0.0.1"):
    return RequestFactory().post("/login/", REMOTE_ADDR=address)


def test_five_failures_from_five_addresses_lock_the_account_for_everyone(db, limited):
    user("alice", password=RIGHT)
    for n in range(5):
        assert authenticate(_request(f"10.0.1.{n}"), username="alice", password="wrong") is None
    assert authenticate(_request("10.0.2.1"), username="alice", password=RIGHT) is None
    user("other", password=RIGHT)
    assert authenticate(_request("10.0.1.0"), username="other", password=RIGHT) is not None


def test_failures_on_many_accounts_from_one_address_lock_the_address(db, limited):
    user("bob", password=RIGHT)
    for n in range(8):
        assert authenticate(_request("10.0.3.3"), username=f"guess{n}", password="wrong") is None
    assert authenticate(_request("10.0.3.3"), username="bob", password=RIGHT) is None
    assert authenticate(_request("10.0.3.4"), username="bob", password=RIGHT) is not None


def test_success_clears_the_accounts_failures_but_not_the_addresss(db, limited):
    user("carol", password=RIGHT)
    for _ in range(4):
        authenticate(_request(), username="carol", password="wrong")
    assert authenticate(_request(), username="carol", password=RIGHT) is not None
    for _ in range(4):
        authenticate(_request("10.0.4.4"), username="carol", password="wrong")
    assert authenticate(_request("10.0.4.4"), username="carol", password=RIGHT) is not None
    for n in range(4):
        authenticate(_request(), username=f"nobody{n}", password="wrong")  # 8 from 10.0.0.1 now
    assert authenticate(_request(), username="carol", password=RIGHT) is None


def test_login_form_says_how_long_to_wait(db, limited):
    user("dave", password=RIGHT)
    for _ in range(5):
        authenticate(_request(), username="dave", password="wrong")
    form = LoginForm(_request(), data={"username": "dave", "password": RIGHT})
    assert not form.is_valid()
    assert form.has_error("__all__", "rate_limited")
    assert "10 minutes" in str(form.errors)


@pytest.mark.django_db(transaction=True)
def test_failures_spread_over_two_worker_processes_are_counted_together(limited, tmp_path):
    user("erin", password=RIGHT)
    scratch = tmp_path / "worker.sqlite3"
    migrate_auth(scratch)
    for n in range(3):
        assert authenticate(_request(f"10.0.5.{n}"), username="erin", password="wrong") is None
    run_worker("""
        from django.conf import settings
        from django.contrib.auth import authenticate
        from django.test import RequestFactory
        settings.LOGIN_RATE_LIMIT = (5, 600)
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
        for n in range(2):
            request = RequestFactory().post("/login/", REMOTE_ADDR=f"10.0.6.{n}")
            assert authenticate(request, username="erin", password="wrong") is None
    """, scratch)
    assert authenticate(_request("10.0.7.1"), username="erin", password=RIGHT) is None
