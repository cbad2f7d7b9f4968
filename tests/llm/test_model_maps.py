"""The model maps tables, code reads cells (issue 15): requests, validators, cut-offs, cache.

The server here is the FAKE scripted server (tests/fakes/fake_openai.py), used for fault
injection (an answer stopped by max_tokens); it is not a model.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from extract.document import Document
from extract.llm.cache import LLMCache
from extract.llm.config import LLMConfig
from extract.llm.models import ProseAnswer, TablesAnswer, grounding, number_span
from extract.llm.parse import CutOff, parse_completion
from extract.llm.requests import build, output_budget, plan_specs, split
from extract.prompting import default_prompts
from extract.readers.llm import read_llm
from tests.fakes.fake_openai import FakeOpenAI, Step, completion, serve
from tests.fixtures.grids import grid_doc as _grid_doc

FY = {"start": "2024-04-01", "end": "2025-03-31"}
PROSE = ("Northshire Police\nReference 77/24\n\nYou asked about offences in 2024/25.\n"
         "The number of persons under 18 who were victims was 78.\n")


def grid_doc(n_body: int, prose: str = PROSE, n_tables: int = 1) -> Document:
    """The shared generated document, with this module's prose by default."""
    return _grid_doc(n_body, prose, n_tables)


def _config(url: str = "http://127.0.0.1:9/v1", **kw: Any) -> LLMConfig:
    return LLMConfig(base_url=url, model="fake-model", attempts=1, max_reasks=1,
                     backoff_base_s=0, **kw)


def _mapping(table: str = "T1", **kw: Any) -> dict[str, Any]:
    m = {"table": table, "counts": "platforms", "header_rows": 1, "header_cols": 1,
         "col_roles": ["period"], "row_roles": ["platform"]}
    m.update(kw)
    return m


def _user(body: dict[str, Any]) -> dict[str, Any]:
    return json.loads(body["messages"][-1]["content"])  # type: ignore[no-any-return]


def test_a_small_reply_is_one_request_with_prose_and_a_table_sketch() -> None:
    doc = grid_doc(4)
    specs = plan_specs(doc)
    assert [s.kind for s in specs] == ["full"]
    req = build(doc, specs[0], default_prompts(), _config())
    data = _user(req.body)
    assert "[table T1]" in data["text"] and "App 2" not in data["text"]
    sketch = data["tables"][0]
    assert sketch["cells"][0] == "r1c1 Platform | r1c2 2023 | r1c3 2024"
    assert sketch["above"][-1] == "Table 1: platforms used"
    assert req.context["tables"] == {"T1": {"rows": 5, "cols": 3}}


def test_a_long_table_is_sketched_not_sent_and_costs_the_same_output() -> None:
    small, big = grid_doc(5), grid_doc(60)
    s_req = build(small, plan_specs(small)[0], default_prompts(), _config())
    b_req = build(big, plan_specs(big)[0], default_prompts(), _config())
    sketch = _user(b_req.body)["tables"][0]
    assert len(sketch["cells"]) == 4  # the header row and three sample rows
    assert sketch["row_labels"][0] == "r5c1 App 3" and "r5c2" not in sketch["row_labels"][0]
    assert s_req.body["max_tokens"] == b_req.body["max_tokens"]
    assert output_budget(big, plan_specs(big)[0]) == output_budget(small, plan_specs(small)[0])


def test_the_fixed_part_comes_first_and_is_byte_stable() -> None:
    a, b = grid_doc(3), grid_doc(9, prose="Other text\n")
    ra = build(a, plan_specs(a)[0], default_prompts(), _config())
    rb = build(b, plan_specs(b)[0], default_prompts(), _config())
    assert ra.body["messages"][:-1] == rb.body["messages"][:-1]
    assert ra.body["messages"][0]["content"].startswith("version: 4")
    assert ra.body["messages"][-1]["role"] == "user"


@pytest.mark.parametrize("mapping, message", [
    (_mapping(cells=[{"cell": "r9c1", "role": "platform"}]), "not in the table"),
    (_mapping(cells=[{"cell": "r3c2", "role": "platform"}]), "data cell"),
    (_mapping(total_rows=[7]), "total row 7"),
    (_mapping(table="T9"), "not one of the tables"),
    (_mapping(col_roles=[]), "one col_roles entry per header row"),
    (_mapping(cells=[{"cell": "r1c2", "role": "age", "value": "teen"}]), "age 'teen'"),
    (_mapping(scope={"code": "seventy-one"}), "offence code"),
])
def test_mapping_validators_reject_ids_and_values_that_do_not_fit(mapping: dict[str, Any],
                                                                  message: str) -> None:
    ctx = {"text": "", "cells": {}, "tables": {"T1": {"rows": 5, "cols": 3}}}
    with grounding(ctx), pytest.raises(ValidationError, match=message):
        TablesAnswer.model_validate({"mappings": [mapping]})


def test_a_good_mapping_validates() -> None:
    ctx = {"text": "", "cells": {}, "tables": {"T1": {"rows": 5, "cols": 3}}}
    good = _mapping(cells=[{"cell": "r1c3", "role": "period",
                            "period": {"start": "2024-01-01", "end": "2024-07-16"}}],
                    total_rows=[5], suppression_marks=["*"])
    with grounding(ctx):
        assert TablesAnswer.model_validate({"mappings": [good]}).mappings[0].total_rows == [5]


def test_a_prose_count_is_grounded_only_at_its_number_token() -> None:
    quote = "persons under 18 who were victims was 78"
    assert number_span(quote, 78) == (38, 40)
    assert number_span(quote, 18) == (14, 16)
    assert number_span("recorded nineteen offences", 19) == (9, 17)
    assert number_span(quote, 7) is None  # 7 is a digit of 78, not a number of the quote
    ctx = {"text": PROSE, "cells": {}}
    fact = {"period": FY, "gender": "all", "age": "0-17", "count": 7, "quote": quote}
    with grounding(ctx), pytest.raises(ValidationError, match="not written as a number"):
        ProseAnswer.model_validate({"victims": [fact]})


def test_prose_evidence_points_at_the_number_token() -> None:
    doc = grid_doc(3)
    fact = {"period": FY, "gender": "all", "age": "0-17", "count": 78,
            "quote": "persons under 18 who were victims was 78"}
    answer = {"victims": [fact], "mappings": [_mapping()]}
    fake = FakeOpenAI(Step(answer=answer))
    with serve(fake) as url:
        record, usage = read_llm(doc, None, _config(url))
    ev = record.victims[0].evidence[0]
    assert ev.quote == "78" and doc.text[ev.start:ev.end] == "78"
    assert usage.requests == 1 and record.meta["mappings"]["T1"]["counts"] == "platforms"


def test_a_cut_off_answer_is_never_parsed_and_the_request_is_split(tmp_path: Path) -> None:
    doc = grid_doc(3)
    fake = FakeOpenAI()
    fake.push(Step(content='{"mappings": [{"table": "T1", "cou', finish_reason="length"),
              Step(answer={"outcome": {"value": "full", "quote": "You asked"}}),
              Step(answer={"mappings": [_mapping()]}))
    cache = LLMCache(tmp_path / "c")
    with serve(fake) as url:
        record, usage = read_llm(doc, None, _config(url), cache)
        again, usage2 = read_llm(doc, None, _config(url), cache)
    kinds = [_user(b)["task"] for b in fake.requests]
    assert kinds == ["full", "prose", "tables"]
    assert "tables" not in _user(fake.requests[1]) and "text" not in _user(fake.requests[2])
    assert record.meta["mappings"]["T1"]["row_roles"] == ["platform"]
    assert record.evidence["outcome"][0].quote == "You asked"
    assert usage.requests == 3 and usage2.requests == 0 and usage2.cached == 1
    assert again.model_dump(exclude={"meta"}) == record.model_dump(exclude={"meta"})
    cache.close()


def test_parse_refuses_a_length_stopped_answer_even_when_it_is_valid_json() -> None:
    body = completion(json.dumps({"mappings": []}), finish_reason="length")
    with pytest.raises(CutOff):
        parse_completion(TablesAnswer, {"tables": {}}, body)


def test_splits_go_from_tables_apart_to_row_parts() -> None:
    doc = grid_doc(80, n_tables=2)
    spec = plan_specs(doc)[0]
    assert spec.kind == "full" and len(spec.tables) == 2
    prose, tables = split(doc, spec)
    assert prose.kind == "prose" and tables.kind == "tables"
    one, two = split(doc, tables)
    assert [len(one.tables), len(two.tables)] == [1, 1]
    first, second = split(doc, one)
    assert first.tables[0].last < second.tables[0].first
    second_req = build(doc, second, default_prompts(), _config())
    sketch = _user(second_req.body)["tables"][0]
    assert sketch["cells"] == ["r1c1 Platform | r1c2 2023 | r1c3 2024"]  # headers again
    assert sketch["row_labels"][0].startswith(f"r{second.tables[0].first}c1 ")


def test_an_invalid_mapping_is_reasked_with_the_errors_then_kept() -> None:
    doc = grid_doc(3, prose="")
    fake = FakeOpenAI()
    fake.push(Step(answer={"mappings": [_mapping(cells=[{"cell": "r8c1", "role": "age"}])]}),
              Step(answer={"mappings": [_mapping()]}))
    with serve(fake) as url:
        record, usage = read_llm(doc, None, _config(url))
    assert usage.requests == 2
    reask = fake.requests[1]["messages"]
    assert "r8c1 is not in the table" in reask[-1]["content"]
    assert reask[:-2] == fake.requests[0]["messages"]
    assert record.meta["mappings"]["T1"]["counts"] == "platforms"
    assert not [f for f in record.flags if f.code == "llm_dropped"]


def test_cached_input_tokens_are_counted_and_priced() -> None:
    from extract.llm.parse import add_usage
    from extract.llm.usage import Usage

    body = completion("{}", prompt_tokens=1000, completion_tokens=100)
    body["usage"]["prompt_tokens_details"] = {"cached_tokens": 800}
    usage = Usage()
    add_usage(usage, "gpt-4o-mini", body)
    assert usage.cached_input_tokens == 800
    # 200 fresh at 0.15, 800 cached at 0.075, 100 out at 0.60 (USD per 1M)
    assert usage.cost_usd() == pytest.approx((200 * 0.15 + 800 * 0.075 + 100 * 0.60) / 1e6)


def test_a_mapping_becomes_facts_read_from_the_cells() -> None:
    """The same small mapping answer reads every cell of a 6-cell and a 60-cell table."""
    counts = {}
    for n in (2, 20):
        doc = grid_doc(n, prose="")
        fake = FakeOpenAI(Step(answer={"mappings": [_mapping()]}))
        with serve(fake) as url:
            record, _ = read_llm(doc, None, _config(url))
        counts[n] = len(record.platforms)
        first = record.platforms[0]
        assert (first.label, first.count, str(first.period.start)) == ("App 0", 0, "2023-01-01")
        ev = first.evidence[0]
        assert ev.locator == "T1 r2c2" and doc.text[ev.start:ev.end] == "0"
        assert first.readers == ["llm"]
    assert counts == {2: 4, 20: 40}


def test_a_count_may_cite_a_cell_of_its_tables_and_must_match_it() -> None:
    """A fact citing a cell (even of a row the sketch did not show) is kept only when the
    count is the number written in that cell; its evidence is the cell."""
    doc = grid_doc(12)  # rows past the sample are not shown in full
    spec = plan_specs(doc)[0]
    req = build(doc, spec, default_prompts(), _config())
    assert req.context["cells"]["T1.r12c3"] == "11"  # App 10, 2024
    good = {"period": FY, "label": "App 10", "count": 11, "cells": ["T1.r12c1", "T1.r12c3"]}
    with grounding(req.context):
        ProseAnswer.model_validate({"platforms": [good]})
    for bad, message in (({**good, "count": 12}, "not written as a number"),
                         ({**good, "cells": ["T1.r12c1", "T1.r99c3"]}, "not in the tables"),
                         ({**good, "cells": ["T1.r12c1", "T7.r2c2"]}, "not in the tables")):
        with grounding(req.context), pytest.raises(ValidationError, match=message):
            ProseAnswer.model_validate({"platforms": [bad]})
    fake = FakeOpenAI(Step(answer={"platforms": [good], "mappings": [_mapping()]}))
    with serve(fake) as url:
        record, _ = read_llm(doc, None, _config(url))
    cited = [p for p in record.platforms if p.label == "App 10" and p.count == 11]
    assert any(e.quote == "11" and (e.locator or "").endswith("T1 r12c3")
               for p in cited for e in p.evidence)


def test_thousands_split_by_a_comma_and_space_ground_either_reading() -> None:
    quote = "2011 : 77, 686"
    assert number_span(quote, 77686) == (7, 14)
    assert number_span(quote, 77) == (7, 9) and number_span(quote, 686) == (11, 14)
    assert number_span("12, 3456", 123456) is None  # groups of three digits only


def test_a_date_with_a_two_digit_year_grounds_its_year() -> None:
    from extract.llm.models import DateOut

    text = "Date of response:   18/01/13\nDated 2 March 2013"
    with grounding({"text": text, "cells": {}}):
        assert DateOut.model_validate({"value": "2013-01-18", "quote": "18/01/13"})
        with pytest.raises(ValidationError, match="year 2014"):
            DateOut.model_validate({"value": "2014-01-18", "quote": "18/01/13"})
        with pytest.raises(ValidationError, match="year 2018"):  # 18 is the day, not the year
            DateOut.model_validate({"value": "2018-01-13", "quote": "18/01/13"})


def test_the_model_codes_are_written_as_the_contract_writes_them() -> None:
    from extract.llm.models import CodeOut, OffenceOut

    with grounding({"text": "Offence code 088/05 and 008/71", "cells": {}}):
        assert CodeOut.model_validate({"code": "88/05", "quote": "088/05"}).code == "88/5"
        assert CodeOut.model_validate({"code": "008/71", "quote": "008/71"}).code == "8/71"
        got = OffenceOut.model_validate({"period": FY, "code": "088/05", "count": 5,
                                         "quote": "088/05 and 008/71"})
        assert got.code == "88/5"
