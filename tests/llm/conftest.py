"""pytest-recording setup for the LLM cassette tests (cassettes live in /cassettes)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

CASSETTES = Path(__file__).resolve().parents[2] / "cassettes"
# The endpoint the cassettes were recorded from. Replays must send the same requests, so
# re-recording against another endpoint means changing these defaults (see README).
CASSETTE_BASE_URL = os.environ.get("FOI_EXTRACT_CASSETTE_BASE_URL", "http://127.0.0.1:8765/v1")
CASSETTE_MODEL = os.environ.get("FOI_EXTRACT_CASSETTE_MODEL", "gemma-3-270m")

_SECRET_RESPONSE_HEADERS = {"openai-organization", "openai-project", "set-cookie",
                            "x-request-id", "cf-ray"}


def _scrub_response(response: dict[str, Any]) -> dict[str, Any]:
    headers = response.get("headers", {})
    for name in list(headers):
        if name.lower() in _SECRET_RESPONSE_HEADERS:
            del headers[name]
    return response


@pytest.fixture(scope="module")
def vcr_config() -> dict[str, Any]:
    """Filter keys from requests and account headers from responses; match on the body."""
    return {
        "filter_headers": ["authorization", "api-key", "x-api-key", "openai-organization",
                           "openai-project", "cookie"],
        "before_record_response": _scrub_response,
        "match_on": ["method", "uri", "body"],
        "decode_compressed_response": True,
        "allowed_hosts": ["127.0.0.1", "localhost"],
    }


@pytest.fixture(scope="module")
def vcr_cassette_dir() -> str:
    """All cassettes in the repository's cassettes/ folder."""
    return str(CASSETTES)
