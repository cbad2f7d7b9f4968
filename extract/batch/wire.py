"""Batch API wire details shared by prepare, submit and collect.

Request bodies come from ``extract.llm.requests`` (the live reader's builder) and answers are
read by ``extract.llm.parse`` (the live reader's parser): nothing here captures or replays
HTTP.
"""

from __future__ import annotations

CHAT_PATH = "/v1/chat/completions"


def split_custom_id(cid: str) -> tuple[str, str, str] | None:
    """(doc id, request id, hash) of a custom_id ``<doc>:<request>:<hash>``, else None."""
    parts = cid.rsplit(":", 2)
    return (parts[0], parts[1], parts[2]) if len(parts) == 3 and all(parts) else None
