"""A disk cache of model answers that holds JSON strings only (never pickles).

diskcache pickles non-str values by default, and unpickling a row is code execution for
anyone who can write the cache directory. :class:`JSONOnlyDisk` refuses to store or read
anything but strings under string keys; the directory is created 0700; nothing is evicted.
SQLite makes the cache safe for several worker processes on one machine (not over NFS).
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

import diskcache
from diskcache.core import MODE_RAW, MODE_TEXT


class UnsafeCacheRow(Exception):
    """A cache row that is not a JSON string (pickled or binary): refused, never loaded."""


class JSONOnlyDisk(diskcache.Disk):  # type: ignore[misc]
    """A diskcache Disk that accepts and returns str keys and str values only."""

    def put(self, key: Any) -> tuple[Any, bool]:
        """Store str keys raw; refuse anything that would be pickled."""
        if type(key) is not str:
            raise TypeError(f"cache keys must be str, not {type(key).__name__}")
        return key, True

    def get(self, key: Any, raw: bool) -> Any:
        """Read a key; a pickled key is refused."""
        if not raw or type(key) is not str:
            raise UnsafeCacheRow("cache key is not a raw string")
        return key

    def store(self, value: Any, read: bool, key: Any = diskcache.core.UNKNOWN) -> Any:
        """Store str values only."""
        if read or type(value) is not str:
            raise TypeError(f"cache values must be JSON str, not {type(value).__name__}")
        return super().store(value, read, key=key)

    def fetch(self, mode: int, filename: str | None, value: Any, read: bool) -> Any:
        """Return a stored string; pickled or binary rows are refused, never unpickled."""
        if mode not in (MODE_RAW, MODE_TEXT) or read:
            raise UnsafeCacheRow(f"refusing a cache row stored in mode {mode} (not text)")
        result = super().fetch(mode, filename, value, read)
        if type(result) is not str:
            raise UnsafeCacheRow("cache row is not a string")
        return result


def cache_key(*, endpoint: str, model: str, prompt_text: str, prompt_version: str,
              schema: dict[str, Any], params: dict[str, Any], chunk_text: str) -> str:
    """sha256 hex of the canonical JSON of everything that can change an answer."""
    payload = {"endpoint": endpoint, "model": model, "prompt_text": prompt_text,
               "prompt_version": prompt_version, "schema": schema, "params": params,
               "chunk_text": chunk_text}
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


class LLMCache:
    """Model answers as JSON strings under sha256 hex keys."""

    def __init__(self, directory: str | Path) -> None:
        path = Path(directory)
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.chmod(path, 0o700)
        self.directory = path
        # min_file_size keeps answers inline in SQLite (no side files to tamper with)
        self._cache = diskcache.Cache(str(path), disk=JSONOnlyDisk, eviction_policy="none",
                                      disk_min_file_size=16 * 1024 * 1024, timeout=30)

    def get(self, key: str) -> str | None:
        """The stored JSON string for a key, or None. Unsafe rows raise UnsafeCacheRow."""
        value = self._cache.get(key, default=None, retry=True)
        return value if isinstance(value, str) else None

    def set(self, key: str, value: str) -> None:
        """Store a JSON string (it must parse as JSON)."""
        if not isinstance(value, str):
            raise TypeError("cache values must be JSON strings")
        json.loads(value)
        self._cache.set(key, value, retry=True)

    def __len__(self) -> int:
        return len(self._cache)

    def close(self) -> None:
        """Close the SQLite connection."""
        self._cache.close()
