"""Grouping input paths into replies: one reply = one record.

A file is a reply (doc_id = its stem); files in one folder that share a stem (``x.html`` and
``x.pdf``) are one reply; a sub-folder of an input folder is one reply (doc_id = its name); a
manifest CSV (``file``, ``reply_id``, optional ``force``, ``reference``) overrides all that for
the files it lists. Hidden files and the manifest itself are skipped; order is deterministic.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from extract.errors import LoadError


@dataclass
class ReplyInput:
    """The files that make up one reply, and what a manifest says about it."""

    doc_id: str
    paths: list[Path] = field(default_factory=list)
    force: str | None = None
    reference: str | None = None


@dataclass
class _ManifestRow:
    reply_id: str
    force: str | None
    reference: str | None


def _hidden(path: Path) -> bool:
    return path.name.startswith(".") or path.name.startswith("~$")


def _files_in(folder: Path) -> list[Path]:
    """Visible files under ``folder`` (recursively), sorted, hidden folders skipped."""
    out = []
    for p in sorted(folder.rglob("*")):
        rel = p.relative_to(folder).parts
        if p.is_file() and not any(part.startswith(".") for part in rel) and not _hidden(p):
            out.append(p)
    return out


def read_manifest(manifest: Path) -> dict[Path, _ManifestRow]:
    """Manifest rows by resolved file path (relative paths are relative to the manifest)."""
    try:
        with manifest.open(newline="", encoding="utf-8-sig") as fh:
            reader = csv.DictReader(fh)
            fields = {f.strip().lower() for f in reader.fieldnames or []}
            if not {"file", "reply_id"} <= fields:
                raise LoadError(f"{manifest.name}: manifest needs columns file and reply_id")
            rows = [{(k or "").strip().lower(): (v or "").strip() for k, v in r.items()}
                    for r in reader]
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise LoadError(f"{manifest.name}: cannot read manifest ({exc})") from exc
    out: dict[Path, _ManifestRow] = {}
    for row in rows:
        if not row.get("file") or not row.get("reply_id"):
            continue
        path = Path(row["file"])
        path = path if path.is_absolute() else manifest.parent / path
        out[path.resolve()] = _ManifestRow(row["reply_id"], row.get("force") or None,
                                           row.get("reference") or None)
    return out


def _by_stem(files: list[Path]) -> list[ReplyInput]:
    groups: dict[tuple[Path, str], list[Path]] = defaultdict(list)
    for f in files:
        groups[(f.parent, f.stem)].append(f)
    return [ReplyInput(doc_id=stem, paths=sorted(paths))
            for (_, stem), paths in sorted(groups.items(), key=lambda kv: (kv[0][1], kv[0][0]))]


def _from_folder(folder: Path, skip: set[Path]) -> list[ReplyInput]:
    loose = [p for p in sorted(folder.iterdir())
             if p.is_file() and not _hidden(p) and p.resolve() not in skip]
    replies = _by_stem(loose)
    for sub in sorted(p for p in folder.iterdir() if p.is_dir() and not _hidden(p)):
        files = [f for f in _files_in(sub) if f.resolve() not in skip]
        if files:
            replies.append(ReplyInput(doc_id=sub.name, paths=files))
    return replies


def group_inputs(inputs: list[Path], manifest: Path | None = None) -> list[ReplyInput]:
    """Group input files and folders into replies (see the module docstring)."""
    listed = read_manifest(manifest) if manifest else {}
    skip = set(listed) | ({manifest.resolve()} if manifest else set())
    loose: list[Path] = []
    replies: list[ReplyInput] = []
    for item in inputs:
        if item.is_dir():
            replies.extend(_from_folder(item, skip))
        elif item.resolve() not in skip and not _hidden(item):
            loose.append(item)
    return _from_manifest(listed) + _by_stem(loose) + replies


def _from_manifest(listed: dict[Path, _ManifestRow]) -> list[ReplyInput]:
    by_id: dict[str, ReplyInput] = {}
    for path, row in listed.items():
        reply = by_id.setdefault(row.reply_id, ReplyInput(doc_id=row.reply_id))
        reply.paths.append(path)
        reply.force = reply.force or row.force
        reply.reference = reply.reference or row.reference
    for reply in by_id.values():
        reply.paths.sort()
    return [by_id[k] for k in sorted(by_id)]
