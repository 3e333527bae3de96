"""Loading a national data set fast: each chunk of people is decided in Python (bench/national_data),
then written with COPY in one transaction over every store, the vault and the registry's identity
index, with each stream's hash chain computed as the store computes it (eventstore/hashing.py) and
personal fields sealed under each person's own key (the KeyVault's cipher). A chunk commits with
its row in `national_load`, so a load that stops resumes at the next chunk.

Why not `PostgresEventStore.append`: it appends one stream per call (one lock, one round trip per
stream), about 11,000 events/s at best; 20 million events would take most of a working day here.
The few hundred network events still go through it, with the registries' inline projections."""

from __future__ import annotations

import io
import uuid
from collections import Counter

import psycopg2
from cryptography.exceptions import InvalidTag

from bench.national_data import Person, Site, network_commands, person
from contracts.base import validate_event
from services.common.config import Settings
from services.common.db import advisory_key
from services.common.event_codec import as_new_event, jsonable
from services.common.eventstore import Metadata, RecordedEvent
from services.common.eventstore.hashing import GENESIS, canonical_json, chain_hash
from services.common.eventstore.model import category_of
from services.common.eventstore.setup import key_vault
from services.referrals.adapters.referral_view import ReferralView
from services.registries import bootstrap as registries_bootstrap
from services.registries.adapters.identity_index import IdentityIndex
from services.registries.application.network import Network

STORES = ("registries", "intake", "referrals")  # also the order their locks are taken in
PROGRESS = (
    "CREATE TABLE IF NOT EXISTS public.national_load (prefix text, chunk int, people int,"
    " events bigint, PRIMARY KEY (prefix, chunk))"
)
EVENT_COLUMNS = (
    "stream, category, version, event_id, type, schema_version, data, personal, subject_id,"
    " metadata, recorded_at, hash"
)
VALIDATE_EVERY = 997  # after the first chunk (all checked), one event in this many


def load_network(settings: Settings, sites: list[Site]) -> None:
    """Centres, mobile units and staff through the registry's own use cases and store."""
    store, db = registries_bootstrap.open_store(settings, max_connections=1)
    try:
        if store.last_position() > 0:
            return
        network = Network(store)
        run = {
            "centre": network.register_centre,
            "mobile_unit": network.register_mobile_unit,
            "staff": network.assign_staff_member,
        }
        for kind, command, metadata in network_commands(sites):
            run[kind](command, metadata)
    finally:
        db.close()


def loaded_chunks(admin_url: str, prefix: str) -> dict[int, int]:
    conn = psycopg2.connect(admin_url)
    try:
        with conn, conn.cursor() as cur:
            cur.execute(PROGRESS)
            cur.execute("SELECT chunk, events FROM national_load WHERE prefix = %s", (prefix,))
            return dict(cur.fetchall())
    finally:
        conn.close()


def forget_chunks(admin_url: str, prefix: str) -> None:
    """A fresh load starts at chunk 0: the progress of the schemas just dropped goes with them."""
    conn = psycopg2.connect(admin_url)
    try:
        with conn, conn.cursor() as cur:
            cur.execute(PROGRESS)
            cur.execute("DELETE FROM national_load WHERE prefix = %s", (prefix,))
    finally:
        conn.close()


def sealed_here(admin_url: str, settings: Settings) -> bool:
    """Whether the data set's keys were wrapped by this installation's key-encryption key: each
    installation makes its own (var/secrets/), so a data set another checkout loaded into the same
    PostgreSQL cannot be opened here, and would fail deep in a rebuild."""
    vault = key_vault(settings)
    conn = psycopg2.connect(admin_url)
    try:
        with conn, conn.cursor() as cur:
            cur.execute(f"SELECT subject_id, wrapped_key FROM {vault.schema}.subject_keys LIMIT 1")
            row = cur.fetchone()
    finally:
        conn.close()
    if row is None:
        return True
    try:
        vault.cipher.unwrap(uuid.UUID(str(row[0])), bytes(row[1]))
    except InvalidTag:
        return False
    return True


class ChunkLoader:
    """One worker process's loader: its own connection as the administrator (COPY into every
    schema in one transaction)."""

    def __init__(self, admin_url: str, settings: Settings, sites: list[Site], contacts_mean: float):
        self.admin_url, self.settings, self.sites = admin_url, settings, sites
        self.contacts_mean = contacts_mean
        self.vault = key_vault(settings)
        self.index = IdentityIndex(settings.index_key)
        self.checked = 0

    def load(self, chunk: int, first: int, count: int) -> int:
        people = [person(i, self.sites, self.contacts_mean) for i in range(first, first + count)]
        keys = {p.beneficiary_id: self._key(p.beneficiary_id) for p in people}
        buffers, views, events = self._rows(people, keys, validate_all=chunk == 0)
        identities, search_rows = io.StringIO(), io.StringIO()
        for p in people:
            if not p.erased:
                registration = p.streams["registries"][0][1][0][0]
                personal = {k: str(v) for k, v in jsonable(registration.payload).items() if v}
                for kind, digest in self.index.digests(personal):
                    identities.write(f"{kind}\t{digest}\t{p.beneficiary_id}\n")
                name_keys = ",".join(map(str, self.index.name_keys(personal)))
                search_rows.write(f"{p.beneficiary_id}\t{{{name_keys}}}\n")
        conn = psycopg2.connect(self.admin_url)
        try:
            with conn, conn.cursor() as cur:
                for store in STORES:  # as an append does: writers queue, readers skip nothing
                    schema = self.settings.schema(store)
                    cur.execute(
                        "SELECT pg_advisory_xact_lock(%s)", (advisory_key(f"append:{schema}"),)
                    )
                cur.copy_expert(
                    f"COPY {self.vault.schema}.subject_keys (subject_id, wrapped_key) FROM STDIN",
                    io.StringIO("".join(f"{b}\t\\\\x{w.hex()}\n" for b, (_, w) in keys.items())),
                )
                for store in STORES:
                    buffers[store].seek(0)
                    cur.copy_expert(
                        f"COPY {self.settings.schema(store)}.events ({EVENT_COLUMNS}) FROM STDIN",
                        buffers[store],
                    )
                identities.seek(0)
                cur.copy_expert(
                    f"COPY {self.settings.schema('registries')}.identity_index"
                    " (kind, digest, beneficiary_id) FROM STDIN",
                    identities,
                )
                search_rows.seek(0)
                cur.copy_expert(
                    f"COPY {self.settings.schema('registries')}.name_keys FROM STDIN", search_rows
                )
                cur.execute(f"SET LOCAL search_path TO {self.settings.schema('referrals')}")
                ReferralView()(cur, views)
                for p in people:
                    if p.erased:  # after the person's events are sealed, as an erasure comes later
                        self.vault.forget(cur, p.beneficiary_id)
                cur.execute(
                    "INSERT INTO public.national_load VALUES (%s, %s, %s, %s)",
                    (self.settings.schema_prefix, chunk, count, events),
                )
        finally:
            conn.close()
        return events

    def _key(self, subject: uuid.UUID) -> tuple[bytes, bytes]:
        wrapped = self.vault.cipher.new_wrapped_key(subject)
        return self.vault.cipher.unwrap(subject, wrapped), wrapped

    def _rows(self, people: list[Person], keys, validate_all: bool):
        buffers = {store: io.StringIO() for store in STORES}
        views: list[RecordedEvent] = []
        events = 0
        for p in people:
            key = keys[p.beneficiary_id][0]
            for store, streams in p.streams.items():
                out = buffers[store]
                for stream, decided in streams:
                    prev = GENESIS
                    for version, (e, metadata, when) in enumerate(decided, 1):
                        self.checked += 1
                        payload = jsonable(e.payload)
                        if validate_all or self.checked % VALIDATE_EVERY == 0:
                            validate_event(e.type, payload)  # raises on a broken contract
                        new = as_new_event(e.type, payload, payload.get("beneficiary_id"))
                        row, prev, recorded = _row(
                            stream, version, new, metadata, when, prev, key, self.vault.cipher
                        )
                        out.write(row)
                        if store == "referrals":
                            views.append(recorded)
                        events += 1
        return buffers, views, events


def _row(stream, version, e, metadata: Metadata, when, prev, key, cipher):
    """One COPY line, chained exactly as PostgresEventStore._rows chains an append."""
    sealed = cipher.seal(key, e.event_id, e.personal) if e.personal else None
    subject = str(e.subject_id) if e.subject_id else None
    data_json, meta_json = canonical_json(e.data), canonical_json(metadata.as_dict())
    hashed = chain_hash(
        prev,
        stream=stream,
        version=version,
        event_id=str(e.event_id),
        type=e.type,
        schema_version=e.schema_version,
        data_json=data_json,
        sealed_personal=sealed,
        subject_id=subject,
        metadata_json=meta_json,
        recorded_at=when,
    )
    line = "\t".join(
        (
            stream,
            category_of(stream),
            str(version),
            str(e.event_id),
            e.type,
            str(e.schema_version),
            _copy_text(data_json),
            f"\\\\x{sealed.hex()}" if sealed else "\\N",
            subject or "\\N",
            _copy_text(meta_json),
            when.isoformat(),
            hashed,
        )
    )
    recorded = RecordedEvent(
        0,  # the inline read model it feeds (referral_view) keys on ids and versions only
        stream,
        version,
        e.event_id,
        e.type,
        e.schema_version,
        e.data,
        e.personal,
        e.subject_id,
        metadata.as_dict(),
        when,
        hashed,
    )
    return line + "\n", hashed, recorded


def _copy_text(value: bytes) -> str:
    """COPY's text format: canonical JSON has no raw tab or newline, only backslashes to double."""
    return value.decode().replace("\\", "\\\\")


def mix(people: list[Person]) -> Counter:
    return Counter(
        e.type for p in people for streams in p.streams.values() for _, s in streams for e, *_ in s
    )
