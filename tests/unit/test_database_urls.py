"""A database of several servers (a primary and its standbys) is one multi-host libpq URL, kept as
given: every process logs in on whichever server takes writes (target_session_attrs=read-write)."""

from __future__ import annotations

import psycopg2.extensions
import pytest

from services.common.config import AdministrativeLogin, Settings, admin_database_url
from services.common.db import role_url

FAILOVER = "postgresql://pg-1:5432,pg-2:5433/kentra?target_session_attrs=read-write"


def test_a_multi_host_url_is_taken_as_the_platforms_database():
    settings = Settings.from_env({"KENTRA_DATABASE_URL": FAILOVER})
    assert settings.database_url == FAILOVER


def test_a_login_in_a_multi_host_url_is_refused_as_in_any_other():
    with pytest.raises(AdministrativeLogin):
        Settings.from_env({"KENTRA_DATABASE_URL": FAILOVER.replace("//", "//admin:secret@")})


def test_a_service_role_logs_in_on_every_host_and_keeps_the_session_attributes():
    url = role_url(FAILOVER, "kentra_intake", "pässword")
    parsed = psycopg2.extensions.parse_dsn(url)  # as libpq reads it
    assert parsed["host"] == "pg-1,pg-2" and parsed["port"] == "5432,5433"
    assert parsed["user"] == "kentra_intake" and parsed["password"] == "pässword"
    assert parsed["target_session_attrs"] == "read-write"


def test_the_migrate_steps_development_login_follows_the_same_servers():
    url = admin_database_url({"KENTRA_DATABASE_URL": FAILOVER})
    assert psycopg2.extensions.parse_dsn(url) == {
        "host": "pg-1,pg-2",
        "port": "5432,5433",
        "dbname": "kentra",
        "user": "postgres",
        "target_session_attrs": "read-write",
    }
