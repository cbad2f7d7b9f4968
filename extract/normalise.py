"""Normalisation: one text per reply, with parts, page/sheet locators and table cell spans.

A single-part plain-text reply keeps the file's text with only character-level fixes, so an
offset into the normalised text is where a reader expects it. Several parts are joined by a
blank line and a ``[part: NAME]`` marker. Table blocks from loaders are written one row per
line, cells joined by tabs, and become ``Table``s whose cells point at their text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from extract.document import Block, Document, LoadResult, Part, PartSpan, Table, TableCell
from extract.limits import Limits

_SPACES = "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a" \
          "\u202f\u205f\u3000"
CHAR_MAP: dict[int, str] = {
    **{ord(c): " " for c in _SPACES},
    **{ord(c): "" for c in "\u200b\u200c\u200d\u2060\ufeff\u00ad"},
    **{ord(c): "-" for c in "\u2010\u2011\u2212"},
    **{ord(c): "'" for c in "\u2018\u2019\u201a\u201b"},
    **{ord(c): '"' for c in "\u201c\u201d\u201e\u201f"},
    **{ord(c): "\n" for c in "\v\f\u0085\u2028\u2029"},
    0xFB00: "ff", 0xFB01: "fi", 0xFB02: "fl", 0xFB03: "ffi", 0xFB04: "ffl", 0xFB05: "st",
    0xFB06: "st",
}

# Site chrome that web pages print around a reply: exit/skip links, cookie banners, error and
# beta notices. Described by what such lines do, not by any one site's wording.
_CHROME_VERB = r"(?:quick(?:ly)?\s+)?(?:leave|exit|skip|hide|close|back)"
_CHROME_NOUN = r"(?:site|page|content|message|navigation|banner|top|escape)"
BOILERPLATE = re.compile(
    rf"^\s*(?:{_CHROME_VERB}\b[^.\n]{{0,60}}?\b{_CHROME_NOUN}\b.*"
    r"|(?:accept|reject|manage)\s+(?:all\s+|additional\s+|optional\s+)?cookies\b.*"
    r"|(?=.*\bcookies?\b)(?=.*\b(?:use|set|preferences|settings|accept|notice|saved|policy)\b).*"
    r"|sorry\W+.{0,60}\b(?:problem|error|wrong)\b.*"
    r"|(?=.*\bbeta\b)(?=.*\b(?:site|service|website)\b).*)\s*$",
    re.IGNORECASE,
)


def clean_chars(text: str) -> str:
    """Character-level fixes only: newlines, spaces, hyphens, quotes, ligatures, NFC."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(CHAR_MAP)
    return unicodedata.normalize("NFC", text)


def clean_cell(text: str) -> str:
    """A table cell on one line: character fixes, tabs/newlines folded to spaces, trimmed."""
    return re.sub(r"[\t\n]+", " ", clean_chars(text)).strip()


@dataclass
class _Builder:
    """Appends parts and blocks to one growing text, recording spans as it goes."""

    doc_id: str
    chunks: list[str] = field(default_factory=list)
    pos: int = 0
    tables: list[Table] = field(default_factory=list)
    parts: list[PartSpan] = field(default_factory=list)

    def add(self, s: str) -> None:
        self.chunks.append(s)
        self.pos += len(s)

    def ends_with_newline(self) -> bool:
        return not self.chunks or self.chunks[-1].endswith("\n")

    def text_block(self, block: Block) -> None:
        if self.pos and not self.ends_with_newline():
            self.add("\n")
        self.add(clean_chars(block.text))

    def table_block(self, block: Block, part: str, title: str) -> None:
        if self.pos and not self.ends_with_newline():
            self.add("\n")
        start = self.pos
        rows: list[list[TableCell]] = []
        for r, row in enumerate(block.rows):
            if r:
                self.add("\n")
            cells = []
            for c, value in enumerate(row):
                if c:
                    self.add("\t")
                text = clean_cell(value)
                cells.append(TableCell(text, self.pos, self.pos + len(text), r, c))
                self.add(text)
            rows.append(cells)
        self.tables.append(Table(id=f"T{len(self.tables) + 1}", rows=rows, start=start,
                                 end=self.pos, source=block.source or "text", part=part,
                                 title=title))
        self.add("\n")

    def text(self) -> str:
        return "".join(self.chunks)


def _last_line(builder: _Builder, since: int) -> str:
    """The last non-blank line written since offset ``since`` (a table's title)."""
    tail = builder.text()[since:] if builder.pos > since else ""
    lines = [ln.strip() for ln in tail.splitlines() if ln.strip()]
    return lines[-1] if lines else ""


def _add_part(b: _Builder, part: Part) -> None:
    if b.parts:
        b.add("\n" if b.ends_with_newline() else "\n\n")
        b.add(f"[part: {part.name}]\n")
    start = b.pos
    locators: list[tuple[int, int, str]] = []
    for block in part.blocks:
        block_start = b.pos
        if block.kind == "table":
            b.table_block(block, part.name, _last_line(b, start))
        else:
            b.text_block(block)
        if block.locator:
            _add_locator(locators, block_start, b.pos, block.locator)
    b.parts.append(PartSpan(part.name, part.media, start, b.pos, locators))


def _add_locator(locs: list[tuple[int, int, str]], start: int, end: int, loc: str) -> None:
    if locs and locs[-1][2] == loc:
        locs[-1] = (locs[-1][0], end, loc)
    else:
        locs.append((start, end, loc))


def find_boilerplate(text: str, tables: list[Table]) -> list[tuple[int, int]]:
    """Spans of site-chrome lines (cookie banners, "Leave this site") outside tables."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        end = pos + len(line)
        in_table = any(t.start <= pos < max(t.end, t.start + 1) for t in tables)
        if line.strip() and not in_table and len(line) < 400 and BOILERPLATE.match(line):
            spans.append((pos, end))
        pos = end + 1
    return spans


def normalise(doc_id: str, loaded: LoadResult, limits: Limits | None = None) -> Document:
    """One normalised Document for a reply from what its loaders gave."""
    limits = limits or Limits()
    b = _Builder(doc_id)
    for part in loaded.parts:
        _add_part(b, part)
    doc = Document(doc_id=doc_id, text=b.text(), parts=b.parts, tables=b.tables,
                   warnings=list(loaded.warnings), errors=list(loaded.errors),
                   input_hash=loaded.input_hash)
    if len(doc.text) > limits.max_text_chars:
        _truncate(doc, limits.max_text_chars)
    doc.boilerplate = find_boilerplate(doc.text, doc.tables)
    return doc


def _truncate(doc: Document, cap: int) -> None:
    """Cut the text at ``cap`` characters; drop tables that would be cut, clip spans."""
    doc.warnings.append(f"text is {len(doc.text):,} characters; cut to the first {cap:,}")
    doc.text = doc.text[:cap]
    kept = [t for t in doc.tables if t.end <= cap]
    if len(kept) < len(doc.tables):
        doc.warnings.append(f"{len(doc.tables) - len(kept)} table(s) past the cut were dropped")
    doc.tables = kept
    doc.parts = [p for p in doc.parts if p.start < cap or (p.start == p.end == cap)]
    for p in doc.parts:
        p.end = min(p.end, cap)
        p.locators = [(s, min(e, cap), loc) for s, e, loc in p.locators if s < cap]
