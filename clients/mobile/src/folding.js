// Search keys for names, offline: the platform's folding (services/common/text.py) from the same
// tables (contracts/data/search_folding.json, bundled at build time), so "Γιώργος", "ΓΙΩΡΓΟΣ" and
// "Yiorgos" find the same downloaded people as they find on the platform. The parity with Python
// is tested (tests/unit/test_offline_search_folding.py runs this file under Node).
import FOLDING from "../../../contracts/data/search_folding.json";

const LETTERS = FOLDING.letters;
const DIGRAPHS = FOLDING.digraphs;
const LATIN_FOLDS = FOLDING.latin_folds;
export const MIN_PREFIX = FOLDING.min_prefix;

const ALNUM = /[\p{L}\p{N}]/u;

// Python's unicodedata.combining: the marks NFD splits off (accents, diaeresis). Python keeps the
// nonspacing marks whose combining class is 0; in the scripts names reach the centres in (below
// U+0800, Greek and Latin extended) those are the grapheme joiner and Thaana's vowel signs.
const ACCENT = /(?![\u034f\u07a6-\u07b0])\p{Mn}/gu;

function stripAccents(text) {
  return text.normalize("NFD").replace(ACCENT, "");
}

// Python's str.casefold, which JavaScript lacks: lower, upper and lower again folds what a plain
// lower case leaves apart ("Strauß" and "STRAUSS", "ẞ", "ſ", the Greek symbol forms "ϐ", "ϑ"),
// one character at a time as casefold does (no final-sigma context); the dotless ı stays itself.
function casefold(text) {
  return Array.from(text, (c) => (c === "\u0131" ? c : c.toLowerCase().toUpperCase().toLowerCase())).join("");
}

function toLatin(text) {
  const chars = Array.from(text);
  const out = [];
  for (let i = 0; i < chars.length; ) {
    const pair = chars[i] + (chars[i + 1] ?? "");
    if (pair.length === 2 && pair in DIGRAPHS) {
      out.push(DIGRAPHS[pair]);
      i += 2;
      continue;
    }
    out.push(LETTERS[chars[i]] ?? chars[i]);
    i += 1;
  }
  return out.join("");
}

function replaceAll(text, src, dst) {
  return text.split(src).join(dst);
}

/** One key per spoken name (services/common/text.py `search_key`). */
export function searchKey(text) {
  let latin = toLatin(casefold(stripAccents(text)));
  latin = Array.from(latin, (c) => (ALNUM.test(c) ? c : " ")).join("");
  for (const [src, dst] of LATIN_FOLDS) latin = replaceAll(latin, src, dst);
  return latin
    .split(/\s+/)
    .filter(Boolean)
    .map((w) => Array.from(w).filter((ch, i, all) => i === 0 || ch !== all[i - 1]).join(""))
    .join(" ");
}

/** The words of a name, lower case and unaccented, before any transliteration. */
function words(text) {
  const plain = casefold(stripAccents(text));
  return Array.from(plain, (c) => (ALNUM.test(c) ? c : " "))
    .join("")
    .split(/\s+/)
    .filter(Boolean);
}

/** Every key a person may type for the beginning of a word of this name (`search_prefixes`). */
export function searchPrefixes(text) {
  const found = new Set();
  for (const word of words(text)) {
    const letters = Array.from(word);
    for (let i = 1; i <= letters.length; i++) found.add(searchKey(letters.slice(0, i).join("")));
    const key = Array.from(searchKey(word));
    for (let j = 1; j <= key.length; j++) found.add(key.slice(0, j).join(""));
  }
  return new Set([...found].filter((k) => Array.from(k).length >= MIN_PREFIX));
}

/** How a typed text matches a name, as the registry's search does: null if some typed word
 * begins no word of the name, else the count of whole words matched (more first). */
export function matches(typed, name) {
  const asked = [...new Set(searchKey(typed).split(" ").filter((w) => Array.from(w).length >= MIN_PREFIX))];
  if (asked.length === 0) return null;
  const prefixes = searchPrefixes(name);
  const whole = new Set(searchKey(name).split(" "));
  if (!asked.every((w) => prefixes.has(w) || whole.has(w))) return null;
  return asked.filter((w) => whole.has(w)).length;
}
