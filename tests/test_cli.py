"""CLI behaviour that is not about one stage: backend choice, schema output, exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "replies"


def _foi(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", "from extract.cli import main; main()", *args],
                          capture_output=True, text=True, timeout=120, env=env)


def _env_without_endpoint() -> dict[str, str]:
    return {k: v for k, v in os.environ.items()
            if k not in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "FOI_EXTRACT_MODEL")}


def test_no_endpoint_means_rules_backend_said_once_on_stderr(tmp_path: Path) -> None:
    proc = _foi("run", str(EXAMPLES), "--out", str(tmp_path), env=_env_without_endpoint())
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.count("backend: rules") == 1
    assert proc.stdout == ""
    first = json.loads((tmp_path / "records.jsonl").read_text().splitlines()[0])
    assert first["meta"]["backend"] == "rules"


def test_schema_command_prints_the_record_schema() -> None:
    proc = _foi("schema", env=_env_without_endpoint())
    schema = json.loads(proc.stdout)
    assert "victims" in schema["properties"] and schema["title"] == "Record"
