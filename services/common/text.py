"""Greek text: kept intact (NFC) in data, folded for search so that accented, unaccented,
upper/lower case and Greeklish (ELOT 743) forms of a name meet on one key."""

from __future__ import annotations

import unicodedata

# ELOT 743 single letters; digraphs handled first in `to_latin`.
_LETTERS = {
    "α": "a",
    "β": "v",
    "γ": "g",
    "δ": "d",
    "ε": "e",
    "ζ": "z",
    "η": "i",
    "θ": "th",
    "ι": "i",
    "κ": "k",
    "λ": "l",
    "μ": "m",
    "ν": "n",
    "ξ": "x",
    "ο": "o",
    "π": "p",
    "ρ": "r",
    "σ": "s",
    "ς": "s",
    "τ": "t",
    "υ": "y",
    "φ": "f",
    "χ": "ch",
    "ψ": "ps",
    "ω": "o",
}
_DIGRAPHS = {
    "ου": "ou",
    "αυ": "av",
    "ευ": "ev",
    "αι": "ai",
    "ει": "ei",
    "οι": "oi",
    "μπ": "b",
    "ντ": "nt",
    "γκ": "gk",
    "γγ": "ng",
}
# Greeklish writers spell the same sound several ways: fold them onto one.
_LATIN_FOLDS = [
    ("ch", "x"),
    ("ks", "x"),
    ("ou", "u"),
    ("th", "8"),
    ("ph", "f"),
    ("h", "x"),
    ("mp", "b"),
    ("gk", "g"),
    ("ng", "g"),
    ("w", "o"),
    ("y", "i"),
    ("h", "i"),
    ("ai", "e"),
    ("ei", "i"),
    ("oi", "i"),
    ("ee", "i"),
    ("j", "i"),
    ("gi", "i"),
]


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
