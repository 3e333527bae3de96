"""The referrals service's composition root: the one place its store is migrated (by the
one-shot migrate step) and opened (with the inbox read model kept in the append's transaction)
and its use cases are wired, from Settings. The nameko service, the reactions' consumer, the
relay and the tests all get them here."""

from __future__ import annotations

from services.common.config import Settings
from services.common.consumer.setup import migrate_read_model
from services.common.db import Database
from services.common.eventstore import EventStore
from services.common.eventstore.setup import migrate_store
from services.common.runtime import build_store
from services.referrals.adapters.referral_view import MIGRATIONS, ReferralView
from services.referrals.application.referrals import Consents, Referrals, Registry

SERVICE = "referrals"
REACTIONS = "referrals_reactions"  # the reactions consumer's schema (its checkpoints)


def migrate(admin_url: str, settings: Settings) -> None:
    """As the administrator, in the one-shot migrate step (services/common/migrate.py)."""
    from services.referrals.application.reactions import ReferralReactions  # it imports us

    migrate_store(admin_url, settings, settings.schema(SERVICE), MIGRATIONS)
    migrate_read_model(admin_url, settings, settings.schema(REACTIONS), ReferralReactions())


def inline_projections(settings: Settings) -> list:
    """Kept in the append's transaction: an inbox shows a referral the moment it is stored."""
    return [ReferralView()]


def open_store(settings: Settings, max_connections: int = 8) -> tuple[EventStore, Database]:
    return build_store(
        settings,
        SERVICE,
        extra_migrations=MIGRATIONS,
        max_connections=max_connections,
        inline_projections=inline_projections(settings),
    )


def referrals(store: EventStore, registry: Registry | None, consents: Consents | None) -> Referrals:
    return Referrals(store, registry, consents)
