"""Configuration of the model endpoint, read from the environment or flags."""

from __future__ import annotations

import os
from enum import StrEnum
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from pydantic import BaseModel, ConfigDict, Field, SecretStr

OPENAI_HOST = "api.openai.com"
DEFAULT_BASE_URL = "https://api.openai.com/v1"
DEFAULT_MODEL = "gpt-4o-mini"


class LLMMode(StrEnum):
    """How the response schema is sent to the endpoint.

    ``tools``: a forced tool call (OpenAI, llama.cpp). ``json_object_schema``:
    ``response_format={"type": "json_object", "schema": ...}``, grammar-constrained on
    llama.cpp (which rejects OpenAI's ``json_schema`` shape with a 500). ``json_schema``:
    OpenAI structured outputs. ``json``: plain JSON mode, schema only in the prompt.
    """

    auto = "auto"
    tools = "tools"
    json_object_schema = "json_object_schema"
    json_schema = "json_schema"
    json = "json"


class LLMConfig(BaseModel):
    """Everything that decides how (and whether) the LLM reader talks to an endpoint."""

    model_config = ConfigDict(frozen=True)

    model: str = DEFAULT_MODEL
    base_url: str = DEFAULT_BASE_URL
    api_key: SecretStr | None = None
    mode: LLMMode = LLMMode.auto
    timeout_s: float = Field(default=60.0, gt=0)
    # The openai client's own retry layer; ours (tenacity) is the one that counts.
    client_max_retries: int = Field(default=0, ge=0, le=3)
    attempts: int = Field(default=3, ge=1, le=10)
    backoff_base_s: float = Field(default=1.0, ge=0)
    backoff_max_s: float = Field(default=30.0, ge=0)
    max_reasks: int = Field(default=2, ge=0, le=3)
    temperature: float = 0.0
    # Unused since prompt v3 (max_tokens is sized per request, all examples are sent);
    # kept so older configs and callers still load.
    max_tokens: int = Field(default=1024, gt=0)
    n_examples: int | None = Field(default=None, ge=0)
    cache_dir: Path | None = None

    @classmethod
    def from_env(cls, **overrides: Any) -> LLMConfig:
        """Read OPENAI_API_KEY, OPENAI_BASE_URL and FOI_EXTRACT_MODEL; overrides win.

        Overrides whose value is None are ignored, so CLI flags can be passed straight in.
        """
        values: dict[str, Any] = {}
        if key := os.environ.get("OPENAI_API_KEY"):
            values["api_key"] = SecretStr(key)
        if url := os.environ.get("OPENAI_BASE_URL"):
            values["base_url"] = url
        if model := os.environ.get("FOI_EXTRACT_MODEL"):
            values["model"] = model
        if cache := os.environ.get("FOI_EXTRACT_LLM_CACHE"):
            values["cache_dir"] = Path(cache)
        values.update({k: v for k, v in overrides.items() if v is not None})
        if isinstance(values.get("api_key"), str):
            values["api_key"] = SecretStr(values["api_key"])
        return cls(**values)

    def is_configured(self) -> bool:
        """True when there is a key, or a non-OpenAI base URL (local servers need none)."""
        return self.api_key is not None or not self.is_openai()

    def is_openai(self) -> bool:
        """True when the endpoint is OpenAI's own API."""
        return (urlparse(self.base_url).hostname or "") == OPENAI_HOST

    def resolved_mode(self) -> LLMMode:
        """The mode to use: tools for OpenAI, grammar-constrained JSON for other servers."""
        if self.mode is not LLMMode.auto:
            return self.mode
        return LLMMode.tools if self.is_openai() else LLMMode.json_object_schema

    def key_value(self) -> str:
        """The API key for the client (local servers accept any non-empty string)."""
        return self.api_key.get_secret_value() if self.api_key else "not-needed"

    def fingerprint(self) -> dict[str, Any]:
        """What changes a record (no key, no cache dir): for the run's config hash."""
        from extract.prompting import default_prompts

        return {"model": self.model, "base_url": self.base_url, **self.cache_params(),
                "prompt_hash": default_prompts().hash}

    def cache_params(self) -> dict[str, Any]:
        """The parameters that change an answer, for the cache key."""
        return {"mode": self.resolved_mode().value, "temperature": self.temperature,
                "max_reasks": self.max_reasks}
