"""Limits that keep one hostile or huge reply from stalling a batch. Each is configurable."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    """Caps applied while loading and reading one reply."""

    max_file_bytes: int = 50 * 1024 * 1024
    max_pages: int = 300
    max_zip_members: int = 200
    max_unzipped_bytes: int = 200 * 1024 * 1024
    max_nesting: int = 4
    max_table_cells: int = 20_000
    max_text_chars: int = 2_000_000
    reply_timeout_s: float = 120.0
    pdf_memory_bytes: int = 1024 * 1024 * 1024
