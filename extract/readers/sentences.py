"""Sentences of a reply with their offsets, number words, and what marks a sentence as the
request rather than the answer. Every prose reader builds on these."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from extract.document import QUOTED_MEDIA, Document

_UNITS = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
          "fifteen sixteen seventeen eighteen nineteen").split()
_TENS = {w: 10 * i for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety"
                                         .split(), start=2)}
# Counts written as words up to ninety-nine (`forty-three`, `forty three`). The compounds come
# first, so that a pattern built from the keys takes `forty-three` whole, not `forty`.
NUMBER_WORDS = {
    **{f"{t}{sep}{u}": n + i for t, n in _TENS.items() for sep in ("-", " ")
       for i, u in enumerate(_UNITS[1:10], start=1)},
    **_TENS, **{w: i for i, w in enumerate(_UNITS)}}
# The same words as one pattern, factored (tens, then an optional unit), so that a scan of a
# long text tries a few alternatives at each word, not every key.
NUMBER_WORD = (rf"(?:(?:{'|'.join(_TENS)})(?:[- ](?:{'|'.join(_UNITS[1:10])}))?|"
               rf"{'|'.join(sorted(_UNITS, key=len, reverse=True))})")
NUM = rf"(\d{{1,3}}|{NUMBER_WORD})"
_SENTENCE_END = re.compile(r"(?<=[.!?])[ \t]*\n\s*|"
                           r"(?<=[.!?])\s+(?=[A-Z(]|\d+\s+[a-z])|\n\s*\n|\n(?=[-•*]?\s*\d+[.)]\s)")


# The Act's name as replies write it, for patterns that must tell it from other Acts.
FOI_ACT = r"(?:FOIA?|FOISA|freedom\s+of\s+information)"
# The Home Office, in full or as HO, before "code" or "classification".
HOME_OFFICE = r"(?:HO|home\s+office)"


@dataclass(frozen=True)
class Span:
    """A piece of the normalised text."""

    start: int
    end: int
    text: str


def sentences(text: str) -> Iterator[Span]:
    """Sentences (and blank-line separated blocks) with their offsets."""
    yield from _split(text)


@lru_cache(maxsize=4)
def _split(text: str) -> tuple[Span, ...]:
    """The sentences of a text, split once: every prose reader walks the same ones."""
    out = []
    pos = 0
    for m in _SENTENCE_END.finditer(text):
        if m.start() > pos:
            out.append(Span(pos, m.start(), text[pos:m.start()]))
        pos = m.end()
    if pos < len(text):
        out.append(Span(pos, len(text), text[pos:]))
    return tuple(out)


def quoted_spans(doc: Document) -> list[tuple[int, int]]:
    """Where earlier messages quoted in an e-mail thread lie: not part of the answer."""
    return [(p.start, p.end) for p in doc.parts if p.media == QUOTED_MEDIA]


def doc_sentences(doc: Document) -> Iterator[Span]:
    """Sentences of the reply's prose: table regions are cut out, so no sentence runs into or
    across a table, and quoted earlier messages are left out."""
    tables = sorted((t.start, t.end) for t in doc.tables)
    quoted = quoted_spans(doc)
    for s in sentences(doc.text):
        if in_regions(quoted, s.start):
            continue
        pos = s.start
        for a, b in tables:
            if b <= pos or a >= s.end:
                continue
            if a > pos:
                yield _trimmed(doc.text, pos, a)
            pos = max(pos, b)
        if pos < s.end:
            yield _trimmed(doc.text, pos, s.end)


def _trimmed(text: str, start: int, end: int) -> Span:
    """The span [start, end) of text."""
    return Span(start, end, text[start:end])


def to_int(word: str) -> int | None:
    """`12` -> 12, `ten` -> 10."""
    w = re.sub(r"\s+", " ", word.lower().replace(",", ""))
    if w.isdigit():
        return int(w)
    if w in ("nil", "none", "no"):
        return 0
    return NUMBER_WORDS.get(w)


def in_table(doc: Document, pos: int) -> bool:
    """Whether an offset falls inside one of the document's tables."""
    return any(t.start <= pos < t.end for t in doc.tables)


_ASKS = re.compile(
    r"^\W*(?:(?:q(?:uestion)?\s*)?\d+[a-z]?\s*[.):-]\s*|q(?:uestion)?\s*\d+[a-z]?\s+)?"
    r"(?:\(?[a-z]\)\s*)?(?:please\s+(?!see|find|note|be aware|refer)|could you|can you|"
    r"would you|i would (?:like|be grateful)|i wish|i request|i am requesting|how many|what|which|"
    r"i require|provide|(?:can|could) i)\b", re.IGNORECASE)


def is_request(text: str) -> bool:
    """A sentence of the request (the question), not of the answer: it asks (`Please provide`,
    `Q2. How many`, `(b) Could you`) or ends with a question mark."""
    t = text.strip()
    return bool(_ASKS.match(t)) or t.endswith("?")


# A line that opens the quoted request, and one that opens the answer; a heading stands alone on
# its line (a colon may follow), so "Request Reference: 123" is not one.
_REQUEST_HEAD = re.compile(
    r"(?im)^[ \t#*]*(?:(?:your|the|original|details of (?:your|the))\s+)?(?:request(?:ed)?|"
    r"you asked|questions?|information requested|you requested)(?:\s+for information)?"
    r"[ \t*]*:?[ \t*]*$")
_ANSWER_HEAD = re.compile(
    r"(?im)^[ \t#*]*(?:(?:our|the|in|my|force)\s+)?(?:response|answer|reply|decision|disclosure|"
    r"information (?:disclosed|provided|released))(?:\s+to\s+(?:your\s+)?(?:request|questions?))?"
    r"[ \t*]*:?[ \t*]*$")


def request_regions(text: str) -> list[tuple[int, int]]:
    """Stretches of text quoting the request: from a request heading to the next answer
    heading. Only a request the reply marks as such (a heading on its own line) is a region."""
    return list(_request_regions(text))


@lru_cache(maxsize=4)
def _request_regions(text: str) -> tuple[tuple[int, int], ...]:
    """request_regions, found once per text (every reader asks)."""
    out = []
    answers = [m.start() for m in _ANSWER_HEAD.finditer(text)]
    for m in _REQUEST_HEAD.finditer(text):
        end = next((a for a in answers if a > m.end()), None)
        if end is not None:
            out.append((m.start(), end))
    out += [(a, b) for a, b in _quotations(text)
            if 40 <= b - a <= 2500 and _ASKING.search(text[a:b])]
    return tuple(out)


def _quotations(text: str) -> list[tuple[int, int]]:
    """Spans of text between paired quotation marks: `“` opens and `”` closes; straight
    quotes pair in order of appearance."""
    out = []
    opened: int | None = None
    for m in re.finditer(r"[\"“”]", text):
        if m.group(0) == "“" or (m.group(0) == '"' and opened is None):
            opened = m.start()
        elif opened is not None:
            out.append((opened, m.end()))
            opened = None
    return out


# The request quoted in quotation marks (`You asked: "For each month ... please provide ..."`):
# a quoted passage that asks is the request, whatever heading it has.
_ASKING = re.compile(r"\b(?:please\s+(?!note|find|see|be\s+aware|refer|contact|quote)|could\s+you|"
                     r"can\s+you|would\s+you|how\s+many|i\s+would\s+like|i\s+request)\b",
                     re.IGNORECASE)


def in_regions(regions: list[tuple[int, int]], pos: int) -> bool:
    """Whether an offset falls inside any of the regions."""
    return any(a <= pos < b for a, b in regions)

