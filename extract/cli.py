"""The ``foi-extract`` command line: records to files/stdout, status to stderr.

Exit codes: 0 success; 1 the job ran but did not meet its bar (``--fail-under``) or some
replies failed; 2 bad usage or unreadable input.
"""

from __future__ import annotations

import dataclasses
import json
import sys
from pathlib import Path
from typing import Any

import click
from rich.console import Console

from extract.limits import Limits

EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE = 0, 1, 2

err = Console(stderr=True, soft_wrap=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="foi-extract")
def main() -> None:
    """Turn UK police FOI replies into a clean, checkable, evidence-linked dataset."""


@main.command("schema")
@click.option("--gold", is_flag=True, help="Print the gold-file schema (scalars may be lists).")
def schema_cmd(gold: bool) -> None:
    """Print the JSON Schema of a reply record."""
    from schemas import GoldRecord, Record

    model = GoldRecord if gold else Record
    click.echo(json.dumps(model.model_json_schema(), indent=2))


@main.command("eval")
@click.option("--gold", "gold_path", required=True, type=click.Path(),
              help="Folder (or file) of hand-labelled gold records.")
@click.option("--pred", "pred_path", required=True, type=click.Path(),
              help="records.jsonl, a record JSON file, or a folder of them.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option("--fail-under", type=float, default=None,
              help="Exit 1 when micro-F1 is below this value.")
@click.option("--ignore-extra", is_flag=True,
              help="Do not score predicted replies that have no gold record.")
@click.option("--no-disagreements", is_flag=True, help="Leave out the disagreement list.")
def eval_cmd(gold_path: str, pred_path: str, as_json: bool, fail_under: float | None,
             ignore_extra: bool, no_disagreements: bool) -> None:
    """Score predicted records against gold: P/R/F1 per kind, per reply and micro-averaged."""
    from eval import RecordFileError, evaluate
    from eval.report import render

    try:
        report = evaluate(gold_path, pred_path, ignore_extra=ignore_extra)
    except RecordFileError as exc:
        err.print(f"error: {exc}", markup=False, highlight=False)
        sys.exit(EXIT_USAGE)
    if as_json:
        click.echo(json.dumps(report.as_dict(), indent=2, default=str))
    else:
        render(report, Console(), show_disagreements=not no_disagreements)
    if fail_under is not None and report.micro().f1 < fail_under:
        err.print(f"micro-F1 {report.micro().f1:.3f} is under {fail_under}")
        sys.exit(EXIT_SOME_FAILED)


def _paths(inputs: tuple[str, ...]) -> list[Path]:
    return [Path(p) for p in inputs]


def _parse_limits(pairs: tuple[str, ...]) -> Limits:
    """``--limit reply_timeout_s=60`` pairs over the default Limits (a bad one is a usage error)."""
    known = {f.name: f for f in dataclasses.fields(Limits)}
    values: dict[str, Any] = {}
    for pair in pairs:
        name, sep, raw = pair.partition("=")
        name = name.strip().replace("-", "_")
        if not sep or name not in known:
            raise click.BadParameter(f"{pair!r}: expected NAME=VALUE with NAME one of "
                                     f"{', '.join(sorted(known))}", param_hint="--limit")
        kind = float if known[name].type in (float, "float") else int
        try:
            values[name] = kind(raw)
        except ValueError:
            raise click.BadParameter(f"{pair!r}: {raw!r} is not a number",
                                     param_hint="--limit") from None
    return dataclasses.replace(Limits(), **values)


def _run_config(backend: str, limits: Limits, model: str | None, base_url: str | None,
                out: Path, quiet: bool = False) -> Any:
    from extract.llm.cache import LLMCache
    from extract.llm.config import LLMConfig
    from extract.pipeline import RunConfig

    if backend == "rules":
        return RunConfig(backend="rules", limits=limits)
    llm = LLMConfig.from_env(model=model, base_url=base_url)
    if backend == "auto":
        if not llm.is_configured():
            if not quiet:
                err.print("no LLM endpoint configured (OPENAI_API_KEY / OPENAI_BASE_URL): using "
                          "the rules backend", markup=False, highlight=False)
            return RunConfig(backend="rules", limits=limits)
    elif not llm.is_configured():
        raise click.UsageError("--backend llm needs OPENAI_API_KEY, or --base-url of a local "
                               "server; use --backend rules to run with no model")
    cache = LLMCache(llm.cache_dir or out / "llm-cache")
    return RunConfig(backend="llm", limits=limits, llm=llm, cache=cache)


@main.command("run")
@click.argument("inputs", nargs=-1, required=True,
                type=click.Path(exists=True, path_type=Path))
@click.option("--out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Output folder (created; reused by reruns).")
@click.option("--backend", type=click.Choice(["auto", "rules", "llm"]), default="auto",
              show_default=True, help="rules: no model at all; llm: rules + an LLM endpoint; "
              "auto: llm when an endpoint is configured, else rules (said on stderr).")
@click.option("--workers", type=click.IntRange(1, 64), default=4, show_default=True,
              help="Replies processed at the same time.")
@click.option("--manifest", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="CSV with file, reply_id[, force, reference] columns.")
@click.option("--force", "force_redo", is_flag=True,
              help="Redo replies even when their input and config are unchanged.")
@click.option("--quiet", "-q", is_flag=True, help="No progress output.")
@click.option("--limit", "limit_pairs", multiple=True, metavar="NAME=VALUE",
              help="Override a limit, e.g. --limit reply_timeout_s=60 (repeatable).")
@click.option("--model", default=None, help="LLM model name (else FOI_EXTRACT_MODEL).")
@click.option("--base-url", default=None, help="OpenAI-compatible endpoint (else OPENAI_BASE_URL).")
def run_cmd(inputs: tuple[Path, ...], out: Path, backend: str, workers: int,
            manifest: Path | None, force_redo: bool, quiet: bool, limit_pairs: tuple[str, ...],
            model: str | None, base_url: str | None) -> None:
    """Extract every reply in INPUT... (files or folders) into a dataset in --out.

    Writes records.jsonl, facts.csv, errors.jsonl, summary.json, review.html and docs/
    (each reply's normalised text). A rerun skips replies whose files and configuration are
    unchanged. Exit 0 when every reply succeeded, 1 when some failed (the rest are still
    written), 2 for bad usage.
    """
    from extract.errors import ExtractError
    from extract.grouping import group_inputs
    from extract.runner import make_progress, run_batch

    limits = _parse_limits(limit_pairs)
    try:
        replies = group_inputs(list(inputs), manifest)
    except ExtractError as exc:
        raise click.UsageError(str(exc)) from None
    if not replies:
        raise click.UsageError("no reply files found in the inputs")
    config = _run_config(backend, limits, model, base_url, out, quiet)
    try:
        summary = run_batch(replies, config, out, workers=workers, force=force_redo,
                            progress=make_progress(quiet))
    except ExtractError as exc:
        err.print(f"error: {exc}", markup=False, highlight=False)
        sys.exit(EXIT_USAGE)
    finally:
        if getattr(config, "cache", None) is not None:
            config.cache.close()
    if not quiet:
        err.print(f"{summary.ok} ok, {summary.failed} failed, {summary.skipped} unchanged in "
                  f"{summary.wall_time_s:.1f} s -> {out}", markup=False, highlight=False)
    sys.exit(summary.exit_code)


@main.command("summarize")
@click.argument("out_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--quiet", "-q", is_flag=True, help="Write the files; print no tables.")
def summarize_cmd(out_dir: Path, quiet: bool) -> None:
    """Figures across the replies of a run folder: offence totals per force and period,
    victims by age and gender, platform shares where known.

    Prints the tables and writes CSV files and PNG charts into OUT_DIR/summary/.
    """
    from extract.outputs import RECORDS
    from extract.summarize import render, summarize

    if not (out_dir / RECORDS).is_file():
        raise click.UsageError(f"{out_dir} has no {RECORDS}; run `foi-extract run` first")
    fig, written, warnings = summarize(out_dir)
    for w in warnings:
        err.print(f"warning: {w}", markup=False, highlight=False)
    if not quiet:
        render(fig, Console())
        err.print(f"{fig.replies} replies; wrote {len(written)} files to {out_dir / 'summary'}",
                  markup=False, highlight=False)
