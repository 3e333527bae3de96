"""The beneficiary registry's identity index, kept in the append's transaction: a registration is
findable the moment it is stored, and an erased person is not findable at all."""

from __future__ import annotations

import psycopg2.errors

from contracts.names import BENEFICIARY_REGISTERED, PERSONAL_DATA_ERASED
from contracts.registries import SEARCH_LIMIT
from services.common.db import advisory_key
from services.common.domain import Conflict
from services.common.personal_data import blind_index
from services.common.text import MIN_PREFIX, search_key, search_prefixes

AMKA, AFM, PAAYPA, NAME_AND_BIRTH, FAMILY_AND_BIRTH = (
    "amka",
    "afm",
    "paaypa",
    "name+birth",
    "family+birth",
)
NAME_WORD = "name-word"  # each word of a name, folded: search by name without the name in clear
NAME_PREFIX = (
    "name-prefix"  # each beginning of a word of a name, folded: "Παπαδοπ" finds Παπαδόπουλος
)
NAME_KEYS = (NAME_WORD, NAME_PREFIX)  # searched, never evidence that two records are one person
NUMBERS = (AMKA, AFM, PAAYPA)  # each identifies one person
# how alike two people are when these keys match (exact after folding script, accents, case)
SCORES = {NAME_AND_BIRTH: 0.9, FAMILY_AND_BIRTH: 0.6}
# each typed word is one more condition of a search (search_names): a name has a few, and words
# after these are not asked
MAX_WORDS = 12


class IdentityIndex:
    def __init__(self, index_key: bytes):
        self.index_key = index_key

    def digests(self, personal: dict) -> list[tuple[str, str]]:
        found = [
            (kind, blind_index(self.index_key, kind, personal[kind]))
            for kind in NUMBERS
            if personal.get(kind)
        ]
        if personal.get("birth_date") and personal.get("family_name"):
            name = f"{personal.get('given_name', '')} {personal['family_name']}"
            found.append(
                (
                    NAME_AND_BIRTH,
                    blind_index(self.index_key, "name", f"{name} {personal['birth_date']}"),
                )
            )
            family = f"{personal['family_name']} {personal['birth_date']}"
            found.append((FAMILY_AND_BIRTH, blind_index(self.index_key, "name", family)))
        found += [(NAME_WORD, digest) for digest in self.word_digests(_full_name(personal))]
        return found

    def name_keys(self, personal: dict) -> list[int]:
        """The person's search row (`name_keys`): each whole word of the name and each beginning
        of a word, every one as `search_key_of` gives it."""
        name = _full_name(personal)
        whole = {self.search_key_of(NAME_WORD, w) for w in search_key(name).split()}
        return sorted(whole | {self.search_key_of(NAME_PREFIX, p) for p in search_prefixes(name)})

    def search_key_of(self, kind: str, word: str) -> int:
        """The first 64 bits of the word's keyed hash, signed as PostgreSQL's bigint: what the
        registries_009 migration derives from the identity index's hex digests, and collisions
        one in 2^64 per pair (a false hit shows a worker one more name, which access still
        decides)."""
        return int.from_bytes(
            bytes.fromhex(blind_index(self.index_key, kind, word)[:16]), "big", signed=True
        )

    def word_digests(self, text: str) -> list[str]:
        return sorted({blind_index(self.index_key, NAME_WORD, w) for w in search_key(text).split()})

    def search_names(self, db, text: str) -> list[dict]:
        """Beneficiaries whose name has a word beginning with each word of `text` (Greek or
        Greeklish, any accents or case; words shorter than MIN_PREFIX are left out), those with
        more whole-word matches first (`exact`: how many). One query on `name_keys`: per typed
        word, the row holds its beginning-of-a-word key or its whole-word key (a record from
        before the beginnings were indexed has only the latter), and GIN intersects the words'
        posting lists, so the rows read are the answers, not every person named Μαρία."""
        typed = typed_words(text)
        if not typed:
            return []
        either = [
            [self.search_key_of(NAME_PREFIX, w), self.search_key_of(NAME_WORD, w)] for w in typed
        ]
        # one condition per typed word, built from this constant only; the keys are parameters
        each_word = " AND ".join(["keys && %s::bigint[]"] * len(typed))
        with db.statement() as cur:
            cur.execute(
                "SELECT beneficiary_id::text,"
                " (SELECT count(*) FROM unnest(%s::bigint[]) AS w WHERE w = ANY(keys)) AS exact"
                f" FROM name_keys WHERE {each_word} ORDER BY 2 DESC, 1 LIMIT %s",
                ([whole for _, whole in either], *either, SEARCH_LIMIT),
            )
            return [{"beneficiary_id": b, "exact": exact} for b, exact in cur.fetchall()]

    def __call__(self, cur, events) -> None:
        for e in events:
            beneficiary = e.data.get("beneficiary_id") or e.stream.split("-", 1)[1]
            if e.type == BENEFICIARY_REGISTERED and e.personal:
                self._index(cur, beneficiary, e.data.get("site") or "", self.digests(e.personal))
                cur.execute(
                    "INSERT INTO name_keys VALUES (%s, %s) ON CONFLICT (beneficiary_id) DO NOTHING",
                    (beneficiary, self.name_keys(e.personal)),
                )
            elif e.type == PERSONAL_DATA_ERASED:
                cur.execute("DELETE FROM identity_index WHERE beneficiary_id = %s", (beneficiary,))
                cur.execute("DELETE FROM name_keys WHERE beneficiary_id = %s", (beneficiary,))
                cur.execute(
                    "DELETE FROM beneficiary_link WHERE beneficiary_id = %s", (beneficiary,)
                )

    def reindex_names(self, store, db, batch: int = 500) -> int:
        """The upgrade path for records registered before the beginnings of words were indexed:
        each registration's name read back through the store (opened under the person's key),
        its `name_keys` row written whole. Idempotent, so safe to run again. An erased person's
        name is gone (no key) and is skipped; each batch is written under the store's append
        lock and only for records still in the identity index, so an erasure committed while
        this runs is never undone. Answers how many records it read."""
        lock, position, records = advisory_key(f"append:{db.schema}"), 0, 0
        while events := store.read_all(position, batch, categories=["beneficiary"]):
            position = events[-1].position
            named = [
                (e.data.get("beneficiary_id") or e.stream.split("-", 1)[1], e.personal)
                for e in events
                if e.type == BENEFICIARY_REGISTERED and e.personal
            ]
            with db.transaction() as cur:
                cur.execute("SELECT pg_advisory_xact_lock(%s)", (lock,))
                for beneficiary, personal in named:
                    cur.execute(
                        "INSERT INTO name_keys SELECT %s::uuid, %s::bigint[] WHERE EXISTS"
                        " (SELECT 1 FROM identity_index WHERE beneficiary_id = %s::uuid)"
                        " ON CONFLICT (beneficiary_id) DO UPDATE SET keys = EXCLUDED.keys",
                        (beneficiary, self.name_keys(personal), beneficiary),
                    )
            records += len(named)
        return records

    def _index(self, cur, beneficiary: str, site: str, digests: list[tuple[str, str]]) -> None:
        """A number the registry already holds makes this a site record of that person: linked
        to the record holding it (which keeps the number), indexed by name only, and the identity
        keys it was typed with differently noted for the DPO's review. Appends to the store queue
        on one lock, so the holder read here cannot change before the commit."""
        holder = self._holder(cur, beneficiary, digests)
        for kind, digest in digests:
            if not (holder and kind in NUMBERS):
                self._insert(cur, kind, digest, beneficiary)
        if holder:
            cur.execute(
                "INSERT INTO beneficiary_link VALUES (%s, %s, %s, %s)"
                " ON CONFLICT (beneficiary_id) DO NOTHING",
                (beneficiary, holder, site, self._differs(cur, holder, digests)),
            )

    @staticmethod
    def _holder(cur, beneficiary: str, digests: list[tuple[str, str]]) -> str | None:
        for kind, digest in digests:
            if kind in NUMBERS:
                cur.execute(
                    "SELECT beneficiary_id::text FROM identity_index WHERE kind = %s"
                    " AND digest = %s AND beneficiary_id <> %s",
                    (kind, digest, beneficiary),
                )
                row = cur.fetchone()
                if row:
                    return row[0]
        return None

    @staticmethod
    def _differs(cur, holder: str, digests: list[tuple[str, str]]) -> list[str]:
        """The keys the site typed otherwise than the holder's record (or that it lacks): its
        numbers, the name with the birth date, and the words of the name (`name`). Which keys,
        never the values."""
        cur.execute("SELECT kind, digest FROM identity_index WHERE beneficiary_id = %s", (holder,))
        held = set(cur.fetchall())
        differs = {k for k, d in digests if k in (*NUMBERS, NAME_AND_BIRTH) and (k, d) not in held}
        words = {d for k, d in digests if k == NAME_WORD}
        if words != {d for k, d in held if k == NAME_WORD}:
            differs.add("name")
        return sorted(differs)

    @staticmethod
    def _insert(cur, kind: str, digest: str, beneficiary: str) -> None:
        try:
            cur.execute("SAVEPOINT identity")
            cur.execute(
                "INSERT INTO identity_index (kind, digest, beneficiary_id) VALUES (%s, %s, %s)"
                " ON CONFLICT (kind, digest, beneficiary_id) DO NOTHING",
                (kind, digest, beneficiary),
            )
            cur.execute("RELEASE SAVEPOINT identity")
        except psycopg2.errors.UniqueViolation:
            cur.execute("ROLLBACK TO SAVEPOINT identity")
            raise Conflict(
                f"a beneficiary with this {kind.upper()} is already registered", field=kind
            ) from None

    def possible_duplicates(self, db, personal: dict, exclude: str) -> list[dict]:
        """Who else has the same birth date and a name that folds to the same key: warnings with a
        score, for a person to decide on; nothing is merged."""
        by_beneficiary: dict[str, float] = {}
        with db.transaction() as cur:
            for kind, digest in self.digests(personal):
                if kind not in SCORES:
                    continue
                cur.execute(
                    "SELECT beneficiary_id::text FROM identity_index WHERE kind = %s AND digest = %s",
                    (kind, digest),
                )
                for (other,) in cur.fetchall():
                    if other != exclude:
                        by_beneficiary[other] = max(by_beneficiary.get(other, 0), SCORES[kind])
        return [
            {"beneficiary_id": b, "score": s}
            for b, s in sorted(by_beneficiary.items(), key=lambda i: -i[1])
        ]

    def known_person(self, db, personal: dict) -> str | None:
        """The beneficiary one of these numbers already identifies, if any."""
        for kind in NUMBERS:
            if personal.get(kind):
                found = self.find(db, kind, personal[kind])
                if found:
                    return found[0]
        return None

    def find(self, db, kind: str, value: str) -> list[str]:
        key_kind = "name" if kind == NAME_AND_BIRTH else kind
        with db.transaction() as cur:
            cur.execute(
                "SELECT beneficiary_id::text FROM identity_index WHERE kind = %s AND digest = %s"
                " ORDER BY 1",
                (kind, blind_index(self.index_key, key_kind, value)),
            )
            return [r[0] for r in cur.fetchall()]

    @staticmethod
    def related(db, beneficiary_id: str) -> list[dict]:
        """Others sharing a number (before a merge) or a folded name and birth date with this
        person, scored as for possible duplicates; read from the digests alone."""
        with db.transaction() as cur:
            cur.execute(
                "SELECT other.beneficiary_id::text, other.kind FROM identity_index mine"
                " JOIN identity_index other USING (kind, digest)"
                " WHERE mine.beneficiary_id = %s AND other.beneficiary_id <> mine.beneficiary_id"
                " AND mine.kind <> ALL(%s)",
                (beneficiary_id, list(NAME_KEYS)),
            )
            scores: dict[str, float] = {}
            for other, kind in cur.fetchall():
                scores[other] = max(scores.get(other, 0), SCORES.get(kind, 1.0))
        return [
            {"beneficiary_id": b, "score": s}
            for b, s in sorted(scores.items(), key=lambda i: -i[1])
        ]

    @staticmethod
    def same_name_and_birth(db) -> list[tuple[str, str]]:
        """Every pair of records whose folded full name and birth date are the same."""
        with db.transaction() as cur:
            cur.execute(
                "SELECT a.beneficiary_id::text, b.beneficiary_id::text FROM identity_index a"
                " JOIN identity_index b USING (kind, digest)"
                " WHERE a.kind = %s AND a.beneficiary_id < b.beneficiary_id ORDER BY 1, 2",
                (NAME_AND_BIRTH,),
            )
            return [(a, b) for a, b in cur.fetchall()]


def typed_words(text: str) -> list[str]:
    """The words of a search that are asked: folded, each once, MIN_PREFIX letters or more, at
    most MAX_WORDS of them."""
    return sorted({w for w in search_key(text).split() if len(w) >= MIN_PREFIX})[:MAX_WORDS]


def _full_name(personal: dict) -> str:
    return f"{personal.get('given_name') or ''} {personal.get('family_name') or ''}"
