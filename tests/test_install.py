"""Issue 13 item 8: ``pip install .`` (not editable) carries everything a run needs:
prompts, vocabularies, price tables. The package is built and installed into a fresh venv
without network (no build isolation, no deps: the venv sees this environment's installed
libraries through a path file, but not the editable install of our own code), then
``foi-extract run`` and ``foi-extract batch prepare`` run from a folder far from the source.
"""

from __future__ import annotations

import json
import os
import shutil
import site
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow


def _copy_source(dest: Path) -> Path:
    """The repository's packaging inputs only (no venv, no caches, no build folders)."""
    keep = ("extract", "schemas", "eval", "prompts", "pyproject.toml", "README.md")
    for name in keep:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, dest / name,
                            ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy(src, dest / name)
    return dest


def _venv(where: Path) -> Path:
    """A fresh venv whose sys.path ends with this environment's site-packages."""
    # No pip and no setuptools of its own: the bundled setuptools is too old to build us.
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(where)], check=True,
                   timeout=120)
    python = where / "bin" / "python"
    purelib = subprocess.run([str(python), "-c", "import sysconfig; "
                              "print(sysconfig.get_paths()['purelib'])"],
                             capture_output=True, text=True, check=True).stdout.strip()
    # A plain path line: the directory's own .pth files (our editable finder) stay inert.
    (Path(purelib) / "deps.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    return python


def _env() -> dict[str, str]:
    drop = ("OPENAI_API_KEY", "OPENAI_BASE_URL", "FOI_EXTRACT_MODEL", "FOI_EXTRACT_PROMPTS",
            "FOI_EXTRACT_LLM_CACHE", "PYTHONPATH", "VIRTUAL_ENV")
    return {k: v for k, v in os.environ.items() if k not in drop}


def test_a_non_editable_install_runs_and_prepares_batches(tmp_path: Path) -> None:
    src = _copy_source(tmp_path / "src")
    python = _venv(tmp_path / "venv")
    install = subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps",
         "--no-build-isolation",
         "--no-index", "--quiet", str(src)],
        capture_output=True, text=True, timeout=300, env=_env())
    assert install.returncode == 0, install.stdout + install.stderr
    shutil.rmtree(src)  # nothing may be read from the source tree any more
    work = tmp_path / "elsewhere"
    work.mkdir()
    where = subprocess.run([str(python), "-c", "import extract, prompts; "
                            "print(extract.__file__); print(prompts.__file__)"],
                           capture_output=True, text=True, cwd=work, env=_env(), check=True)
    assert all("/venv/" in line for line in where.stdout.splitlines()), where.stdout
    exe = str(python.parent / "foi-extract")
    examples = ROOT / "examples" / "replies"
    run = subprocess.run([exe, "run", str(examples), "--out", "out"], capture_output=True,
                         text=True, cwd=work, env=_env(), timeout=300)
    assert run.returncode == 0, run.stderr
    assert len((work / "out" / "records.jsonl").read_text().splitlines()) == 5
    prep = subprocess.run([exe, "batch", "prepare", str(examples), "--out", "requests.jsonl"],
                          capture_output=True, text=True, cwd=work, env=_env(), timeout=300)
    assert prep.returncode == 0, prep.stderr
    first = json.loads((work / "requests.jsonl").read_text().splitlines()[0])
    system = first["body"]["messages"][0]["content"]
    assert (ROOT / "prompts" / "system.md").read_text(encoding="utf-8").strip() in system
