"""The ``foi-extract`` command line: records to files/stdout, status to stderr.

Exit codes: 0 success; 1 the job ran but did not meet its bar (``--fail-under``) or some
replies failed; 2 bad usage or unreadable input.
"""

from __future__ import annotations

import dataclasses
import json
import os
import sys
from pathlib import Path
from typing import Any

import click
from rich.console import Console

from extract.limits import Limits

EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE = 0, 1, 2
EXIT_INTERRUPTED = 130  # Ctrl-C, as a shell reports a program ended by SIGINT

err = Console(stderr=True, soft_wrap=True)

# The names --limit accepts, with their defaults, for the help text.
LIMIT_HELP = ", ".join(f"{f.name} ({f.default})" for f in dataclasses.fields(Limits))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="foi-extract")
def main() -> None:
    """Turn UK police FOI replies into a clean, checkable, evidence-linked dataset.

    \b
    Example (no model, no key):
      foi-extract run examples/replies --out out/
      foi-extract eval --gold eval/gold --pred out/
    """
    from extract.runner import redact_logs

    redact_logs()  # libraries log server error bodies; some endpoints echo the key there


@main.command("schema")
@click.option("--gold", is_flag=True, help="Print the gold-file schema (scalars may be lists).")
def schema_cmd(gold: bool) -> None:
    """Print the JSON Schema of a reply record.

    \b
    Example:
      foi-extract schema > record.schema.json
    """
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
    """Score predicted records against gold: P/R/F1 per kind, per reply and micro-averaged.

    Exit 2 when gold and predictions share no reply; a warning with the counts when they
    share only some. Precision is "-" where nothing was predicted.

    \b
    Example:
      foi-extract eval --gold eval/gold --pred out/ --fail-under 0.95
    """
    from eval import NoOverlapError, RecordFileError, evaluate
    from eval.report import render

    try:
        report = evaluate(gold_path, pred_path, ignore_extra=ignore_extra)
    except (RecordFileError, NoOverlapError) as exc:
        err.print(f"error: {exc}", markup=False, highlight=False)
        sys.exit(EXIT_USAGE)
    for warning in report.warnings:
        _say(f"warning: {warning}")
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


def _model_named(model: str | None) -> bool:
    """A model is configured for this tool: --model or FOI_EXTRACT_MODEL (an OPENAI_API_KEY
    left in the shell is not enough: it may belong to another program)."""
    return bool(model or os.environ.get("FOI_EXTRACT_MODEL"))


def _resolve_backend(backend: str, model: str | None) -> tuple[str, str]:
    """(backend, why) for --backend auto|rules|llm."""
    if backend != "auto":
        return backend, f"--backend {backend}"
    if _model_named(model):
        return "llm", "--backend auto with a model set"
    return "rules", "--backend auto and no model set (FOI_EXTRACT_MODEL or --model)"


def _run_config(backend: str, limits: Limits, model: str | None, base_url: str | None,
                out: Path, quiet: bool = False) -> Any:
    """The run's config; says on stderr (once) which backend, model and endpoint it uses."""
    from extract.llm.cache import LLMCache
    from extract.llm.config import LLMConfig
    from extract.pipeline import RunConfig

    chosen, why = _resolve_backend(backend, model)
    if chosen == "rules":
        if not quiet:
            _say(f"backend: rules (no model) [{why}]")
        return RunConfig(backend="rules", limits=limits)
    llm = LLMConfig.from_env(model=model, base_url=base_url)
    if not llm.is_configured():
        raise click.UsageError(f"the llm backend ({why}) needs OPENAI_API_KEY for "
                               f"{llm.base_url}, or --base-url of a local server; use "
                               "--backend rules to run with no model")
    if not quiet:
        _say(f"backend: llm, model {llm.model}, endpoint {llm.base_url} [{why}]")
    cache = LLMCache(llm.cache_dir or out / "llm-cache")
    return RunConfig(backend="llm", limits=limits, llm=llm, cache=cache)


@main.command("run")
@click.argument("inputs", nargs=-1, required=True,
                type=click.Path(exists=True, path_type=Path))
@click.option("--out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Output folder (created; reused by reruns).")
@click.option("--backend", type=click.Choice(["auto", "rules", "llm"]), default="auto",
              show_default=True, help="rules: no model at all; llm: rules + an LLM endpoint; "
              "auto: llm only when a model is named (--model or FOI_EXTRACT_MODEL), else "
              "rules; an OPENAI_API_KEY alone changes nothing. Said once on stderr.")
@click.option("--workers", type=click.IntRange(1, 64), default=4, show_default=True,
              help="Replies processed at the same time.")
@click.option("--manifest", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="CSV with file, reply_id[, force, reference] columns.")
@click.option("--force", "force_redo", is_flag=True,
              help="Redo every reply, and accept other inputs into a used --out (the "
              "outputs of replies not given are removed).")
@click.option("--quiet", "-q", is_flag=True, help="No progress output.")
@click.option("--limit", "limit_pairs", multiple=True, metavar="NAME=VALUE",
              help="Override a limit, e.g. --limit reply_timeout_s=60 (repeatable). NAME is "
              f"one of (default): {LIMIT_HELP}.")
@click.option("--model", default=None, help="LLM model name (else FOI_EXTRACT_MODEL).")
@click.option("--base-url", default=None, help="OpenAI-compatible endpoint (else OPENAI_BASE_URL).")
@click.option("--executor", type=click.Choice(["local", "ray"]), default="local",
              show_default=True, help="local: threads of this process; ray: Ray tasks (needs "
              "pip install 'foi-extract[ray]'), e.g. --executor ray --address auto.")
@click.option("--address", default=None, help="Ray cluster to join (e.g. auto or "
              "ray://host:10001); without it --executor ray starts a local Ray of --workers "
              "CPUs.")
def run_cmd(inputs: tuple[Path, ...], out: Path, backend: str, workers: int,
            manifest: Path | None, force_redo: bool, quiet: bool, limit_pairs: tuple[str, ...],
            model: str | None, base_url: str | None, executor: str,
            address: str | None) -> None:
    """Extract every reply in INPUT... (files or folders) into a dataset in --out.

    Writes records.jsonl, facts.csv, errors.jsonl, summary.json, review.html and docs/
    (each reply's normalised text). A rerun skips replies whose files, configuration and
    code are unchanged, and removes the outputs of replies no longer given; other inputs
    into a used --out are refused without --force. Files under --out are never read. The
    same reply given twice is read once (the later gets meta.duplicate_of). Exit 0 when
    every reply succeeded, 1 when some failed or fell back to rules because the model
    failed (the rest are still written), 2 for bad usage.

    \b
    Examples:
      foi-extract run examples/replies --out out/
      FOI_EXTRACT_MODEL=gpt-4o-mini OPENAI_API_KEY=... foi-extract run replies/ --out out/
      foi-extract run replies/ --out out/ --limit reply_timeout_s=60 --workers 2
    """
    from extract.errors import ExtractError
    from extract.runner import make_progress, run_batch

    limits = _parse_limits(limit_pairs)
    if address and executor != "ray":
        raise click.UsageError("--address is for --executor ray")
    replies = _replies(inputs, manifest)
    config = _run_config(backend, limits, model, base_url, out, quiet)
    pool = _executor(executor, workers, address)
    try:
        summary = run_batch(replies, config, out, workers=workers, force=force_redo,
                            progress=make_progress(quiet), executor=pool,
                            sources=list(inputs))
    except ExtractError as exc:
        err.print(f"error: {exc}", markup=False, highlight=False)
        sys.exit(EXIT_USAGE)
    except KeyboardInterrupt:  # Ctrl-C outside the dispatch (planning, final files)
        _say("interrupted; run again to continue")
        sys.exit(EXIT_INTERRUPTED)
    finally:
        pool.close()
        if getattr(config, "cache", None) is not None:
            config.cache.close()
    if summary.interrupted:
        _say(f"interrupted: {summary.done} done, {summary.left} left; run again to continue")
        sys.exit(EXIT_INTERRUPTED)
    _report_run(summary, out, quiet)
    sys.exit(summary.exit_code)


def _report_run(summary: Any, out: Path, quiet: bool) -> None:
    """The closing lines of a run on stderr; model failures are said even when quiet."""
    if summary.llm_failed:
        _say(f"{len(summary.llm_failed)} replies written from the rules reader only (the "
             f"model part failed): {', '.join(sorted(summary.llm_failed))}; run again to "
             "retry their model part")
    if quiet:
        return
    if summary.outputs_excluded:
        _say(f"{summary.outputs_excluded} files under {out} were not read as input")
    if summary.removed:
        _say(f"removed the outputs of {summary.removed} replies no longer in the inputs")
    for later, first in sorted(summary.duplicates.items()):
        _say(f"duplicate: {later} is the same reply as {first} (read once, counted once)")
    _say(f"{summary.ok} ok, {summary.failed} failed, {summary.skipped} unchanged, "
         f"{len(summary.duplicates)} duplicates in {summary.wall_time_s:.1f} s -> {out}")


@main.command("summarize")
@click.argument("out_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--corrections", type=click.Path(exists=True, file_okay=False, path_type=Path),
              default=None, help="Folder of corrected records (the review page's export); "
              "each replaces the run's record of the same reply.")
@click.option("--quiet", "-q", is_flag=True, help="Write the files; print no tables.")
def summarize_cmd(out_dir: Path, corrections: Path | None, quiet: bool) -> None:
    """The national table (one row per force and period), coverage of the 46 forces,
    charts, an HTML report, and the SQLite dataset OUT_DIR/foi.db with metadata.json.

    Writes CSVs, PNG/SVG charts and report.html into OUT_DIR/summary/.

    \b
    Example:
      foi-extract summarize out/ --corrections corrections/
    """
    from extract.outputs import RECORDS
    from extract.summarize import SUMMARY_DIR, render, summarize

    if not (out_dir / RECORDS).is_file():
        raise click.UsageError(f"{out_dir} has no {RECORDS}; run `foi-extract run` first")
    summary = summarize(out_dir, corrections)
    for w in summary.warnings:
        err.print(f"warning: {w}", markup=False, highlight=False)
    if not quiet:
        render(summary, Console())
        err.print(f"{len(summary.inputs.records)} replies; wrote {len(summary.written)} files "
                  f"to {out_dir / SUMMARY_DIR} and {out_dir / 'foi.db'}",
                  markup=False, highlight=False)


# ---------------------------------------------------------------- batch mode (issue 8)


@main.group("batch")
def batch_group() -> None:
    """OpenAI Batch API mode: prepare requests, submit, poll, download, collect results.

    prepare and collect work on files alone (no network); submit, status and download use
    OPENAI_API_KEY and OPENAI_BASE_URL (or --base-url).

    \b
    Example (a whole round):
      foi-extract batch prepare replies/ --out requests.jsonl --cache cache/
      foi-extract batch submit requests.jsonl            # prints batch ids
      foi-extract batch status BATCH_ID
      foi-extract batch download BATCH_ID --out results/
      foi-extract batch collect results/*.jsonl --inputs replies/ --out out/ --cache cache/
    """


def _say(message: str) -> None:
    err.print(message, markup=False, highlight=False)


def _batch_llm(model: str | None, base_url: str | None) -> Any:
    from extract.llm.config import LLMConfig

    return LLMConfig.from_env(model=model, base_url=base_url)


def _executor(name: str, workers: int, address: str | None) -> Any:
    """The executor for ``run``; a usage error when Ray is asked for and missing."""
    from extract.executors import make_executor

    try:
        return make_executor(name, workers, address)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None


def _replies(inputs: tuple[Path, ...], manifest: Path | None) -> Any:
    """The replies in the inputs, grouped; a usage error when there are none."""
    from extract.errors import ExtractError
    from extract.grouping import group_inputs

    try:
        replies = group_inputs(list(inputs), manifest)
    except ExtractError as exc:
        raise click.UsageError(str(exc)) from None
    if not replies:
        raise click.UsageError("no reply files found in the inputs")
    return replies


def _api(base_url: str | None) -> Any:
    from extract.batch.api import api_client

    llm = _batch_llm(None, base_url)
    if not llm.is_configured():
        raise click.UsageError("the Batch API needs OPENAI_API_KEY (or --base-url of a "
                               "compatible server)")
    return api_client(llm)


def _batch_options(fn: Any) -> Any:
    for option in reversed([
        click.option("--manifest", type=click.Path(exists=True, dir_okay=False, path_type=Path),
                     help="CSV with file, reply_id[, force, reference] columns."),
        click.option("--limit", "limit_pairs", multiple=True, metavar="NAME=VALUE",
                     help=f"Override a limit, as for `run` (repeatable): {LIMIT_HELP}."),
        click.option("--model", default=None, help="Model name (else FOI_EXTRACT_MODEL)."),
        click.option("--base-url", default=None,
                     help="Endpoint the answers are keyed under (else OPENAI_BASE_URL)."),
        click.option("--cache", "cache_dir", type=click.Path(file_okay=False, path_type=Path),
                     default=None, help="LLM cache folder (else FOI_EXTRACT_LLM_CACHE)."),
    ]):
        fn = option(fn)
    return fn


@batch_group.command("prepare")
@click.argument("inputs", nargs=-1, required=True,
                type=click.Path(exists=True, path_type=Path))
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Requests file to write (split as OUT-001.jsonl... when over a limit).")
@click.option("--retry-failed", "retry_dir", default=None,
              type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="A collect folder: re-prepare exactly the requests its batch_errors.jsonl "
              "lists as retryable.")
@click.option("--max-lines", type=click.IntRange(1, 50_000), default=50_000, show_default=True,
              help="Requests per file.")
@click.option("--max-bytes", type=click.IntRange(1024), default=200 * 1024 * 1024,
              show_default=True, help="Bytes per file.")
@_batch_options
def batch_prepare_cmd(inputs: tuple[Path, ...], out: Path, retry_dir: Path | None,
                      max_lines: int, max_bytes: int, manifest: Path | None,
                      limit_pairs: tuple[str, ...], model: str | None, base_url: str | None,
                      cache_dir: Path | None) -> None:
    """Write Batch API request lines for every chunk of INPUT... not answered yet.

    Each body is exactly the request the live LLM reader would send. Without --cache (or
    FOI_EXTRACT_LLM_CACHE) no chunk counts as answered; with --retry-failed the collect
    folder's llm-cache is the default.

    \b
    Example:
      foi-extract batch prepare replies/ --out requests.jsonl --cache cache/
    """
    from extract.batch.collect import retry_ids
    from extract.batch.prepare import prepare_requests
    from extract.errors import ExtractError
    from extract.llm.cache import LLMCache
    from extract.pipeline import RunConfig

    llm = _batch_llm(model, base_url)
    replies = _replies(inputs, manifest)
    try:
        only = retry_ids(retry_dir) if retry_dir else None
    except ExtractError as exc:
        raise click.UsageError(str(exc)) from None
    folder = cache_dir or llm.cache_dir or (retry_dir / "llm-cache" if retry_dir else None)
    cache = LLMCache(folder) if folder else None
    config = RunConfig(backend="llm", limits=_parse_limits(limit_pairs), llm=llm)
    try:
        report = prepare_requests(replies, config, out, cache=cache, only=only,
                                  max_lines=max_lines, max_bytes=max_bytes)
    except ExtractError as exc:
        _say(f"error: {exc}")
        sys.exit(EXIT_USAGE)
    finally:
        if cache is not None:
            cache.close()
    for doc_id, message in report.reply_errors.items():
        _say(f"skipped {doc_id}: {message}")
    if only is not None and report.requests < len(only):
        _say(f"{len(only) - report.requests} of the {len(only)} failed requests no longer match "
             "the inputs (changed since prepare); a plain prepare picks up their new form")
    for path in report.files:
        click.echo(str(path))
    _say(f"{report.requests} requests in {len(report.files)} file(s); {report.cached} chunks "
         f"already answered, {report.duplicates} duplicates; manifest {report.manifest}")
    sys.exit(EXIT_SOME_FAILED if report.reply_errors else EXIT_OK)


@batch_group.command("submit")
@click.argument("files", nargs=-1, required=True,
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--base-url", default=None, help="API base URL (else OPENAI_BASE_URL).")
def batch_submit_cmd(files: tuple[Path, ...], base_url: str | None) -> None:
    """Upload each requests FILE and start a batch for it (24h window); print the batch ids.

    \b
    Example:
      foi-extract batch submit requests.jsonl
    """
    from extract.batch.api import check_requests_file, submit
    from extract.errors import ExtractError

    try:
        counts = [check_requests_file(p) for p in files]
    except ExtractError as exc:
        raise click.UsageError(str(exc)) from None
    client = _api(base_url)
    for path, n in zip(files, counts, strict=True):
        try:
            batch = submit(client, path)
        except ExtractError as exc:
            _say(f"error: {path}: {exc}")
            sys.exit(EXIT_SOME_FAILED)
        click.echo(batch.id)
        _say(f"{path}: {n} requests -> batch {batch.id} ({batch.status})")


@batch_group.command("status")
@click.argument("batch_id")
@click.option("--base-url", default=None, help="API base URL (else OPENAI_BASE_URL).")
@click.option("--json", "as_json", is_flag=True, help="Print the whole batch object as JSON.")
def batch_status_cmd(batch_id: str, base_url: str | None, as_json: bool) -> None:
    """Show a batch's status, request counts and result file ids.

    \b
    Example:
      foi-extract batch status batch_abc123 --json
    """
    from extract.batch.api import describe, status
    from extract.errors import ExtractError

    try:
        batch = status(_api(base_url), batch_id)
    except ExtractError as exc:
        _say(f"error: {exc}")
        sys.exit(EXIT_SOME_FAILED)
    info = describe(batch)
    if as_json:
        click.echo(json.dumps(batch.model_dump(mode="json"), indent=2))
        return
    counts = info["requests"] or {}
    click.echo(f"{info['id']}: {info['status']} ({counts.get('completed', 0)} done, "
               f"{counts.get('failed', 0)} failed of {counts.get('total', 0)})")
    for name in ("output_file_id", "error_file_id"):
        if info[name]:
            click.echo(f"{name}: {info[name]}")
    for line in info["errors"]:
        click.echo(f"error: {line}")


@batch_group.command("download")
@click.argument("batch_id")
@click.option("--out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for <batch id>.output.jsonl and <batch id>.errors.jsonl.")
@click.option("--base-url", default=None, help="API base URL (else OPENAI_BASE_URL).")
def batch_download_cmd(batch_id: str, out: Path, base_url: str | None) -> None:
    """Save a finished batch's output and error files (exit 1 when it is not finished).

    \b
    Example:
      foi-extract batch download batch_abc123 --out results/
    """
    from extract.batch.api import download
    from extract.errors import ExtractError

    try:
        got = download(_api(base_url), batch_id, out)
    except ExtractError as exc:
        _say(f"error: {exc}")
        sys.exit(EXIT_SOME_FAILED)
    for path in (got.output, got.errors):
        if path is not None:
            click.echo(str(path))
    if got.output is None and got.errors is None:
        _say(f"batch {batch_id} is {got.batch.status} and has no result files")
        sys.exit(EXIT_SOME_FAILED)


@batch_group.command("collect")
@click.argument("results", nargs=-1, required=True,
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--inputs", "inputs", multiple=True, required=True,
              type=click.Path(exists=True, path_type=Path),
              help="The reply files or folders given to prepare (repeatable).")
@click.option("--out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Output folder (as for `run`).")
@click.option("--workers", type=click.IntRange(1, 64), default=4, show_default=True)
@click.option("--quiet", "-q", is_flag=True, help="No progress output.")
@_batch_options
def batch_collect_cmd(results: tuple[Path, ...], inputs: tuple[Path, ...], out: Path,
                      workers: int, quiet: bool, manifest: Path | None,
                      limit_pairs: tuple[str, ...], model: str | None, base_url: str | None,
                      cache_dir: Path | None) -> None:
    """Validate Batch API RESULTS (output and error files), fill the LLM cache and write
    records.jsonl, facts.csv, errors.jsonl, summary.json and review.html as `run` does.

    Problems with result lines go to OUT/batch_errors.jsonl. Exit 0 when every reply was
    written and no result was bad, 1 otherwise, 2 for bad usage.

    \b
    Example:
      foi-extract batch collect results/*.jsonl --inputs replies/ --out out/ --cache cache/
    """
    from extract.batch.collect import collect
    from extract.errors import ExtractError
    from extract.llm.cache import LLMCache
    from extract.pipeline import RunConfig
    from extract.runner import make_progress

    llm = _batch_llm(model, base_url)
    replies = _replies(inputs, manifest)
    cache = LLMCache(cache_dir or llm.cache_dir or out / "llm-cache")
    config = RunConfig(backend="llm", limits=_parse_limits(limit_pairs), llm=llm, cache=cache)
    try:
        report = collect(results, replies, config, out, workers=workers,
                         progress=make_progress(quiet))
    except ExtractError as exc:
        _say(f"error: {exc}")
        sys.exit(EXIT_USAGE)
    finally:
        cache.close()
    assert report.summary is not None
    if not quiet:
        issues = ", ".join(f"{n} {k}" for k, n in report.as_dict()["issues"].items()) or "none"
        _say(f"{report.stored} answers stored from {report.lines} result lines; problems: "
             f"{issues}; {report.summary.ok} ok, {report.summary.failed} failed -> {out}")
    sys.exit(EXIT_SOME_FAILED if report.summary.failed or report.issues else EXIT_OK)
