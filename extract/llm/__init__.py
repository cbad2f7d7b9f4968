"""The LLM side of the pipeline: configuration, client, cache, usage and response models."""

from extract.llm.config import LLMConfig, LLMMode

__all__ = ["LLMConfig", "LLMMode"]
