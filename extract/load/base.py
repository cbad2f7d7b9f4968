"""Shared plumbing of the loaders: the load context, size caps and content sniffing."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from io import BytesIO

from extract.document import Part
from extract.errors import LoadError
from extract.limits import Limits

Loader = Callable[[str, bytes, "LoadContext"], list[Part]]


@dataclass
class LoadContext:
    """State shared while one reply's files (and their members, recursively) are loaded.

    ``unzipped`` is shared by every nested archive so that a bomb split across several
    inner zips still hits one budget.
    """

    limits: Limits = field(default_factory=Limits)
    depth: int = 0
    unzipped: list[int] = field(default_factory=lambda: [0])
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def nested(self) -> LoadContext:
        """A context one level deeper (an attachment or archive member)."""
        return LoadContext(self.limits, self.depth + 1, self.unzipped, self.errors,
                           self.warnings)


OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
HTML_MARKERS = (b"<!doctype html", b"<html", b"<body", b"<table", b"<head", b"<div", b"<p>")
MAIL_HEADERS = (b"from:", b"received:", b"mime-version:", b"return-path:", b"message-id:",
                b"subject:", b"date:", b"to:", b"delivered-to:")


def zip_kind(data: bytes) -> str:
    """Which zip-based format ``data`` is: docx, xlsx, ods or plain zip."""
    try:
        with zipfile.ZipFile(BytesIO(data)) as zf:
            names = set(zf.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return "zip"
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "content.xml" in names and "mimetype" in names:
        return "ods"
    return "zip"


def sniff(data: bytes) -> str | None:
    """The format that ``data``'s content shows (pdf, zip family, ole, html, eml), or None."""
    head = data[:2048]
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return zip_kind(data)
    if head.startswith(OLE_MAGIC):
        return "ole"
    low = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if any(m in low[:1024] for m in HTML_MARKERS):
        return "html"
    first = low.split(b"\n", 1)[0]
    if any(first.startswith(h) for h in MAIL_HEADERS):
        return "eml"
    return None


def check_size(name: str, size: int, limits: Limits) -> None:
    """Raise LoadError for an empty file or one over the per-file byte cap."""
    if size == 0:
        raise LoadError("empty file")
    if size > limits.max_file_bytes:
        raise LoadError(f"file is {size:,} bytes, over the limit of {limits.max_file_bytes:,}")
