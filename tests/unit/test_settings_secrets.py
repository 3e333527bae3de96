"""No secret is a constant in the code: production refuses to start without its own, and a
development installation makes its own at random, once."""

from __future__ import annotations

import base64
import os
import subprocess
import sys
from pathlib import Path

import jwt
import pytest

from services.common.config import (
    AdministrativeLogin,
    MissingSecret,
    Settings,
    admin_database_url,
)
from services.portal_gateway.adapters.tokens import verify_token
from services.portal_gateway.domain.login import Unauthenticated

ROOT = Path(__file__).resolve().parents[2]


def key() -> str:
    return base64.b64encode(os.urandom(32)).decode()


def production(**changes: str) -> dict[str, str]:
    env = {
        "KENTRA_ENV": "production",
        "KENTRA_KEK": key(),
        "KENTRA_INDEX_KEY": key(),
        "KENTRA_TOKEN_SECRET": key(),
        "KENTRA_AUDIT_KEY": key(),
        "KENTRA_BUS_KEY": key(),
        "KENTRA_DATABASE_URL": "postgresql://db:5432/kentra",
        "KENTRA_AMQP_URI": "amqp://intake:s3cret@rabbitmq:5672/kentra",
    }
    return {k: v for k, v in {**env, **changes}.items() if v}


def test_production_starts_with_its_own_secrets_and_credentials():
    settings = Settings.from_env(production())
    assert settings.production and len(settings.token_secret) == 32


@pytest.mark.parametrize(
    "missing",
    ["KENTRA_KEK", "KENTRA_INDEX_KEY", "KENTRA_TOKEN_SECRET", "KENTRA_AUDIT_KEY", "KENTRA_BUS_KEY"],
)
def test_production_refuses_to_start_without_each_secret(missing):
    with pytest.raises(MissingSecret, match=missing):
        Settings.from_env(production(**{missing: ""}))


@pytest.mark.parametrize(
    "changes",
    [
        {"KENTRA_DATABASE_URL": ""},  # the development default: loopback, trusted
        {"KENTRA_AMQP_URI": ""},
        {"KENTRA_AMQP_URI": "amqp://guest:guest@rabbitmq:5672/"},
    ],
)
def test_production_refuses_development_credentials(changes):
    with pytest.raises(MissingSecret):
        Settings.from_env(production(**changes))


def test_only_reporting_refuses_to_start_in_production_without_its_pseudonym_key():
    from services.reporting import bootstrap

    without = Settings.from_env(production())  # every other process starts without it
    with pytest.raises(MissingSecret, match="KENTRA_REPORTING_KEY"):
        bootstrap.open_model(without)
    with pytest.raises(MissingSecret, match="KENTRA_REPORTING_KEY"):
        bootstrap.projection(without)
    given = Settings.from_env(production(KENTRA_REPORTING_KEY=key()))
    assert len(bootstrap.pseudonyms(given).of("7d0e5a8e-0000-4000-8000-000000000001")) == 64
    assert repr(given.reporting_key) not in repr(given)


def test_a_secret_can_come_from_a_file_as_docker_and_kubernetes_mount_them(tmp_path):
    secret = tmp_path / "token"
    secret.write_text(key() + "\n")
    settings = Settings.from_env(
        production(KENTRA_TOKEN_SECRET="", KENTRA_TOKEN_SECRET_FILE=str(secret))
    )
    assert settings.token_secret == base64.b64decode(secret.read_text())


def test_a_development_installation_makes_its_own_random_secrets_once(tmp_path):
    one = Settings.from_env({"KENTRA_SECRETS_DIR": str(tmp_path / "one")})
    again = Settings.from_env({"KENTRA_SECRETS_DIR": str(tmp_path / "one")})
    other = Settings.from_env({"KENTRA_SECRETS_DIR": str(tmp_path / "other")})
    assert (one.key_encryption_key, one.index_key, one.token_secret) == (
        again.key_encryption_key,
        again.index_key,
        again.token_secret,
    )
    assert (one.audit_key, one.reporting_key) == (again.audit_key, again.reporting_key)
    assert (
        len(
            {
                one.key_encryption_key,
                one.index_key,
                one.token_secret,
                one.audit_key,
                one.reporting_key,
            }
        )
        == 5
    )
    assert (
        other.token_secret != one.token_secret
        and other.key_encryption_key != one.key_encryption_key
    )
    assert oct((tmp_path / "one" / "token_secret").stat().st_mode & 0o777) == "0o600"


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://postgres@127.0.0.1:5432/kentra",  # the superuser, trusted on loopback
        "postgresql://kentra_admin:s3cret@db:5432/kentra",
        "postgresql://db:5432/kentra?user=postgres",
        "postgresql://db:5432/kentra?password=s3cret",
    ],
)
@pytest.mark.parametrize("environment", ["development", "production"])
def test_no_process_takes_a_database_login_in_its_settings(url, environment):
    """Processes log in as their service roles; the administrative login is the migrate step's
    (KENTRA_ADMIN_DATABASE_URL), never read into Settings."""
    env = production(KENTRA_DATABASE_URL=url) if environment == "production" else {}
    with pytest.raises(AdministrativeLogin, match="KENTRA_ADMIN_DATABASE_URL"):
        Settings.from_env({**env, "KENTRA_DATABASE_URL": url})
    with pytest.raises(AdministrativeLogin):
        Settings.for_migration({**env, "KENTRA_DATABASE_URL": url})


def test_production_needs_each_service_roles_password_when_it_logs_in(tmp_path):
    settings = Settings.from_env(
        production(KENTRA_DB_PASSWORD_INTAKE="p@ss:w/rd", KENTRA_SCHEMA_PREFIX="")
    )
    assert settings.role_password("intake") == "p@ss:w/rd"
    with pytest.raises(MissingSecret, match="KENTRA_DB_PASSWORD_REGISTRIES"):
        settings.role_password("registries")
    secret = tmp_path / "timeline"
    secret.write_text("from-a-file\n")
    from_file = Settings.from_env(production(KENTRA_DB_PASSWORD_TIMELINE_FILE=str(secret)))
    assert from_file.role_password("timeline") == "from-a-file"
    assert "p@ss" not in repr(settings)


def test_a_development_role_logs_in_trusted_without_a_password():
    assert Settings.from_env({}).role_password("intake") is None


def test_the_administrative_login_is_the_migrate_steps_and_production_gives_it_a_password():
    assert admin_database_url({}) == "postgresql://postgres@127.0.0.1:5432/kentra"
    assert (
        admin_database_url({"KENTRA_DATABASE_URL": "postgresql://10.0.0.5:5433/other"})
        == "postgresql://postgres@10.0.0.5:5433/other"
    )
    with pytest.raises(MissingSecret, match="KENTRA_ADMIN_DATABASE_URL"):
        admin_database_url(production())
    with pytest.raises(MissingSecret, match="password"):
        admin_database_url(
            production(KENTRA_ADMIN_DATABASE_URL="postgresql://postgres@db:5432/kentra")
        )
    admin = "postgresql://kentra_admin:s3cret@db:5432/kentra"
    assert admin_database_url(production(KENTRA_ADMIN_DATABASE_URL=admin)) == admin


def test_the_migrate_step_holds_no_key_of_personal_data_tokens_or_the_audit():
    settings = Settings.for_migration(production(KENTRA_KEK="", KENTRA_AUDIT_KEY=""))
    assert not (
        settings.key_encryption_key
        or settings.index_key
        or settings.token_secret
        or settings.audit_key
        or settings.reporting_key
    )


def test_a_token_signed_with_any_other_secret_is_refused(tmp_path):
    ours = Settings.from_env({"KENTRA_SECRETS_DIR": str(tmp_path)}).token_secret
    claims = {"sub": "dpo", "sid": "6f1c0a52-3b1e-4f7e-9a59-1f0f8c2d7e10", "exp": 2_000_000_000}
    assert verify_token(jwt.encode(claims, ours, algorithm="HS256"), ours)["sub"] == "dpo"
    # the secret the code once fell back to, and any other: forged
    for forger in (b"kentra-development-token-secret-never-in-production", os.urandom(32)):
        with pytest.raises(Unauthenticated):
            verify_token(jwt.encode(claims, forger, algorithm="HS256"), ours)
    with pytest.raises(Unauthenticated):  # an unsigned token: the algorithm is pinned
        verify_token(jwt.encode(claims, None, algorithm="none"), ours)


def test_the_demo_accounts_are_refused_in_production():
    env = {**os.environ, **production(), "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "deploy.demo.accounts"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2 and "refused in production" in done.stderr


def test_no_secret_looking_constant_is_left_in_the_code():
    pattern = ("SECRET", "_KEY", "PASSWORD")
    found = []
    for path in [
        *ROOT.joinpath("services").rglob("*.py"),
        *ROOT.joinpath("contracts").rglob("*.py"),
    ]:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            name, _, value = line.partition("=")
            if (
                any(p in name.upper() for p in pattern)
                and value.strip().startswith(('"', "'"))
                and len(value.strip()) > 10
                and " " not in name.strip()
            ):
                found.append(f"{path.relative_to(ROOT)}:{number}")
    assert found == []
