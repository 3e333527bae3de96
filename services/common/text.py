"""Greek text: kept intact (NFC) in data, folded for search so that accented, unaccented,
upper/lower case and Greeklish (ELOT 743) forms of a name meet on one key."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import contracts

# The tables are one definition shared with the mobile unit's offline app (which bundles the same
# file), so a name typed offline finds the same people as on the platform.
_FOLDING = json.loads(
    (Path(contracts.__file__).parent / "data" / "search_folding.json").read_text(encoding="utf-8")
)
_LETTERS: dict[str, str] = _FOLDING["letters"]  # ELOT 743 single letters
_DIGRAPHS: dict[str, str] = _FOLDING["digraphs"]  # handled first in `to_latin`
# Greeklish writers spell the same sound several ways: fold them onto one, in this order
_LATIN_FOLDS: list[tuple[str, str]] = [(a, b) for a, b in _FOLDING["latin_folds"]]


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def to_latin(text: str) -> str:
    """ELOT 743 transliteration of lower-case, unaccented Greek; other characters pass through."""
    out, i = [], 0
    while i < len(text):
        pair = text[i : i + 2]
        if pair in _DIGRAPHS:
            out.append(_DIGRAPHS[pair])
            i += 2
            continue
        out.append(_LETTERS.get(text[i], text[i]))
        i += 1
    return "".join(out)


def search_key(text: str) -> str:
    """One key per spoken name: 'Γιώργος Παπαδόπουλος', 'GIORGOS PAPADOPOULOS' and
    'Yiorgos Papadopoulos' all give the same key."""
    latin = to_latin(strip_accents(text).casefold())
    latin = "".join(c if c.isalnum() else " " for c in latin)
    for src, dst in _LATIN_FOLDS:
        latin = latin.replace(src, dst)
    words = [
        "".join(ch for i, ch in enumerate(w) if i == 0 or ch != w[i - 1]) for w in latin.split()
    ]
    return " ".join(words)


# the shortest beginning of a word a search matches (one letter finds half the region)
MIN_PREFIX: int = _FOLDING["min_prefix"]


def words(text: str) -> list[str]:
    """The words of a name, lower case and unaccented, before any transliteration."""
    plain = strip_accents(text).casefold()
    return "".join(c if c.isalnum() else " " for c in plain).split()


def search_prefixes(text: str) -> set[str]:
    """Every key a person may type for the beginning of a word of this name. Folding does not keep
    beginnings ('Γεωργ' folds to 'georg', 'Γεώργιος' to 'georios'), so both: the key of each
    beginning as written (Greek or Greeklish typed from the start), and each beginning of the
    word's key (a Greeklish beginning of the folded name)."""
    found: set[str] = set()
    for word in words(text):
        found.update(search_key(word[:i]) for i in range(1, len(word) + 1))
        key = search_key(word)
        found.update(key[:j] for j in range(1, len(key) + 1))
    return {k for k in found if len(k) >= MIN_PREFIX}
