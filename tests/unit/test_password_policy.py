"""The portal's password policy: at least 12 characters, at most what the login form takes, and
a zxcvbn score of 3 with the account's own names and the platform's words counted as known."""

from __future__ import annotations

import time

import pytest

from deploy.demo.accounts import DEMO_PASSWORD
from services.portal_gateway.domain.passwords import WeakPassword, check, weaknesses

ACCOUNT = ("kalamata.social1", "Κοινωνική λειτουργός, ΚΚ Καλαμάτας")


@pytest.mark.parametrize(
    "password",
    ["Τρία-πουλάκια-κάθονταν-στον-φράχτη", "correct horse battery staple", "vN4#q8!Lr2@x"],
)
def test_a_long_unguessable_password_passes(password):
    assert weaknesses(password, ACCOUNT) == []


def test_a_short_one_is_too_short_whatever_its_characters():
    assert "too_short" in weaknesses("vN4#q8!Lr2@", ACCOUNT)


@pytest.mark.parametrize(
    "password",
    [
        "password123456",
        "qwertyuiop1234",
        "kalamata.social1!",
        "Καλαμάτας2024!",
        "kentra-kentra-kentra",
    ],
)
def test_a_guessable_one_is_refused_the_accounts_own_names_included(password):
    assert "too_guessable" in weaknesses(password, ACCOUNT)


def test_the_demo_password_would_be_refused_so_the_demo_step_writes_past_the_policy():
    with pytest.raises(WeakPassword) as refused:
        check(DEMO_PASSWORD, ("dpo", "Υπεύθυνος Προστασίας Δεδομένων"))
    assert "too_short" in refused.value.reasons


def test_one_longer_than_the_login_takes_is_refused_and_judged_quickly():
    started = time.perf_counter()
    assert "too_long" in weaknesses("vN4#q8!Lr2@x" * 30, ACCOUNT)
    assert time.perf_counter() - started < 1
