"""FOI Act grounds applied (not merely discussed), with NCND where the ground is used to neither
confirm nor deny."""

from __future__ import annotations

import re
from dataclasses import dataclass

from extract.document import Document
from extract.readers.sentences import (
    FOI_ACT,
    Span,
    doc_sentences,
    in_regions,
    is_request,
    request_regions,
)
from schemas.vocab import normalise_section

# A section, its subsections (`31(1)(a) & (b)`), and more sections listed after it, perhaps
# each after its title in brackets (`38(1)(a) & (b) (Health and Safety) and 40(2)`).
_SUBS = r"(?:\(\s?\w{1,3}\s?\)|\s?(?:&|and|,)\s?\(\s?[a-z]\s?\)(?!\s?\w))*"
_TITLE = r"(?:\s*\((?-i:[A-Z])[A-Za-z ,&'-]{2,40}\))?"
_SECTION = re.compile(
    rf"\b(?:section|sections|s\.|s|sec\.?)\s?(?P<num>\d{{1,3}})\s?(?P<sub>{_SUBS})"
    rf"(?P<more>(?:{_TITLE}\s*(?:,|and|&)\s*(?:section\s*)?\d{{1,3}}\s?{_SUBS})*)",
    re.IGNORECASE)
# `section 12 of the Sexual Offences Act`, `section 8 of SOA 2003`: a section of another Act
# (a capitalised name before "Act"; "of the Act" alone is the FOI Act).
_OTHER_ACT = re.compile(r"^\W{0,3}(?:(?!of\b)\w+\s){0,3}?of\s+"
                        rf"(?!(?:the\s+)?{FOI_ACT})(?:the\s+)?"
                        r"(?:(?-i:[A-Z])[\w ()]*?\b(?:act|regulations?|order)\b|"
                        r"(?-i:[A-Z]{2,6})\b)",
                        re.IGNORECASE)
# A ground discussed but not relied on: considered, conditional, or said not to apply.
_CONSIDERED = re.compile(
    r"\b(also\s+)?considered\s+(engaging|applying|using|whether|relying)|"
    r"\b(?:was|were|has\s+been|have\s+been)\s+considered\b(?!\s+(?:and|to\s+be)\s+"
    r"(?:engaged|applied|applicable))|\bconsidered\s+but\b|"
    r"\b(?:may|might|could)\s+(?:also\s+)?(?:apply|be\s+engaged|be\s+applied)|"
    r"\bnot\s+(been\s+)?(engaged|relied|applied|applicable|used|invoked|necessary)|"
    r"\bwithout\s+(?:applying|relying|engaging)|\bno\s+exemptions?\s+(?:has|have|had)\s+been|"
    r"\bdoes\s+not\s+apply\s+to\s+(this|your)|\bno\s+longer\s+appl|\bwould\s+normally|"
    r"\bif\s+(?:we|the\s+force|it)\s+(?:were\s+to|had\s+to|did)\b",
    re.IGNORECASE)
# A ground named for a step the force did not take, the data being given all the same ("To
# check every age would exceed the appropriate limit (s.12). Data has therefore been provided
# as recorded."): discussed, not applied.
_PROVIDED_ANYWAY = re.compile(r"\b(?:has|have)\s+(?:therefore\s+)?been\s+(?:provided|supplied|"
                              r"given|released|disclosed)\s+as\s+(?:it\s+is\s+)?(?:recorded|held)\b",
                              re.IGNORECASE)
_NCND = re.compile(r"neither\s+(to\s+)?confirm\s+n?or\s+deny|\bNCND\b|"
                   r"\bnot\s+(?:required|obliged)\s+to\s+confirm\s+or\s+deny\b", re.IGNORECASE)
_NCND_SUBSECTIONS = {"12(2)", "23(5)", "24(2)", "26(3)", "27(4)", "30(3)", "31(3)", "38(2)",
                     "40(5)", "41(2)", "42(2)", "43(3)", "44(2)"}


@dataclass
class Ground:
    """A FOI Act ground applied, with NCND, and where it was read."""

    section: str
    ncnd: bool
    span: Span


def _mentions(s: Span) -> list[tuple[str, int, int]]:
    """(raw section, start, end) for every FOI section named in a sentence."""
    out = []
    for m in _SECTION.finditer(s.text):
        if _OTHER_ACT.match(s.text[m.end():m.end() + 80]):
            continue
        out.append((m.group("num") + m.group("sub").replace(" ", ""), s.start + m.start(),
                    s.start + m.end("sub")))
        for extra in re.finditer(r"(\d{1,3})\s?((?:\(\s?\w{1,3}\s?\))*)", m.group("more")):
            off = s.start + m.start("more") + extra.start()
            out.append((extra.group(1) + extra.group(2).replace(" ", ""), off,
                        s.start + m.start("more") + extra.end()))
    return out


def grounds(doc: Document) -> list[Ground]:
    """Sections applied, one per section, with NCND where the reply neither confirms nor denies."""
    found: dict[str, Ground] = {}
    lead_in = False  # the last sentence neither confirmed nor denied and ended with a colon
    asked = request_regions(doc.text)
    sentences = list(doc_sentences(doc))
    for i, s in enumerate(sentences):
        if is_request(s.text) or in_regions(asked, s.start):
            continue  # sections the request names (of other Acts, or asking) are not grounds
        here = bool(_NCND.search(s.text))
        after = sentences[i + 1].text if i + 1 < len(sentences) else ""
        considered = bool(_CONSIDERED.search(s.text) or _PROVIDED_ANYWAY.search(s.text + after))
        for raw, start, end in _mentions(s):
            section = normalise_section(raw)
            if section is None or considered:
                continue
            ncnd = section in _NCND_SUBSECTIONS or _first_sub(raw) in _NCND_SUBSECTIONS or \
                here or lead_in
            span = Span(start, end, doc.text[start:end])
            prev = found.get(section)
            if prev is None or (ncnd and not prev.ncnd):
                found[section] = Ground(section, ncnd, span)
        lead_in = here and s.text.rstrip().endswith(":")
    return _fold_bare(list(found.values()))


def _first_sub(raw: str) -> str:
    """`12(2)(a)` -> `12(2)`: the section with its first subsection as written (section 12 is
    recorded bare, but its subsection 2 is the cost of confirming or denying)."""
    m = re.match(r"\d{1,3}(?:\(\w{1,3}\))?", raw)
    return m.group(0) if m else raw


def _fold_bare(grounds_: list[Ground]) -> list[Ground]:
    """`Section 40` beside `Section 40(2)` is the same ground: keep the one with a subsection."""
    with_sub = {g.section.split("(")[0] for g in grounds_ if "(" in g.section}
    return [g for g in grounds_ if "(" in g.section or g.section not in with_sub]
