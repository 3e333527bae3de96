"""Settings from the environment: every process reads them where it opens its stores (a nameko
service in each dependency provider's setup, a relay or consumer in its main)."""

from __future__ import annotations

import base64
import logging
import os
import secrets as secrets_module
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlsplit, urlunsplit

from contracts.envelope import publisher_user

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[2]
# where the platform's database is; no login: each process logs in as its service roles
DEFAULT_DATABASE_URL = "postgresql://127.0.0.1:5432/kentra"
ADMIN_USER = "postgres"  # development only: the administrative login of the migrate step
ROLE_LOGINS = "KENTRA_DB_PASSWORD_"  # + a service's schema name: that role's password
DEFAULT_AMQP_URI = "amqp://guest:guest@127.0.0.1:5672/"
SECRET_BYTES = 32


class MissingSecret(RuntimeError):
    """Production was started without one of its own secrets or credentials."""


class AdministrativeLogin(ValueError):
    """A long-running process was given a database login: processes log in as their service
    roles, and only the one-shot migrate step holds the administrative URL."""


@dataclass(frozen=True)
class Settings:
    # the platform's database (host, port, name) without a login: a process connects as the roles
    # of the schemas it opens (services/common/db.py: role_url), never as an administrator
    database_url: str
    amqp_uri: str
    key_encryption_key: bytes  # wraps every subject key (personal data)
    index_key: bytes  # keys the blind indexes of identifiers
    environment: str
    # lets a test (or a second demo) run the whole platform in schemas of its own
    schema_prefix: str = ""
    token_secret: bytes = field(default=b"", repr=False)  # signs the portal's access tokens
    # broker users' names start with it: a test's platform has users of its own
    broker_prefix: str = ""
    audit_key: bytes = field(default=b"", repr=False)  # keys the audit store's chain (HMAC)
    # keys reporting's pseudonyms (HMAC) and what its read model seals: reporting's processes only
    reporting_key: bytes = field(default=b"", repr=False)
    # service (a schema's name without the prefix) -> its role's password; none with trust auth
    database_passwords: dict[str, str] = field(default_factory=dict, repr=False, hash=False)
    # how long the gateway keeps a refused municipal event (KENTRA_REFUSED_EVENTS_DAYS)
    refused_events_days: int = 30
    # where ops find the platform's metrics and dashboards (linked from the portal's ops pages):
    # as deploy/compose.yaml and the local runner publish them on the host's loopback
    prometheus_url: str = "http://127.0.0.1:9090"
    grafana_url: str = "http://127.0.0.1:3000"
    # how old a mobile unit's offline command may be when it syncs (KENTRA_OFFLINE_DAYS)
    offline_days: int = 7

    def schema(self, service: str) -> str:
        return f"{self.schema_prefix}{service}"

    def publisher(self, source: str) -> str:
        """The broker user whose messages on `<source>.events` a consumer may apply."""
        return self.broker_prefix + publisher_user(source)

    def role_password(self, schema: str) -> str | None:
        """The password of the service role that logs in for `schema`. Production has one for
        every role it uses: a trusted login is a development shortcut."""
        service = schema.removeprefix(self.schema_prefix)
        password = self.database_passwords.get(service)
        if password is None and self.production:
            variable = ROLE_LOGINS + service.upper()
            raise MissingSecret(f"{variable} (or {variable}_FILE) is required in production")
        return password

    def reporting_secret(self) -> bytes:
        """KENTRA_REPORTING_KEY. Only reporting's processes are given it (nobody else can link its
        pseudonyms back to a person), so they, not every process, refuse to start without it."""
        if len(self.reporting_key) != SECRET_BYTES:
            raise MissingSecret("KENTRA_REPORTING_KEY (or _FILE) is required by reporting")
        return self.reporting_key

    @property
    def production(self) -> bool:
        return self.environment == "production"

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        """Secrets come from `NAME` (base64) or the file `NAME_FILE` names (a Docker or Kubernetes
        secret). Production refuses to start without each of them and without real credentials;
        development makes its own, at random, once per installation (KENTRA_SECRETS_DIR,
        default var/secrets/, git-ignored), so no two installations share a key."""
        env = dict(os.environ if env is None else env)
        environment, folder = _secrets_place(env)
        secrets = {
            name: _secret(env, name, environment, folder)
            for name in (
                "KENTRA_KEK",
                "KENTRA_INDEX_KEY",
                "KENTRA_TOKEN_SECRET",
                "KENTRA_AUDIT_KEY",
                # read here only so that production refuses to start without it; the serializer
                # (services/common/transport.py) reads it itself, as kombu hands it no Settings
                "KENTRA_BUS_KEY",
            )
        }
        database_url = _value(env, "KENTRA_DATABASE_URL") or DEFAULT_DATABASE_URL
        _refuse_a_login(database_url)
        amqp_uri = _value(env, "KENTRA_AMQP_URI") or DEFAULT_AMQP_URI
        if environment == "production":
            _refuse_development_credentials(database_url, amqp_uri)
        return cls(
            database_url=database_url,
            amqp_uri=amqp_uri,
            key_encryption_key=secrets["KENTRA_KEK"],
            index_key=secrets["KENTRA_INDEX_KEY"],
            environment=environment,
            schema_prefix=env.get("KENTRA_SCHEMA_PREFIX", ""),
            token_secret=secrets["KENTRA_TOKEN_SECRET"],
            broker_prefix=env.get("KENTRA_BROKER_PREFIX", ""),
            audit_key=secrets["KENTRA_AUDIT_KEY"],
            reporting_key=_secret(env, "KENTRA_REPORTING_KEY", environment, folder, required=False),
            database_passwords=_role_passwords(env),
            refused_events_days=int(env.get("KENTRA_REFUSED_EVENTS_DAYS") or 30),
            prometheus_url=env.get("KENTRA_PROMETHEUS_URL") or cls.prometheus_url,
            grafana_url=env.get("KENTRA_GRAFANA_URL") or cls.grafana_url,
            offline_days=int(env.get("KENTRA_OFFLINE_DAYS") or 7),
        )

    @classmethod
    def for_migration(cls, env: dict[str, str] | None = None) -> Settings:
        """What the one-shot migrate step needs (schema prefix, role passwords), and no key of
        personal data, tokens or the audit: it never reads or writes an event."""
        env = dict(os.environ if env is None else env)
        database_url = _value(env, "KENTRA_DATABASE_URL") or DEFAULT_DATABASE_URL
        _refuse_a_login(database_url)
        return cls(
            database_url=database_url,
            amqp_uri="",
            key_encryption_key=b"",
            index_key=b"",
            environment=env.get("KENTRA_ENV", "development"),
            schema_prefix=env.get("KENTRA_SCHEMA_PREFIX", ""),
            database_passwords=_role_passwords(env),
        )


def secret_from_env(name: str, env: dict[str, str] | None = None) -> bytes:
    """One secret, read as `Settings.from_env` reads it: for code that runs where no Settings is
    handed in (a serializer kombu calls with the body alone)."""
    env = dict(os.environ if env is None else env)
    return _secret(env, name, *_secrets_place(env))


def _secrets_place(env: dict[str, str]) -> tuple[str, Path]:
    """The environment (production refuses a missing secret) and where development keeps its own."""
    return env.get("KENTRA_ENV", "development"), Path(
        env.get("KENTRA_SECRETS_DIR") or ROOT / "var" / "secrets"
    )


def admin_database_url(env: dict[str, str] | None = None) -> str:
    """The administrative login, read by the one-shot migrate step alone (never into Settings).
    Production: KENTRA_ADMIN_DATABASE_URL (or _FILE), with a password. Development: the platform's
    database as `postgres`, trusted on loopback."""
    env = dict(os.environ if env is None else env)
    given = _value(env, "KENTRA_ADMIN_DATABASE_URL")
    if env.get("KENTRA_ENV", "development") == "production":
        if given is None or urlsplit(given).password is None:
            raise MissingSecret(
                "KENTRA_ADMIN_DATABASE_URL (or _FILE) with a password is required in production"
            )
        return given
    if given is not None:
        return given
    parts = urlsplit(_value(env, "KENTRA_DATABASE_URL") or DEFAULT_DATABASE_URL)
    return urlunsplit(parts._replace(netloc=f"{ADMIN_USER}@{parts.netloc.rsplit('@', 1)[-1]}"))


def _value(env: dict[str, str], name: str) -> str | None:
    if env.get(name):
        return env[name]
    if env.get(f"{name}_FILE"):
        return Path(env[f"{name}_FILE"]).read_text(encoding="utf-8").strip()
    return None


def _secret(
    env: dict[str, str], name: str, environment: str, folder: Path, required: bool = True
) -> bytes:
    """`required=False`: a secret only some processes hold; production gives the others none
    (b""), and the process that needs it refuses to start then."""
    given = _value(env, name)
    if given is not None:
        key = base64.b64decode(given)
        if len(key) != SECRET_BYTES:
            raise ValueError(f"{name} must be {SECRET_BYTES} bytes, base64-encoded")
        return key
    if environment == "production":
        if not required:
            return b""
        raise MissingSecret(f"{name} (or {name}_FILE) is required in production")
    return _development_secret(folder, name)


def _development_secret(folder: Path, name: str) -> bytes:
    """This installation's own random secret, made the first time any process asks for it."""
    path = folder / name.removeprefix("KENTRA_").lower()
    folder.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # made already (maybe by another process starting at the same time)
        for _ in range(50):
            if len(key := path.read_bytes()) == SECRET_BYTES:
                return key
            time.sleep(0.05)
        raise ValueError(f"{path} is not a {SECRET_BYTES}-byte secret") from None
    key = secrets_module.token_bytes(SECRET_BYTES)
    with os.fdopen(fd, "wb") as out:
        out.write(key)
    log.warning("%s not set: made a random development secret in %s", name, path)
    return key


def _role_passwords(env: dict[str, str]) -> dict[str, str]:
    """KENTRA_DB_PASSWORD_<SERVICE> (or its _FILE), one per service role this process may use."""
    names = {
        name.removesuffix("_FILE").removeprefix(ROLE_LOGINS)
        for name in env
        if name.startswith(ROLE_LOGINS)
    }
    found = {name.lower(): _value(env, ROLE_LOGINS + name) for name in names}
    return {service: password for service, password in found.items() if password}


def _refuse_a_login(database_url: str) -> None:
    parts = urlsplit(database_url)
    query = parse_qs(parts.query)
    if parts.username or parts.password or "user" in query or "password" in query:
        raise AdministrativeLogin(
            "KENTRA_DATABASE_URL names the database only (postgresql://host:port/name): processes"
            " log in as their service roles (passwords: KENTRA_DB_PASSWORD_<SERVICE>), and the"
            " administrative login is KENTRA_ADMIN_DATABASE_URL, for the migrate step alone"
        )


def _refuse_development_credentials(database_url: str, amqp_uri: str) -> None:
    if database_url == DEFAULT_DATABASE_URL:
        raise MissingSecret("KENTRA_DATABASE_URL (or _FILE) is required in production")
    if amqp_uri == DEFAULT_AMQP_URI or urlsplit(amqp_uri).username in (None, "", "guest"):
        raise MissingSecret(
            "KENTRA_AMQP_URI with the process's own broker user is required in production"
        )
