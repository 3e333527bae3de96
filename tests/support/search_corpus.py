"""Names as they reach the centres (Greek with and without accents or capitals, Greeklish spelt
several ways, double-barrelled, other scripts) and what a worker types to find them, with the
registry's search rule for one name: the offline app's folding (tests/unit) and the registry's
query (tests/integration) are each held to it."""

from __future__ import annotations

from services.common.text import MIN_PREFIX, search_key, search_prefixes

NAMES = [
    "Γιώργος Παπαδόπουλος",
    "ΓΙΩΡΓΟΣ ΠΑΠΑΔΟΠΟΥΛΟΣ",
    "Γεώργιος Παπαδοπούλου",
    "Yiorgos Papadopoulos",
    "Giorgos Papadopoulos",
    "Georgios Papadopoulou",
    "Χρήστος Αϊδίνης",
    "ΧΡΗΣΤΟΣ ΑΪΔΙΝΗΣ",
    "Hristos Aidinis",
    "Christos Aidinis",
    "Ευγενία Ζαφειρίου",
    "Ευγενια Ζαφειριου",
    "Evgenia Zafeiriou",
    "Ευγενία Καραϊσκάκη",
    "Θεοδώρα Μαυρίδου",
    "Theodora Mavridou",
    "Thodora Mavridou",
    "Ξανθή Κωνσταντινίδου",
    "Xanthi Konstantinidou",
    "Ksanthi Konstantinidou",
    "Μαρία Παπαδάκη-Νικολάου",
    "Maria Papadaki-Nikolaou",
    "Ιωάννης Αντωνίου-Γεωργίου",
    "ΑΝΑΣΤΑΣΙΟΣ ΣΤΑΥΡΟΥ",
    "Αναστάσιος Σταύρου",
    "Σταυρούλα Οικονόμου",
    "Stavroula Oikonomou",
    "Ντίνος Μπακογιάννης",
    "Dinos Bakogiannis",
    "Ντίνα Γκίκα",
    "Ευάγγελος Τσιγγάνης",
    "Vangelis Tsiganis",
    "Ψυχάρης Ξυδάκης",
    "Ηλίας Ψαρρός",
    "Ilias Psarros",
    "Anna-Maria O'Brien",
    "Jean-Pierre Dupont",
    "Ahmed Al Rashid",
    "Kateryna Шевченко",
    "Νίκος 2ος Δημητρίου",
    "Παναγιώτης Π. Λαμπρόπουλος",
    "Ωραιοζήλη Ϊνώ",
    "Günther Strauß",
    "İlker Çelik",
]

# what a worker types into the app's search box, and the names it is tried against
TYPED = [
    "giorgos",
    "γιωργ",
    "ΓΙΩΡΓΟΣ παπαδ",
    "yiorgos papadopoulos",
    "georg",
    "geo",
    "christos",
    "hristos aid",
    "αιδινης",
    "αϊδίνης",
    "evge",
    "ευγενια ζαφ",
    "thodora",
    "theodora mavr",
    "ksanthi",
    "xan",
    "ξανθη",
    "papadaki-nikolaou",
    "νικολαου",
    "σταυρου",
    "stavr",
    "oikon",
    "dinos",
    "ντινος",
    "bakog",
    "γκικα",
    "vangelis",
    "ψαρρος",
    "psaros",
    "o'brien",
    "dupont",
    "2ος",
    "π λαμπρ",
    "x",
    "ab",
    "ανν",
    "ινω",
    "shev",
    "шевч",
    "strauss",
    "ilker",
]


def registry_match(typed: str, name: str) -> int | None:
    """The registry's search rule (services/registries/adapters/identity_index.py search_names)
    for one name: None if some typed word of MIN_PREFIX letters or more begins no word of the
    name and is no whole word of it (or no such word was typed), else how many were whole words."""
    asked = {w for w in search_key(typed).split() if len(w) >= MIN_PREFIX}
    if not asked:
        return None
    prefixes, whole = search_prefixes(name), set(search_key(name).split())
    if not all(w in prefixes or w in whole for w in asked):
        return None
    return sum(w in whole for w in asked)
