"""The layering rules: schemas import nothing of ours; only the CLI imports the CLI; eval never
imports extract; data flows one way (readers never import the runner, review or CLI)."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _modules(package: str) -> dict[str, set[str]]:
    return {str(p.relative_to(ROOT)): _imports(p) for p in (ROOT / package).rglob("*.py")}


def _offenders(package: str, forbidden: tuple[str, ...]) -> list[str]:
    return [f"{f} imports {n}" for f, names in _modules(package).items() for n in names
            if n.split(".")[0] in forbidden or n in forbidden]


def test_schemas_import_nothing_of_ours() -> None:
    assert _offenders("schemas", ("extract", "eval", "bench")) == []


def test_eval_does_not_import_the_pipeline() -> None:
    assert _offenders("eval", ("extract", "bench")) == []


def test_only_the_cli_imports_the_cli() -> None:
    bad = [f"{f}" for f, names in _modules("extract").items()
           if "extract.cli" in names and not f.endswith("extract/cli.py")]
    assert bad == []


def test_readers_do_not_reach_downstream_stages() -> None:
    downstream = {"extract.runner", "extract.review", "extract.summarize", "extract.outputs",
                  "extract.pipeline", "extract.cli"}
    for package in ("extract/readers", "extract/load"):
        bad = [f"{f} imports {n}" for f, names in _modules(package).items()
               for n in names if n in downstream]
        assert bad == [], bad


def _lint_imports() -> str | None:
    """The lint-imports script on PATH or beside this Python (a venv not activated)."""
    beside = Path(sys.executable).parent / "lint-imports"
    return shutil.which("lint-imports") or (str(beside) if beside.is_file() else None)


def test_import_linter_contracts_hold() -> None:
    exe = _lint_imports()
    if exe is None:  # said in the test report, not passed silently
        pytest.skip("lint-imports is not installed (pip install -e '.[test]'); the AST "
                    "checks above hold the same rules")
    result = subprocess.run([exe], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
