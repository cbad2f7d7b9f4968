"""The deterministic reader: a Record from tables and standard phrases, every value with evidence.

This is the no-model backend and the cross-check the LLM reader is held against.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from extract.document import QUOTED_MEDIA, Document, Table
from extract.periods import footnote_ends
from extract.readers import codes as C
from extract.readers import exemptions as X
from extract.readers import scalars as S
from extract.readers import scope as P
from extract.readers.expand import GridResult, expand, read_value
from extract.readers.prose import StandaloneCount, prose_items, standalone_counts
from extract.readers.sentences import Span, in_regions, quoted_spans
from extract.readers.table_rules import (
    GridContext,
    by_subject,
    fill_unscoped,
    map_table,
    offence_total_cell,
    one_language,
    title_platform,
)
from extract.readers.youngest import youngest_victim
from extract.tables.context import method_from, table_context
from schemas import (
    Cell,
    Evidence,
    Exemption,
    Flag,
    OffenceCount,
    OutcomeRow,
    Period,
    PlatformRow,
    Record,
    YoungestVictim,
)
from schemas.mapping import TableMapping
from schemas.vocab import canonical_code, canonical_platforms


def _ev(doc: Document, span: Span) -> list[Evidence]:
    return [doc.evidence(span.start, span.end)]


def _context(doc: Document, t: Table, periods: P.Scope) -> GridContext:
    """Scope period where the table sits, and the table's own context (title, notes)."""
    tc = table_context(doc, t)
    footnotes = {**tc.footnotes, **footnote_ends(doc.text[t.end:t.end + 400])}
    return GridContext(period=_referred_period(doc, t, periods) or _period_at(doc, t, periods),
                       footnotes=footnotes, method=tc.method, context=tc.title,
                       refs=_table_refs(doc, t), table=tc)


def _period_at(doc: Document, t: Table, periods: P.Scope) -> Period | None:
    """The period in force where a table sits, from the text around tables only: a period
    heading a row of the table before (`2023/24 | 51`) is that row's, not the next table's."""
    def outside(found: list[Any]) -> list[Any]:
        return [f for f in found if not any(o.start <= f.start < o.end for o in doc.tables)]
    ranges = outside(periods.ranges)
    last = [f for f in ranges if f.end <= t.start][-1:]
    if last:  # `financial years 2021/22 and 2022/23`: the periods listed together, as one
        chain = _listed_chain(doc, ranges, last[0])
        if len(chain) > 1:
            return Period(start=min(f.period.start for f in chain),
                          end=max(f.period.end for f in chain))
    return P.period_at(ranges, t.start, outside(periods.years))


def _listed_chain(doc: Document, ranges: list[Any], last: Any) -> list[Any]:
    """The periods listed together ending with ``last`` (`2021/22, 2022/23 and 2023/24`):
    each separated from the next by a comma or `and` only."""
    chain = [last]
    for f in reversed([g for g in ranges if g.end <= last.start]):
        gap = doc.text[f.end:chain[0].start]
        if not re.fullmatch(r"\s*(?:,|and|&|,\s*and)\s*", gap):
            break
        chain.insert(0, f)
    return chain


_ITEM_REF = re.compile(r"\b(?:from|in|of|at)\s+(?:q|question|answer|point)\s*(\d{1,2})\b",
                       re.IGNORECASE)


def _referred_period(doc: Document, t: Table, periods: P.Scope) -> Period | None:
    """The period of the numbered item a caption points back to (`the outcomes for all the
    offences from Q1`): the period in force at the end of that item's line, not the one
    last named above the table."""
    ref = _ITEM_REF.search(t.title.split("\n")[-1])
    if not ref:
        return None
    items = list(re.finditer(rf"(?m)^\W{{0,3}}{ref.group(1)}[.)]\s+[^\n]{{5,400}}",
                             doc.text[:t.start]))
    return periods.at(items[0].end()) if items else None


def _table_refs(doc: Document, t: Table) -> str:
    """What the reply says elsewhere about this table: the words before each `See Table N`,
    and the request item N when the table sits under `Question N`."""
    out = []
    m = re.search(r"\btable\s*(\d{1,2})\b", t.title, re.IGNORECASE)
    if m:
        for ref in re.finditer(rf"\btable\s*{m.group(1)}\b", doc.text, re.IGNORECASE):
            if not (t.start - len(t.title) - 5 <= ref.start() <= t.end):
                out.append(doc.text[max(0, ref.start() - 150):ref.start()])
    q = re.search(r"\b(?:question|q)\s*(\d{1,2})\b", t.title, re.IGNORECASE)
    if q:
        item = re.search(rf"(?m)^\W{{0,3}}{q.group(1)}[a-z]?[.)]\s+([^\n]{{5,300}})",
                         doc.text[:t.start])
        if item:
            out.append(item.group(1))
    return "\n".join(out)


def read_tables(doc: Document, periods: P.Scope) -> GridResult:
    """Values from every table of the document."""
    total = GridResult()
    quoted = quoted_spans(doc)
    # A table inside an earlier message quoted in a thread is superseded by the answer.
    mapped = [(t, map_table(doc, t, ctx), ctx) for t in doc.tables
              if not in_regions(quoted, t.start) for ctx in [_context(doc, t, periods)]]
    limited: list[GridResult] = []
    mapped = one_language(mapped)
    fill_unscoped(mapped)
    # Offence tables whose titles each name a different code split the reply's counts by code
    # (`Home Office code 71/17: 2022 - 41 ...` then `code 88A: ...`): each count takes its
    # table's code. One titled code alone is no split (contract: `code`).
    titled = {ctx.table.code for _, m, ctx in mapped if m.counts == "offences" and ctx.table.code}
    for t, mapping, ctx in mapped:
        got, lim = expand_table(doc, t, mapping, ctx.footnotes)
        if len(titled) > 1 and ctx.table.code and mapping.counts == "offences":
            for o in got.offences:
                o.code = o.code or canonical_code(ctx.table.code)
        total.extend(got)
        limited += lim
    _platform_limited(total, limited)
    return total


def expand_table(doc: Document, t: Table, mapping: TableMapping,
                 footnotes: dict[str, Any]) -> tuple[GridResult, list[GridResult]]:
    """One table's values under a mapping, whoever made it (the rules or the model): the
    table split by column subject, a platform its title names applied. Returns the values
    and, apart, those of offence tables limited to one platform (see _platform_limited)."""
    total, limited = GridResult(), []
    for part in by_subject(t, mapping):  # `Crimes` beside `Positive Outcomes`
        platform = title_platform(t, part)
        got = expand(doc, t, part, footnotes, platform)
        if platform and part.counts == "offences":
            limited.append(got)
        else:
            total.extend(got)
    total.offences += _set_aside_total(doc, t, mapping)
    return total, limited


def expand_alone(doc: Document, t: Table, mapping: TableMapping,
                 footnotes: dict[str, Any]) -> GridResult:
    """:func:`expand_table` for one table read on its own (the model's mappings)."""
    total, limited = expand_table(doc, t, mapping, footnotes)
    _platform_limited(total, limited)
    return total


def _set_aside_total(doc: Document, t: Table, mapping: TableMapping) -> list[OffenceCount]:
    """The whole-period offence count a victims table gives in a column it sets aside."""
    cell = offence_total_cell(t, mapping)
    v = read_value(cell.text) if cell is not None else None
    if cell is None or v is None or v.count is None or mapping.scope.period is None:
        return []
    ev = doc.cell_evidence(t, cell, t.rows[cell.row][0])
    return [OffenceCount(period=mapping.scope.period, code=None, count=v.count, evidence=ev,
                         readers=["rules"])]


def _platform_limited(total: GridResult, limited: list[GridResult]) -> None:
    """Add the results of offence tables limited to one platform: their platform rows
    always, their offence counts only for periods no other table counts (`crime reports
    mentioning Facebook` beside the force's total crimes per year is not the offence count)."""
    taken = {(o.period.start, o.period.end) for o in total.offences}
    for got in limited:
        got.offences = [o for o in got.offences
                        if (o.period.start, o.period.end) not in taken]
        total.extend(got)


def _standalone(doc: Document, periods: P.Scope, out: GridResult, taken: set[int]) -> None:
    """Counts stated in prose; a table's figures win over a prose restatement."""
    counts = standalone_counts(doc, taken)
    own = [c.period or P.period_near(c.sentence.text, c.span.start - c.sentence.start,
                                     periods.footnotes) for c in counts]
    whole = _whole_period(out, [p for p in own if p is not None])
    for c, near in zip(counts, own, strict=True):
        # "a total of 185 crimes over the two years": the words after the number name the
        # whole period, whatever year the sentence named before it.
        said = re.split(r"\d", c.sentence.text[c.span.end - c.sentence.start:][:60])[0]
        first = whole if whole is not None and _WHOLE.search(said) else None
        summed = _sum_of_periods(c, counts, own) or _total_of_read(c, out)
        if summed and near and near.start >= summed.start and near.end <= summed.end and \
                near != summed and _names_one_part(near, c, counts, own, out):
            near = None  # the period written nearest is only one part's: the sum covers all
        period = (first or near or summed or (whole if _WHOLE.search(c.sentence.text) else None)
                  or periods.at(c.span.start))
        if period is None:
            out.flags.append(Flag(code="no_period", message=f"count {c.count} has no period",
                                  evidence=_ev(doc, c.span)))
            continue
        base: dict[str, Any] = {"period": period, "count": c.count,
                                "evidence": _ev(doc, c.span) + _ev(doc, c.sentence),
                                "readers": ["rules"]}
        if _split_in_sentence(out, c.kind, c.count, period, c.sentence):
            continue
        if c.kind == "offences":
            out.offences.append(OffenceCount(code=_leading_code(c.sentence.text), **base))
        elif c.kind == "suspects":
            out.suspects.append(Cell(gender="all", age="all", **base))
        elif c.kind == "victims":
            out.victims.append(Cell.model_validate({**base, "gender": c.gender, "age": "all"}))
        elif c.kind == "no_victim_details":
            out.victims.append(Cell(gender="unknown", age="unknown", **base))


def _sum_of_periods(c: StandaloneCount, counts: list[StandaloneCount],
                    own: list[Period | None]) -> Period | None:
    """The union of the periods of the other counts of c's sentence when c is their total
    (`21 in 2021, 34 in 2022 and 40 in 2023, a total of 95`): a total over several periods
    gets all of them, not the period written nearest to it (contract Decision 5)."""
    if not _TOTAL_WORD.search(c.sentence.text):
        return None
    parts = [(o, p) for o, p in zip(counts, own, strict=True) if o is not c and p is not None
             and o.kind == c.kind and o.sentence.start == c.sentence.start]
    spans = {(p.start, p.end) for _, p in parts}
    if len(spans) < 2 or len(parts) != len(spans) or sum(o.count for o, _ in parts) != c.count:
        return None
    return Period(start=min(a for a, _ in spans), end=max(b for _, b in spans))


def _names_one_part(near: Period, c: StandaloneCount, counts: list[StandaloneCount],
                    own: list[Period | None], out: GridResult) -> bool:
    """Whether a period is that of one of the counts the total c sums (not a range of its
    own)."""
    parts = {(p.start, p.end) for o, p in zip(counts, own, strict=True)
             if p is not None and o is not c}
    parts |= {(o.period.start, o.period.end) for o in out.offences}
    return (near.start, near.end) in parts


def _total_of_read(c: StandaloneCount, out: GridResult) -> Period | None:
    """The union of the periods of the offence counts read already (a table, a list of lines)
    when a sentence calls c their total and c is their sum (`a total of 51 offences for the
    year` under twelve monthly lines): the whole-period total (contract Decision 5)."""
    if c.kind != "offences" or not _TOTAL_WORD.search(c.sentence.text):
        return None
    plain = [o for o in out.offences if o.code is None]
    spans = {(o.period.start, o.period.end) for o in plain}
    if len(spans) < 2 or len(spans) != len(plain) or any(o.count is None for o in plain) or \
            sum(o.count or 0 for o in plain) != c.count:
        return None
    return Period(start=min(a for a, _ in spans), end=max(b for _, b in spans))


_TOTAL_WORD = re.compile(r"\b(?:total|totalling|altogether|combined|overall|in\s+all)\b",
                         re.IGNORECASE)


# A line that opens with the code its counts are for: `Home Office code 88A (sexual
# grooming): 2022 - 12, 2023 - 9`, `71/17: 41 in 2022`.
_LEADING_CODE = re.compile(r"^\W*(?:(?:HO|Home\s+Office)\s+)?(?:(?:offence|crime)\s+)?"
                           r"(?:code|class(?:ification)?)?\s*(?P<code>0?\d{1,3}/0?\d{1,2}|"
                           r"0?\d{2}[A-Z])(?![\w/])[^:\n]{0,80}:", re.IGNORECASE)


def _leading_code(sentence: str) -> str | None:
    """The code a line of counts opens with (see _LEADING_CODE); None when it opens with
    none. A lone code is later taken off again (_one_code_is_no_split)."""
    m = _LEADING_CODE.match(sentence)
    return canonical_code(m.group("code")) if m else None


def _split_in_sentence(out: GridResult, kind: str, count: int, period: Period,
                       sentence: Span) -> bool:
    """Whether the same sentence splits this victim or suspect total into cells that add up
    to it (`There were 52 victims: 40 female and 12 male`): the total is derived, not
    recorded (contract: record the finest breakdown)."""
    cells = getattr(out, kind, []) if kind in ("victims", "suspects") else []
    parts = [c for c in cells if (c.gender, c.age) != ("all", "all") and c.count is not None
             and c.period == period and c.evidence
             and sentence.start <= c.evidence[0].start < sentence.end]
    return bool(parts) and sum(c.count for c in parts) == count


# A sentence that says its figure covers the whole period asked about.
_WHOLE = re.compile(r"\b(?:whole|entire|full|total|requested|specified)\s+(?:\w+\s+)?period\b|"
                    r"\bperiod\s+(?:requested|specified|in\s+question|asked\s+about)\b|"
                    r"\b(?:across|over)\s+(?:all\s+)?(?:the|these|those)\s+(?:\w+\s+)?years\b|"
                    r"\b(?:counted|listed|shown|given|set\s+out|included)\s+above\b",
                    re.IGNORECASE)


def _whole_period(out: GridResult, stated: list[Period]) -> Period | None:
    """The union of the periods the tables and the prose counts name, when they name more
    than one: what "the whole period" of a stand-alone total means (contract Decision 5)."""
    spans = {(i.period.start, i.period.end) for lst in (out.offences, out.victims, out.suspects)
             for i in lst} | {(p.start, p.end) for p in stated}
    if len(spans) < 2:
        return None
    return Period(start=min(a for a, _ in spans), end=max(b for _, b in spans))


def _prose(doc: Document, periods: P.Scope, out: GridResult) -> set[int]:
    """Platform counts and victim/suspect cells written as clauses of prose; returns the offsets
    of the numbers read, so that the standalone reader does not read them again."""
    taken: set[int] = set()
    for item in prose_items(doc):
        taken.add(item.number.start)
        sentence = item.sentence or item.clause
        period = (P.period_near(sentence.text, item.number.start - sentence.start,
                                periods.footnotes)
                  or periods.at(item.number.start))
        if period is None:
            continue
        counted = ({"count": None, "suppressed": True} if item.value.suppressed
                   else {"count": item.value.count})
        base: dict[str, Any] = {"period": period, "readers": ["rules"], **counted,
                                "evidence": _ev(doc, item.number) + _ev(doc, item.clause)}
        if item.kind == "outcomes":
            out.outcomes.append(OutcomeRow.model_validate({**base, "outcome": item.outcome}))
        elif item.kind == "offences":
            out.offences.append(OffenceCount.model_validate({**base, "code": item.code}))
        elif item.kind == "platforms":
            around = doc.text[max(0, sentence.start - 600):sentence.end + 400]
            out.platforms.append(PlatformRow.model_validate({
                **base, "label": item.label, "platforms": canonical_platforms(item.label),
                "method": method_from(around)}))
        else:
            getattr(out, item.kind).append(Cell.model_validate(
                {**base, "gender": item.gender, "age": item.age}))
    return taken


def _one_code_is_no_split(values: GridResult) -> None:
    """`52 offences were recorded under code 71/17` with no other code counted: the reply does
    not split its counts by code, so the count's code is null (contract: `code`)."""
    codes = {o.code for o in values.offences if o.code}
    if len(codes) == 1:
        for o in values.offences:
            if o.code and "rules" in (o.readers or []) and len(o.evidence) > 1 and \
                    not (o.evidence[0].locator or ""):
                o.code = None


def _dedupe(items: Iterable[Any], key: Any) -> list[Any]:
    """Drop repeats of the same fact (same key and value), keeping the first."""
    seen: set[Any] = set()
    out = []
    for item in items:
        k = (key(item), item.count, item.suppressed)
        if k not in seen:
            seen.add(k)
            out.append(item)
    return out


def _pkey(item: Any) -> tuple[Any, Any]:
    return (item.period.start, item.period.end)


def _youngest(doc: Document) -> YoungestVictim | None:
    y = youngest_victim(doc)
    if y is None:
        return None
    return YoungestVictim.model_validate({
        "age_min": y.age_min, "age_max": y.age_max, "gender": y.gender, "withheld": y.withheld,
        "evidence": _ev(doc, y.span), "readers": ["rules"]})


def _scalars(doc: Document, record: dict[str, Any], evidence: dict[str, list[Evidence]]) -> None:
    for name, reader in (("force", S.force), ("reference", S.reference),
                         ("response_date", S.response_date)):
        found = reader(doc)  # type: ignore[operator]
        if found:
            record[name] = found[0]
            evidence[name] = _ev(doc, found[1])


def read_rules(doc: Document) -> Record:
    """Read a normalised Document (tables already found) into a Record."""
    periods = P.scope(doc)
    values = read_tables(doc, periods)
    taken = _prose(doc, periods, values)
    _standalone(doc, periods, values, taken)
    _one_code_is_no_split(values)
    evidence: dict[str, list[Evidence]] = {}
    fields: dict[str, Any] = {}
    _scalars(doc, fields, evidence)
    codes = C.offence_codes(doc)
    evidence["offence_codes"] = [doc.evidence(s.start, s.end) for _, s in codes]
    grounds = X.grounds(doc)
    # Decision 11: an attachment inside the input is read, so the flag is only for a missing one
    # (a part of quoted earlier messages is no attachment).
    own = [p for p in doc.parts if p.media != QUOTED_MEDIA]
    attachments = S.attachment_mentions(doc) if len(own) <= 1 else []
    if attachments:
        evidence["data_in_attachment"] = _ev(doc, attachments[0])
    record = Record(
        doc_id=doc.doc_id, outcome="no_answer", **fields,
        data_in_attachment=bool(attachments),
        offence_codes=[c for c, _ in codes],
        offences=_dedupe(values.offences, lambda o: (_pkey(o), o.code)),
        victims=_dedupe(values.victims, lambda c: (_pkey(c), c.gender, c.age)),
        suspects=_dedupe(values.suspects, lambda c: (_pkey(c), c.gender, c.age)),
        platforms=values.platforms, outcomes_by_type=values.outcomes,
        youngest_victim=_youngest(doc),
        exemptions=[Exemption(section=g.section, ncnd=g.ncnd, evidence=_ev(doc, g.span),
                              readers=["rules"]) for g in grounds],
        flags=values.flags, evidence=evidence,
    )
    return _decide_outcome(doc, record, grounds)


def _decide_outcome(doc: Document, record: Record, grounds: list[X.Ground]) -> Record:
    lists = (record.offences, record.victims, record.suspects, record.platforms,
             record.outcomes_by_type)
    given = any(lists) or (record.youngest_victim is not None
                           and not record.youngest_victim.withheld)
    suppressed = any(getattr(i, "suppressed", False) for lst in lists for i in lst)
    withheld_yv = record.youngest_victim is not None and record.youngest_victim.withheld
    outcome, span = S.overall_outcome(doc, grounds, given, suppressed or withheld_yv,
                                      record.data_in_attachment)
    record.outcome = outcome  # type: ignore[assignment]
    if span:
        record.evidence["outcome"] = _ev(doc, span)
    return record


def nil_return(text: str) -> bool:
    """Whether a reply says it has nothing to report for the whole request."""
    return bool(re.search(r"\bnil return\b", text, re.IGNORECASE))
