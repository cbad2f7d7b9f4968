"""The LLM reader's prompt files (``system.md``, ``guidance.md``, ``examples/*.json``).

A package only so that ``pip install .`` carries them: read them with
``importlib.resources.files("prompts")`` (see ``extract.prompting.default_prompt_dir``).
"""
