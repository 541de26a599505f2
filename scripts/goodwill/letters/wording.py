"""Facts the letter templates need to word a letter right, worked out from the records.

The templates hold the words; this module decides what is true: whether a promise
to be in touch "in the next few days" still holds, whether a gift was already
named in a P.S., and how a need reads after "for" without saying "for for".
"""

from __future__ import annotations

import datetime as dt
import re

RECENT_DAYS = 7  # a referral older than this is no longer "in the next few days" material
_LEADING_FOR = re.compile(r"^\s*for\s+", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_]+")
# Words too common to show that a P.S. is about the gift.
_PLAIN_WORDS = {"card", "small", "some", "with", "from", "your", "their", "little", "bottle"}


def need_phrase(need: str) -> str:
    """The need as it reads after "thinking of me for ...": a leading "for" and a
    closing full stop are dropped ("for leadership coaching." -> "leadership coaching")."""
    text = _LEADING_FOR.sub("", need.strip(), count=1).strip()
    return text[:-1].rstrip() if text.endswith(".") and not text.endswith("..") else text


def referred_phrase(referred: str) -> str:
    """Who was referred, as it reads inside a sentence (no closing full stop)."""
    text = referred.strip()
    return text[:-1].rstrip() if text.endswith(".") and not text.endswith("..") else text


def progress(referral, on: dt.date) -> str:
    """Where the referral stands, as the thank-you should word it:

    "new-recent" (arrived within RECENT_DAYS and not contacted yet: promise to be in
    touch in the next few days), "new" (older, still not contacted: no promise of
    days), "contacted", "won" or "lost".
    """
    if referral.status == "new":
        return "new-recent" if (on - referral.date).days <= RECENT_DAYS else "new"
    return referral.status


def ps_mentions_gift(ps: str, gift: str) -> bool:
    """Whether a P.S. already speaks of the gift ("Lunch is on me" for a lunch
    invitation), so the letter's body must not name it a second time."""
    text = ps.casefold()
    if gift.strip().casefold() in text or "gift" in _words(text):
        return True
    return bool(_content_words(gift.casefold()) & _words(text))


def gifts_and_postscripts(referrals, gift_referrals=None) -> tuple[list[str], list[str]]:
    """The gifts for the letter's body (each once) and its P.S. lines (each once).

    `gift_referrals`: those whose gift goes with this letter (default: all). A gift
    that a P.S. of this letter already speaks of is left out of the body: a gift is
    mentioned once.
    """
    postscripts = list(dict.fromkeys(r.ps.strip() for r in referrals if r.ps and r.ps.strip()))
    source = referrals if gift_referrals is None else gift_referrals
    named = dict.fromkeys(r.gift.strip() for r in source if r.gift and r.gift.strip())
    gifts = [g for g in named if not any(ps_mentions_gift(ps, g) for ps in postscripts)]
    return gifts, postscripts


def _words(text: str) -> set[str]:
    return set(_WORD.findall(text))


def _content_words(text: str) -> set[str]:
    return {w for w in _words(text) if len(w) >= 4 and w not in _PLAIN_WORDS and w != "gift"}


NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


def count_words(count: int) -> str:
    """A small count as a word ("two"), larger ones as digits."""
    return NUMBER_WORDS[count] if 0 <= count < len(NUMBER_WORDS) else str(count)


def and_list(items) -> str:
    """Items joined as a person writes them: A; A and B; A, B and C."""
    items = [str(item) for item in items]
    if len(items) < 3:
        return " and ".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]
