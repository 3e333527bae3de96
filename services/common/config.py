"""Settings from the environment: every process reads them where it opens its stores (a nameko
service in each dependency provider's setup, a relay or consumer in its main)."""

from __future__ import annotations

import base64
import hashlib
import logging
import os
from dataclasses import dataclass

log = logging.getLogger(__name__)

DEV_SECRET = "kentra-development-only"


@dataclass(frozen=True)
class Settings:
    database_url: str  # an administrative login: migrations, roles
    amqp_uri: str
    key_encryption_key: bytes  # wraps every subject key (personal data)
    index_key: bytes  # keys the blind indexes of identifiers
    environment: str
    schema_prefix: str = (
        ""  # lets a test (or a second demo) run the whole platform in schemas of its own
    )

    def schema(self, service: str) -> str:
        return f"{self.schema_prefix}{service}"

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        env = dict(os.environ if env is None else env)
        environment = env.get("KENTRA_ENV", "development")
        return cls(
            database_url=env.get(
                "KENTRA_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/kentra"
            ),
            amqp_uri=env.get("KENTRA_AMQP_URI", "amqp://guest:guest@127.0.0.1:5672/"),
            key_encryption_key=_secret(env, "KENTRA_KEK", environment),
            index_key=_secret(env, "KENTRA_INDEX_KEY", environment),
            environment=environment,
            schema_prefix=env.get("KENTRA_SCHEMA_PREFIX", ""),
        )


def _secret(env: dict[str, str], name: str, environment: str) -> bytes:
    if name in env:
        key = base64.b64decode(env[name])
        if len(key) != 32:
            raise ValueError(f"{name} must be 32 bytes, base64-encoded")
        return key
    if environment == "production":
        raise RuntimeError(f"{name} is required in production")
    log.warning("%s not set: using the development key (never in production)", name)
    return hashlib.sha256(f"{DEV_SECRET}:{name}".encode()).digest()
