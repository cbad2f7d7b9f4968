"""What keeps a run folder true to its inputs (issue 13, items 2-4).

- the output folder is never read as input, even when it lies inside an input folder;
- a rerun removes the records, errors and texts of replies no longer given;
- a different input set into a used folder is refused unless forced;
- the skip key holds a fingerprint of the code, prompts and vocabularies;
- the same reply given twice is read once: the later one gets a pointer record
  (``meta.duplicate_of``) that carries no facts, so nothing is counted twice;
- a reply whose model part failed is written from the rules reader alone, flagged
  ``llm_failed``, and redone on the next run.

These are plain functions over the runner's stores so that the dispatch loop in
:mod:`extract.runner` stays small.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Iterable, Sequence
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from extract.errors import ExtractError
from extract.outputs import DOCS, JsonlStore, write_atomic

INPUTS_FILE = ".inputs.json"  # hidden: never grouped as a reply, no clutter
# Packages whose files decide what a record says; data files are hashed with the code.
_FINGERPRINTED = ("extract", "schemas", "eval", "prompts")
_DATA_SUFFIXES = (".py", ".json", ".md")
# Record lists emptied in a duplicate's pointer record: its figures live in the original's.
_FACT_LISTS = ("offence_codes", "offences", "victims", "suspects", "platforms",
               "outcomes_by_type", "exemptions")


class InputSetChanged(ExtractError):
    """The output folder was written from other inputs and --force was not given."""


# ---------------------------------------------------------------- code fingerprint


def _package_files(package: str) -> list[tuple[str, bytes]]:
    """(relative name, bytes) of a package's code and data files, sorted; [] when absent."""
    try:
        root = Path(str(resources.files(package)))
    except (ModuleNotFoundError, TypeError):
        return []
    out = []
    for path in sorted(root.rglob("*")):
        if path.suffix in _DATA_SUFFIXES and path.is_file() and "__pycache__" not in path.parts:
            out.append((f"{package}/{path.relative_to(root).as_posix()}", path.read_bytes()))
    return out


@cache
def code_fingerprint() -> str:
    """sha256 (16 hex) over our packages' .py files, the prompts and the vocabularies.

    A package version stays 0.1.0 across edits; this changes whenever code or data that can
    change a record does, so an upgrade redoes the replies it may change.
    """
    h = hashlib.sha256()
    for package in _FINGERPRINTED:
        for name, data in _package_files(package):
            h.update(name.encode("utf-8") + b"\0" + hashlib.sha256(data).digest())
    return h.hexdigest()[:16]


# ---------------------------------------------------------------- inputs vs outputs


def _under(path: Path, folder: Path) -> bool:
    return path.resolve().is_relative_to(folder)


def exclude_outputs(replies: Sequence[Any], out_dir: Path) -> tuple[list[Any], int]:
    """The replies minus any file under ``out_dir``; returns (replies, files left out).

    A reply made only of output files is dropped; one that mixes them loses those files
    (``dataclasses.replace``: grouping's ReplyInput is a dataclass).
    """
    out = out_dir.resolve()
    kept, dropped = [], 0
    for reply in replies:
        inside = [p for p in reply.paths if _under(Path(p), out)]
        if not inside:
            kept.append(reply)
            continue
        dropped += len(inside)
        rest = [p for p in reply.paths if not _under(Path(p), out)]
        if rest and dataclasses.is_dataclass(reply) and not isinstance(reply, type):
            kept.append(dataclasses.replace(reply, paths=rest))  # type: ignore[type-var]
    return kept, dropped


def input_set(replies: Sequence[Any], sources: Sequence[Path] | None) -> list[str]:
    """What identifies a run's input set: the paths given (resolved), else the folders
    holding the replies' files. Removing a file from a given folder keeps the set."""
    if sources:
        return sorted({str(Path(s).resolve()) for s in sources})
    return sorted({str(Path(p).resolve().parent) for r in replies for p in r.paths})


def check_input_set(out_dir: Path, current: list[str], has_records: bool, force: bool) -> None:
    """Refuse a used folder written from another input set (unless force); then record
    this run's set in ``.inputs.json``."""
    path = out_dir / INPUTS_FILE
    try:
        before = json.loads(path.read_text(encoding="utf-8")).get("inputs")
    except (OSError, ValueError, AttributeError):
        before = None  # a folder from an older version, or a fresh one
    if has_records and before is not None and before != current and not force:
        raise InputSetChanged(
            f"{out_dir} holds the results of other inputs ({', '.join(before)}); this run's "
            f"inputs are {', '.join(current)}. Use --force to replace them, or another --out")
    write_atomic(path, json.dumps({"inputs": current}, indent=2) + "\n")


def remove_stale(records: JsonlStore, errors: JsonlStore, out_dir: Path,
                 keep: Iterable[str]) -> int:
    """Drop records, errors and texts of replies not in ``keep``; how many replies went."""
    wanted = set(keep)
    gone = sorted((set(records.rows) | set(errors.rows)) - wanted)
    for doc_id in gone:
        text_file = records.rows.get(doc_id, {}).get("meta", {}).get("text_file")
        if isinstance(text_file, str) and text_file.startswith(f"{DOCS}/"):
            (out_dir / DOCS / Path(text_file).name).unlink(missing_ok=True)
    records.drop(gone)
    errors.drop(gone)
    return len(gone)


# ---------------------------------------------------------------- duplicates


def content_key(reply: Any, file_hash: Any) -> str:
    """sha256 of a reply's file bytes (names left out), force and reference: two replies
    with the same key are the same reply received twice."""
    digests = sorted(file_hash(Path(p)) if Path(p).is_file() else f"missing:{Path(p).name}"
                     for p in reply.paths)
    blob = json.dumps({"files": digests, "force": reply.force, "reference": reply.reference})
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def _text_key(obj: dict[str, Any]) -> tuple[Any, ...] | None:
    text = obj.get("meta", {}).get("text_sha256")
    return (obj.get("force"), obj.get("reference"), text) if text else None


def find_text_duplicates(order: Sequence[str], rows: dict[str, dict[str, Any]]
                         ) -> dict[str, str]:
    """{later doc_id: first doc_id} among records with the same force, reference and
    normalised text (``meta.text_sha256``); pointer records already made are left as
    they are."""
    first: dict[tuple[Any, ...], str] = {}
    dups = {}
    for doc_id in order:
        obj = rows.get(doc_id)
        if obj is None or obj.get("meta", {}).get("duplicate_of"):
            continue
        key = _text_key(obj)
        if key is None:
            continue
        if key in first:
            dups[doc_id] = first[key]
        else:
            first[key] = doc_id
    return dups


def pointer_record(original: dict[str, Any], doc_id: str, meta: dict[str, Any],
                   by: str) -> dict[str, Any]:
    """The record of a duplicate: the original's scalars, no facts, ``meta.duplicate_of``
    and a ``duplicate`` flag (so no consumer can count its figures twice)."""
    obj = json.loads(json.dumps(original))
    obj["doc_id"] = doc_id
    for name in _FACT_LISTS:
        obj[name] = []
    obj["youngest_victim"] = None
    obj["flags"] = [{"code": "duplicate", "evidence": [], "message": (
        f"the same reply as {original['doc_id']} (same {by}); read once, its figures are "
        f"counted under {original['doc_id']} only")}]
    obj["meta"] = {**meta, "duplicate_of": original["doc_id"], "duplicate_by": by}
    return obj


def is_duplicate(obj: dict[str, Any]) -> bool:
    """True for a duplicate's pointer record."""
    return bool(obj.get("meta", {}).get("duplicate_of"))


# ---------------------------------------------------------------- backend fallback


def rules_fallback(config: Any) -> Any:
    """The same run config with the rules backend only, or None when it has no backend."""
    if dataclasses.is_dataclass(config) and not isinstance(config, type) and hasattr(
            config, "backend"):
        return dataclasses.replace(config, backend="rules")  # type: ignore[type-var]
    if isinstance(config, dict) and "backend" in config:
        return {**config, "backend": "rules"}
    return None
