"""The mobile unit's offline search folds names exactly as the platform does: the app's
clients/mobile/src/folding.js, bundled for Node with the app's own esbuild, gives the same
`searchKey` and `searchPrefixes` as services/common/text.py for a corpus of the names the centres
meet (accents, diaeresis, capitals with a final sigma, double surnames, Greeklish spelt several
ways, Latin names, digits), and its `matches` finds a name when, and only when, the registry's
search would (every typed word of at least MIN_PREFIX letters begins a word of the name or is a
whole word of it), counting the whole words the same way."""

from __future__ import annotations

import json
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest

from services.common.text import MIN_PREFIX, search_key, search_prefixes
from tests.support.search_corpus import NAMES, TYPED, registry_match

MOBILE = Path(__file__).resolve().parents[2] / "clients" / "mobile"
ESBUILD = MOBILE / "node_modules" / ".bin" / "esbuild"

# the scripts names reach the centres in, whole: Latin, Greek, Cyrillic, Armenian, Hebrew, Arabic,
# Syriac, Thaana with their extensions, Greek extended, letterlike ligatures, full-width forms
SCRIPTS = [
    (0x20, 0x800),
    (0x1C80, 0x1C90),
    (0x1D00, 0x2000),
    (0x2C00, 0x2E00),
    (0xA640, 0xA800),
    (0xAB30, 0xAB70),
    (0xFB00, 0xFB50),
    (0xFE20, 0xFE30),
    (0xFF00, 0xFFF0),
]
# every assigned character of them (Node's Unicode may be newer than Python's: those are left out)
CHARACTERS = [
    chr(cp)
    for start, end in SCRIPTS
    for cp in range(start, end)
    if unicodedata.category(chr(cp)) not in ("Cn", "Cs")
]


RUN = """
import { readFileSync } from "node:fs";
import { searchKey, searchPrefixes, matches, MIN_PREFIX } from "./folding.mjs";
const { names, typed, characters } = JSON.parse(readFileSync(0, "utf8"));
console.log(JSON.stringify({
  min_prefix: MIN_PREFIX,
  keys: Object.fromEntries(names.map((n) => [n, searchKey(n)])),
  prefixes: Object.fromEntries(names.map((n) => [n, [...searchPrefixes(n)].sort()])),
  matches: typed.map((t) => names.map((n) => matches(t, n))),
  characters: characters.map((c) => searchKey(`a${c}b ${c}`)),
}));
"""


@pytest.fixture(scope="module")
def offline(tmp_path_factory) -> dict:
    """What the app's folding.js answers under Node for the corpus, as one JSON document."""
    node = shutil.which("node")
    if node is None or not ESBUILD.exists():
        pytest.fail(
            "node or clients/mobile's esbuild is missing: scripts/bootstrap installs Node.js"
            " and runs `npm ci` in clients/mobile"
        )
    folder = tmp_path_factory.mktemp("folding")
    subprocess.run(
        [
            str(ESBUILD),
            str(MOBILE / "src" / "folding.js"),
            "--bundle",
            "--format=esm",
            "--platform=node",
            "--log-level=warning",
            f"--outfile={folder / 'folding.mjs'}",
        ],
        check=True,
    )
    (folder / "run.mjs").write_text(RUN, encoding="utf-8")
    done = subprocess.run(
        [node, str(folder / "run.mjs")],
        input=json.dumps({"names": NAMES, "typed": TYPED, "characters": CHARACTERS}),
        capture_output=True,
        text=True,
        check=True,
        encoding="utf-8",
    )
    return json.loads(done.stdout)


def test_the_offline_app_reads_the_platforms_shortest_prefix(offline):
    assert offline["min_prefix"] == MIN_PREFIX


@pytest.mark.parametrize("name", NAMES)
def test_a_name_has_the_same_search_key_offline(offline, name):
    assert offline["keys"][name] == search_key(name)


@pytest.mark.parametrize("name", NAMES)
def test_a_name_has_the_same_prefixes_offline(offline, name):
    assert offline["prefixes"][name] == sorted(search_prefixes(name))


@pytest.mark.parametrize("typed", TYPED)
def test_a_typed_search_finds_the_names_the_registry_would(offline, typed):
    found = offline["matches"][TYPED.index(typed)]
    assert dict(zip(NAMES, found, strict=True)) == {n: registry_match(typed, n) for n in NAMES}


def test_every_character_of_the_names_scripts_folds_the_same_offline(offline):
    """Accents, case folding (ß, ẞ, ſ, the Greek symbol forms), what counts as a letter: one
    character at a time, inside a word and alone."""
    differ = [
        (f"U+{ord(c):04X}", unicodedata.name(c, "?"), js, search_key(f"a{c}b {c}"))
        for c, js in zip(CHARACTERS, offline["characters"], strict=True)
        if js != search_key(f"a{c}b {c}")
    ]
    assert differ == []


def test_the_corpus_meets_across_scripts_and_spellings():
    """The corpus tests something: the spellings the app must bring together do meet."""
    assert len({search_key(n) for n in ("Γιώργος", "ΓΙΩΡΓΟΣ", "Yiorgos", "Giorgos")}) == 1
    assert search_key("Χρήστος") == search_key("Hristos") == search_key("Christos")
    assert search_key("Ξανθή") == search_key("Ksanthi") == search_key("Xanthi")
    assert search_key("Θεοδώρα") == search_key("Theodora")
    assert registry_match("αϊδίνης", "Hristos Aidinis") == 1
