"""The project's documented error types. Only these may escape a stage for a bad input."""

from __future__ import annotations


class ExtractError(Exception):
    """Base of every error the pipeline reports for one reply (the batch goes on)."""


class LoadError(ExtractError):
    """A file of a reply could not be read (empty, corrupt, encrypted, over a limit...)."""


class ReplyTimeout(ExtractError):
    """A reply took longer than the per-reply time limit."""


class LLMError(ExtractError):
    """The model endpoint failed after retries, or returned nothing usable."""


class Interrupted(BaseException):
    """The run was stopped (Ctrl-C) while this reply was in progress: not a failure of the
    reply, which a rerun does again. A BaseException, so that no ``except Exception`` in a
    stage turns it into a per-file error."""
