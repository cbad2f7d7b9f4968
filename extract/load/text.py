"""Plain text (.txt, .md): byte-order marks, UTF-8/16/32, a Windows-1252 fallback, junk check."""

from __future__ import annotations

import codecs
import re

from extract.document import Block, Part
from extract.errors import LoadError
from extract.load.base import LoadContext

BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Control characters that never occur in real text; tab, newlines and form feed do.
_CONTROL = {i for i in range(32) if i not in (9, 10, 12, 13)} | {127}
# The same characters and U+FFFD as one class, counted by the regex engine instead of a
# Python loop over every character of the sample.
_NOT_TEXT = re.compile("[" + "".join(re.escape(chr(i)) for i in sorted(_CONTROL)) + "\ufffd]")


def _looks_utf16(data: bytes) -> str | None:
    """Guess BOM-less UTF-16 from NUL bytes in every other position (ASCII-heavy text)."""
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.05 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.4 * len(even) and odd.count(0) < 0.05 * len(odd):
        return "utf-16-be"
    return None


def _is_binary(text: str) -> bool:
    """True when the decoded text is mostly not text (NULs, control bytes)."""
    sample = text[:8192]
    if not sample:
        return False
    bad = len(_NOT_TEXT.findall(sample))
    return "\x00" in sample or bad > 0.02 * len(sample)


def decode_text(data: bytes) -> tuple[str, list[str]]:
    """Decode bytes of a text file; return the text and any warnings. Raise LoadError on junk."""
    warnings: list[str] = []
    text: str | None = None
    for bom, enc in BOMS:
        if data.startswith(bom):
            text = data[len(bom):].decode(enc, errors="replace")
            break
    if text is None and (enc16 := _looks_utf16(data)):
        text = data.decode(enc16, errors="replace")
        warnings.append(f"no byte-order mark; decoded as {enc16.upper()}")
    if text is None:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = None
    if text is None and not _is_binary(data.decode("latin-1")):
        text = data.decode("cp1252", errors="replace")
        warnings.append("not valid UTF-8; decoded as Windows-1252")
    if text is None or _is_binary(text):
        raise LoadError("binary content, not text")
    return text, warnings


def load_text(name: str, data: bytes, ctx: LoadContext) -> list[Part]:
    """A text file as one part with one text block (offsets map 1:1 after normalisation)."""
    text, warnings = decode_text(data)
    media = "text/markdown" if name.lower().endswith(".md") else "text/plain"
    return [Part(name=name, media=media, blocks=[Block(kind="text", text=text)],
                 warnings=warnings)]
