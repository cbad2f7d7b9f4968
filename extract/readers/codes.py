"""Home Office offence codes the reply states for its figures (contract Decision 1)."""

from __future__ import annotations

import re

from extract.document import Document
from extract.readers.labels import normalise_code
from extract.readers.sentences import Span

_CODE_CONTEXT = re.compile(
    r"\b(?:home\s+office\s+(?:crime\s+|offence\s+|recording\s+)?(?:code|classification)s?|"
    r"HO\s+(?:crime\s+|offence\s+)?codes?|crime\s+codes?|offence\s+codes?|"
    r"(?:offence|classification|code|codes)\b)\s*(?:no\.?|number)?\s*[:\-]?\s*",
    re.IGNORECASE)
_CODE = r"(0?\d{1,3}/0?\d{1,2}|0?\d{2}[A-Z](?![a-z])|\d{4})"
_CODE_LIST = re.compile(rf"{_CODE}((?:\s*(?:,|and|or|&|/)\s*{_CODE})*)")
_CODE_IN_LIST = re.compile(_CODE)
_ROW_CODE = re.compile(r"(?m)^\s*(0?\d{1,3}/0?\d{1,2}|0?\d{2}[A-Z])\s+-\s+[A-Z]{3,}")


def offence_codes(doc: Document) -> list[tuple[str, Span]]:
    """Home Office codes the reply states, normalised (`7117` -> `71/17`), first mention each."""
    out: dict[str, Span] = {}
    for m in _CODE_CONTEXT.finditer(doc.text):
        if re.search(r"\bclass\s*$", doc.text[max(0, m.start() - 8):m.start()], re.IGNORECASE):
            continue  # "offence class 88A": a classification group, not the code counted
        lm = _CODE_LIST.match(doc.text, m.end())
        if not lm:
            continue
        for cm in _CODE_IN_LIST.finditer(lm.group(0)):
            _add_code(out, cm.group(1), m.end() + cm.start(), m.end() + cm.end(), doc)
    for m in _ROW_CODE.finditer(doc.text):
        _add_code(out, m.group(1), m.start(1), m.end(1), doc)
    return list(out.items())


def _add_code(out: dict[str, Span], raw: str, start: int, end: int, doc: Document) -> None:
    if re.fullmatch(r"(19|20)\d\d", raw):
        return  # a year, not a code
    code = normalise_code(raw)
    if code and _plausible_code(code):
        out.setdefault(code, Span(start, end, doc.text[start:end]))


def _plausible_code(code: str) -> bool:
    m = re.match(r"(\d+)", code)
    return m is not None and 1 <= int(m.group(1)) <= 199

