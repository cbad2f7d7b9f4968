"""Choose a loader for a file by extension and content, and run it without letting it raise."""

from __future__ import annotations

import importlib
from pathlib import PurePosixPath
from typing import cast

from extract.document import Part
from extract.errors import LoadError
from extract.load.base import LoadContext, Loader, check_size, sniff

EXTENSIONS = {
    ".txt": "text", ".text": "text", ".md": "text", ".markdown": "text",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".pdf": "pdf", ".docx": "docx", ".xlsx": "xlsx", ".xlsm": "xlsx", ".xls": "xls",
    ".ods": "ods", ".csv": "csv", ".tsv": "csv", ".eml": "eml", ".msg": "msg", ".zip": "zip",
}
IMAGES = {".png", ".jpg", ".jpeg", ".gif", ".tif", ".tiff", ".bmp", ".webp", ".emf", ".wmf"}
UNSUPPORTED = {".doc": "legacy Word .doc", ".rtf": "RTF", ".odt": "OpenDocument text",
               ".pptx": "PowerPoint", ".ppt": "PowerPoint"}
STRONG = {"pdf", "docx", "xlsx", "ods", "zip"}  # magic numbers that outrank an extension


LOADERS = {
    "text": ("text", "load_text"), "html": ("web", "load_html"), "pdf": ("pdf", "load_pdf"),
    "docx": ("word", "load_docx"), "xlsx": ("sheets", "load_xlsx"),
    "xls": ("sheets", "load_xls"), "csv": ("sheets", "load_csv"), "ods": ("ods", "load_ods"),
    "eml": ("mail", "load_eml"), "msg": ("mail", "load_msg"), "zip": ("archive", "load_zip"),
    "ole": ("dispatch", "load_ole"),
}


def _loader(kind: str) -> Loader:
    """The loader function for a format (imported on first use: keeps startup light)."""
    module, func = LOADERS[kind]
    return cast(Loader, getattr(importlib.import_module(f"extract.load.{module}"), func))


def load_ole(name: str, data: bytes, ctx: LoadContext) -> list[Part]:
    """An OLE compound file of unknown kind: try .xls, then Outlook .msg."""
    try:
        return _loader("xls")(name, data, ctx)
    except LoadError:
        return _loader("msg")(name, data, ctx)


def choose(name: str, data: bytes) -> tuple[str, str | None]:
    """The format to read ``data`` as, and a warning when content and extension disagree."""
    ext = PurePosixPath(name).suffix.lower()
    by_ext = EXTENSIONS.get(ext)
    by_content = sniff(data)
    if by_content in STRONG and by_ext != by_content:
        if by_ext is None:
            return by_content, None
        if not (by_content == "zip" and by_ext in ("docx", "xlsx", "ods")):
            return by_content, f"content is {by_content.upper()}, not {ext}; read as such"
    if by_ext:
        return by_ext, None
    if ext in UNSUPPORTED:
        raise LoadError(f"unsupported file type: {UNSUPPORTED[ext]} ({ext})")
    if by_content:
        return by_content, None
    shown = ext or "no extension"
    raise LoadError(f"unsupported file type ({shown}; content not recognised)")


def load_bytes(name: str, data: bytes, ctx: LoadContext) -> list[Part]:
    """Load one file's bytes into parts. Failures go to ``ctx.errors``; this never raises."""
    try:
        if ctx.depth > ctx.limits.max_nesting:
            raise LoadError(f"nested more than {ctx.limits.max_nesting} levels deep; not read")
        check_size(name, len(data), ctx.limits)
        if PurePosixPath(name).suffix.lower() in IMAGES:
            ctx.warnings.append(f"{name}: image, not read (no OCR)")
            return []
        kind, warning = choose(name, data)
        if warning:
            ctx.warnings.append(f"{name}: {warning}")
        parts = _loader(kind)(name, data, ctx)
    except LoadError as exc:
        ctx.errors.append(f"{name}: {exc}")
        return []
    except Exception as exc:  # a loader bug or library crash must not stop the batch
        ctx.errors.append(f"{name}: could not be read ({type(exc).__name__}: {exc})")
        return []
    for part in parts:
        ctx.warnings.extend(f"{part.name}: {w}" for w in part.warnings)
    return parts
