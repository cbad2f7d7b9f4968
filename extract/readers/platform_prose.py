"""Platform counts listed in a sentence, each platform paired with its own number.

Replies write method-of-communication counts in prose in many forms: `Snapchat was used in 40
offences, Instagram in 19 and WhatsApp in 10`, `22 involved Snapchat, 9 involved WhatsApp`,
`Snapchat - 22, WhatsApp - 9`, `22 offences were committed via Snapchat, 9 via WhatsApp`, or a
label line `Snapchat: 22 offences`. The sentence is cut into list items; an item is read when it
holds one platform of the vocabulary and one count, with only linking words (`in`, `for`, `via`,
`was used in`, a dash) between them. A year, an age, a code, a percentage or a reference is
never the count.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from extract.readers.sentences import NUMBER_WORD, Span
from schemas.vocab import fold, platform_vocab

# A count: digits, a suppression mark, or a number word.
_COUNT = re.compile(rf"(?<![\w/.£$%-])(?P<n>\d{{1,3}}(?:,\d{{3}})+|\d{{1,6}}|<\s*\d+|\*+|nil|none|"
                    rf"{NUMBER_WORD})(?![\w/%]|\.\d|,\d{{3}})", re.IGNORECASE)
# Words that may link a platform and its count (`was used in`, `accounted for`, `via`).
_LINK = frozenset(
    "in for was were is are used using use via involving involved involve on through by "
    "accounted account accounting with had has have been being of the these those them which "
    "offences offence crimes crime cases case reports report incidents incident occasions "
    "occasion times recorded committed reported identified a total there platform app apps "
    "method methods site".split())
# What may follow the count at the end of an item: its noun.
_TAIL = frozenset("offences offence crimes crime cases case reports report incidents incident "
                  "occasions occasion times recorded reported each respectively".split())
# A number that these words stand before is not a count (an age, a code, a section, a year).
_NOT_COUNT_BEFORE = re.compile(r"\b(?:aged?|under|over|code|codes|section|s|class|year|years|"
                               r"ref(?:erence)?|no|q|question|table|page|since|from|to|between)"
                               r"\W*$", re.IGNORECASE)
_NOT_COUNT_AFTER = re.compile(r"^\s*(?:%|per\s*cent|years?\b|yrs?\b|-?year|months?\b|days?\b|"
                              r"hours?\b|and\s+(?:under|over)|or\s+(?:under|over|more))",
                              re.IGNORECASE)
# Where a sentence splits into list items.
_ITEM_BREAK = re.compile(r"\s*(?:[,;]\s*(?:and\s+|or\s+|while\s+|with\s+)?|\s+and\s+|"
                         r"\s+followed\s+by\s+|\s+then\s+)", re.IGNORECASE)
# A label line: `Snapchat: 22` or `Snapchat - 22 offences`, the whole sentence.
_LABEL_LINE = re.compile(r"^\W*(?P<label>[^:\-–=\d]{2,40}?)\s*[:\-–=]\s*\S", re.IGNORECASE)


@dataclass(frozen=True)
class PairedCount:
    """One platform count of a sentence: the label as written and the number's span."""

    label: str
    number: Span


@cache
def _mention() -> re.Pattern[str]:
    """Every alias of the platform vocabulary as one pattern, longest first, on whole words."""
    vocab = platform_vocab()
    names = sorted({" ".join(words) for words, _ in vocab.aliases}, key=len, reverse=True)
    parts = [r"[\s\-]+".join(re.escape(w) for w in name.split()) for name in names]
    return re.compile(rf"(?<![\w.])(?:{'|'.join(parts)})(?![\w])", re.IGNORECASE)


def _is_count(item: str, m: re.Match[str]) -> bool:
    """Whether the number at m is a count: not a year, an age, a code or a percentage."""
    raw = m.group("n")
    if re.fullmatch(r"(?:19|20)\d\d", raw):
        return False
    return not (_NOT_COUNT_BEFORE.search(item[:m.start()]) or
                _NOT_COUNT_AFTER.match(item[m.end():]))


def _only(text: str, allowed: frozenset[str]) -> bool:
    """Whether text holds nothing but the allowed words and punctuation."""
    return all(w.lower() in allowed for w in re.findall(r"[A-Za-z']+", text))


def _pair(item: str, first: bool) -> tuple[str, re.Match[str]] | None:
    """(label, count match) when the item pairs one platform with one count."""
    names = list(_mention().finditer(item))
    counts = [m for m in _COUNT.finditer(item) if not re.fullmatch(r"(?:19|20)\d\d", m.group("n"))]
    if len(names) != 1 or len(counts) != 1 or not _is_count(item, counts[0]):
        return None
    name, count = names[0], counts[0]
    lo, hi = sorted((name, count), key=lambda m: m.start())
    between, before, after = item[lo.end():hi.start()], item[:lo.start()], item[hi.end():]
    if "(" in between or not _only(between, _LINK):
        return None  # `Snapchat (22)` is the bracket reader's
    if not _only(after, _TAIL if hi is count else _LINK | _TAIL):
        return None
    if not first and not _only(before, _LINK):
        return None  # only the first item of a list may have a lead-in (`The apps were ...`)
    return name.group(0), count


def _items(s: Span) -> list[tuple[int, str]]:
    """The list items of a sentence, each with its offset in the sentence."""
    out, pos = [], 0
    for m in _ITEM_BREAK.finditer(s.text):
        out.append((pos, s.text[pos:m.start()]))
        pos = m.end()
    out.append((pos, s.text[pos:]))
    return [(at, text) for at, text in out if text.strip()]


def paired_platforms(s: Span) -> list[PairedCount]:
    """The platform counts a sentence lists, each platform paired with its count: two or more
    items with at least one specific platform, or one label line (`Snapchat: 22 offences`)."""
    pairs: list[PairedCount] = []
    for at, item in _items(s):
        found = _pair(item, first=not pairs and at == 0)
        if not found and _mention().search(item):
            # an item this reader cannot pair (`Snapchat and Instagram were used in 6`, where
            # the label runs over two items): the other readers take the sentence
            return []
        if found:
            label, m = found
            a = s.start + at + m.start("n")
            pairs.append(PairedCount(label, Span(a, a + len(m.group("n")), m.group("n"))))
    generic = platform_vocab().generic
    specific = [p for p in pairs if _canonical(p.label) not in generic]
    if len(pairs) >= 2 and specific:
        return pairs
    line = _LABEL_LINE.match(s.text.strip().split("\n")[-1])  # a heading line may lead
    if len(pairs) == 1 and specific and line and \
            line.group("label").strip().lower() == pairs[0].label.lower():
        return pairs
    return []


def _canonical(label: str) -> str:
    """The canonical name of a matched alias."""
    return platform_vocab().whole.get(fold(label), label)
