"""Loading: every file of one reply (and its attachments and archive members) into parts.

``load_files`` never raises for bad input: a file that cannot be read becomes an entry in
``LoadResult.errors`` ("name: reason"), odd-but-usable input a warning.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from extract.document import LoadResult
from extract.errors import LoadError
from extract.limits import Limits
from extract.load.base import LoadContext, check_size
from extract.load.dispatch import load_bytes

__all__ = ["hash_files", "load_bytes", "load_files"]


def _read(path: Path, limits: Limits) -> bytes:
    try:
        check_size(path.name, path.stat().st_size, limits)
        return path.read_bytes()
    except FileNotFoundError as exc:
        raise LoadError("file not found") from exc
    except IsADirectoryError as exc:
        raise LoadError("is a folder, not a file") from exc
    except OSError as exc:
        raise LoadError(f"cannot read file ({exc.strerror or exc})") from exc


def hash_files(contents: list[bytes]) -> str:
    """sha256 over the files' bytes, each length-prefixed so that boundaries count."""
    digest = hashlib.sha256()
    for data in contents:
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()


def load_files(paths: list[Path], limits: Limits = Limits()) -> LoadResult:  # noqa: B008
    """Load every file of one reply into parts, in the given order; never raises."""
    ctx = LoadContext(limits=limits)
    result = LoadResult()
    contents: list[bytes] = []
    for path in paths:
        try:
            data = _read(path, limits)
        except LoadError as exc:
            ctx.errors.append(f"{path.name}: {exc}")
            continue
        contents.append(data)
        result.parts.extend(load_bytes(path.name, data, ctx))
    result.errors, result.warnings = ctx.errors, ctx.warnings
    result.input_hash = hash_files(contents)
    return result
