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
from urllib.parse import urlsplit

from contracts.envelope import publisher_user

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/kentra"
DEFAULT_AMQP_URI = "amqp://guest:guest@127.0.0.1:5672/"
SECRET_BYTES = 32


class MissingSecret(RuntimeError):
    """Production was started without one of its own secrets or credentials."""


@dataclass(frozen=True)
class Settings:
    database_url: str  # an administrative login: migrations, roles
    amqp_uri: str
    key_encryption_key: bytes  # wraps every subject key (personal data)
    index_key: bytes  # keys the blind indexes of identifiers
    environment: str
    # lets a test (or a second demo) run the whole platform in schemas of its own
    schema_prefix: str = ""
    token_secret: bytes = field(default=b"", repr=False)  # signs the portal's access tokens
    # broker users' names start with it: a test's platform has users of its own
    broker_prefix: str = ""

    def schema(self, service: str) -> str:
        return f"{self.schema_prefix}{service}"

    def publisher(self, source: str) -> str:
        """The broker user whose messages on `<source>.events` a consumer may apply."""
        return self.broker_prefix + publisher_user(source)

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
        environment = env.get("KENTRA_ENV", "development")
        folder = Path(env.get("KENTRA_SECRETS_DIR") or ROOT / "var" / "secrets")
        secrets = {
            name: _secret(env, name, environment, folder)
            for name in ("KENTRA_KEK", "KENTRA_INDEX_KEY", "KENTRA_TOKEN_SECRET")
        }
        database_url = _value(env, "KENTRA_DATABASE_URL") or DEFAULT_DATABASE_URL
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
        )


def _value(env: dict[str, str], name: str) -> str | None:
    if env.get(name):
        return env[name]
    if env.get(f"{name}_FILE"):
        return Path(env[f"{name}_FILE"]).read_text(encoding="utf-8").strip()
    return None


def _secret(env: dict[str, str], name: str, environment: str, folder: Path) -> bytes:
    given = _value(env, name)
    if given is not None:
        key = base64.b64decode(given)
        if len(key) != SECRET_BYTES:
            raise ValueError(f"{name} must be {SECRET_BYTES} bytes, base64-encoded")
        return key
    if environment == "production":
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


def _refuse_development_credentials(database_url: str, amqp_uri: str) -> None:
    if database_url == DEFAULT_DATABASE_URL:
        raise MissingSecret("KENTRA_DATABASE_URL (or _FILE) is required in production")
    if urlsplit(database_url).password is None:
        raise MissingSecret(
            "KENTRA_DATABASE_URL must carry a password in production (no trust login)"
        )
    if amqp_uri == DEFAULT_AMQP_URI or urlsplit(amqp_uri).username in (None, "", "guest"):
        raise MissingSecret(
            "KENTRA_AMQP_URI with the process's own broker user is required in production"
        )
