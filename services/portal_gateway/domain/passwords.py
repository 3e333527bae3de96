"""The password policy of the portal's accounts: long enough, and not guessable by zxcvbn, the
maintained estimator that knows common passwords, names, keyboard walks, dates and l33t."""

from __future__ import annotations

from collections.abc import Iterable

from zxcvbn import zxcvbn

MIN_LENGTH = 12
MAX_LENGTH = 200  # what the login form accepts: a longer password could never be typed in
# zxcvbn's cost grows steeply with length (a random 200 characters take seconds): it judges the
# first 64, which is more than any guessable password needs
JUDGED = 64
# zxcvbn's score 3: "safely unguessable", about 10^8 guesses or more, the level it advises for
# accounts whose hashes may leak; 2 and below fall to an offline attack on a stolen table
MIN_SCORE = 3
# words anyone would try against this platform first
PLATFORM_WORDS = ("kentra", "demo", "κέντρα", "κοινότητας", "peloponnese", "πελοποννήσου", "portal")


class WeakPassword(Exception):
    """The password breaks the policy; `reasons` are codes the entrypoints translate."""

    def __init__(self, reasons: list[str]):
        super().__init__(", ".join(reasons))
        self.reasons = reasons


def weaknesses(password: str, user_inputs: Iterable[str] = ()) -> list[str]:
    """What is wrong with this password for the account that `user_inputs` describe (its username
    and name, which an attacker knows): too_short, too_long, too_guessable."""
    found = []
    if len(password) < MIN_LENGTH:
        found.append("too_short")
    if len(password) > MAX_LENGTH:
        found.append("too_long")
    words = [*PLATFORM_WORDS, *(part for given in user_inputs for part in _parts(given))]
    if zxcvbn(password[:JUDGED], user_inputs=words)["score"] < MIN_SCORE:
        found.append("too_guessable")
    return found


def check(password: str, user_inputs: Iterable[str] = ()) -> None:
    found = weaknesses(password, user_inputs)
    if found:
        raise WeakPassword(found)


def _parts(given: str) -> list[str]:
    """A username or a name as zxcvbn should know it: whole, and word by word."""
    text = given.strip().lower()
    words = text.replace(".", " ").replace("-", " ").replace("_", " ").split()
    return [text, *words] if text else []
