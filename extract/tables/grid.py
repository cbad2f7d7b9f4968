"""The grid helpers every detector shares, and the annotation of a found table: header and
total rows and columns, stacked tables split, page-break continuations joined."""

from __future__ import annotations

import re
from collections.abc import Iterator

from extract.document import Document, Table, TableCell

_TOTAL_RE = re.compile(r"^\s*(grand\s+total|total|totals|sum|overall\s+total|all|overall|"
                       r"all\s+(?:years|periods|months|quarters|ages|age\s+groups|offences|"
                       r"crimes))\b\s*:?\s*$", re.IGNORECASE)
# Marks a label or a count may carry to point at a footnote (`Grand Total‡`, `15†`).
FOOTNOTE_MARKS = "*^†‡§¶#¹²³⁴⁵⁶⁷⁸⁹"
# A count-like cell; footnote marks stuck to it ("15†", "<5^") are allowed.
NUMERIC_RE = re.compile(
    r"^\s*(\d{1,3}(?:,\s?\d{3})+|\d[\d,]*(\.\d+)?%?|-|–|—|\*+|<\s*\d+|n/?a|nil|x|1\s*-\s*4|"
    r"(?:fewer|less|under)\s+than\s+(?:five|5)|under\s+(?:five|5)|"
    r"s\.?\s?\d{2}(?:\(\d\))?|exempt|withheld|redacted)\s*[*^†‡§¶#¹²³⁴⁵⁶⁷⁸⁹]*\s*$",
    re.IGNORECASE)


def lines_of(text: str, start: int = 0) -> Iterator[tuple[int, int, str]]:
    """(start, end, line) for each line of text, offsets absolute."""
    pos = start
    for line in text[start:].split("\n"):
        yield pos, pos + len(line), line
        pos += len(line) + 1


def make_cell(text: str, start: int, end: int, row: int, col: int) -> TableCell:
    """A cell whose span is trimmed to its visible text (empty: a zero-width span)."""
    seg = text[start:end]
    lead = len(seg) - len(seg.lstrip())
    stripped = seg.strip()
    s = start + lead
    return TableCell(stripped, s, s + len(stripped), row, col)


def covered(doc: Document, start: int, end: int) -> bool:
    """Whether [start, end) overlaps a table the document already holds."""
    return any(t.start < end and start < t.end for t in doc.tables)


# --- annotation -----------------------------------------------------------------------------


def is_numeric(text: str) -> bool:
    """A count-like cell: digits, a dash, a suppression mark, n/a, nil."""
    return bool(NUMERIC_RE.match(text))


# A subtotal of a group: `2020/21 total`, `Total 2022`, `Sub-total`.
_SUBTOTAL_RE = re.compile(
    r"^(?:sub[\s-]?)?totals?\s+(?:for\s+)?(?:FY\s*)?(?:19|20)\d{2}(?:\s*[/-]\s*\d{2,4})?\s*:?$|"
    r"^(?:FY\s*)?(?:19|20)\d{2}(?:\s*[/-]\s*\d{2,4})?\s+(?:sub[\s-]?)?totals?\s*:?$|"
    r"^sub[\s-]?totals?\s*:?$", re.IGNORECASE)


def is_total_label(text: str) -> bool:
    """`Total`, `Grand Total`, `Sum:`, `All`, and group subtotals (`2020/21 total`)."""
    bare = text.strip().strip(FOOTNOTE_MARKS)
    return bool(_TOTAL_RE.match(bare) or _SUBTOTAL_RE.match(bare))


_KEY_HEADER = re.compile(
    r"\b(age|ages|year|years|period|month|gender|sex|platform|app|method|outcome|offence|code|"
    r"programme|band)\b", re.IGNORECASE)


def _count(text: str) -> bool:
    """A count cell that cannot be a year heading."""
    return bool(NUMERIC_RE.match(text)) and not looks_like_year(text)


def _counts_after_labels(row: list[TableCell]) -> bool:
    """Whether a row is labels then counts only (`High | Female | 2524 | 2023`): the first
    data row, however many label columns lead it."""
    values = [c.text for c in row[1:] if c.text]
    while values and not NUMERIC_RE.match(values[0]):
        values.pop(0)  # more leading labels (a second label column)
    # a count may look like a year (2023 victims) beside plain counts; years alone are a header
    return any(_count(v) for v in values) and all(NUMERIC_RE.match(v) for v in values)


def _blank_counts_under_full_header(row: list[TableCell], head: list[TableCell]) -> bool:
    """A labelled row with every count blank under a header that names every column
    (`facebook and twitter |  ` under `Platform | Offences`): a body row, not a header."""
    return len(row) > 1 and bool(row[0].text) and all(c.blank for c in row[1:]) and \
        len(head) == len(row) and all(not c.blank for c in head[1:])


def _header_rows(table: Table) -> int:
    n = 0
    for row in table.rows[:-1]:
        if _counts_after_labels(row) or \
                (n and _blank_counts_under_full_header(row, table.rows[n - 1])):
            break
        n += 1
    if n == 0 and len(table.rows) > 2 and table.rows[0] and \
            (_KEY_HEADER.fullmatch(table.rows[0][0].text.strip().rstrip(":")) or
             _blank_corner_over_labels(table)):
        return 1  # "Gender | 12 | 13 | 14": a header of bare ages under a header word
    return n


def _blank_corner_over_labels(table: Table) -> bool:
    """A top row of numbers with a blank corner over rows that each open with a label
    (` | 12 | 13` over `Female | 3 | 15`): bare ages or codes heading the columns."""
    top, body = table.rows[0], table.rows[1:]
    if not top or not top[0].blank or len(top) < 3 or any(c.blank for c in top[1:]):
        return False
    firsts = [r[0].text for r in body if r]
    return all(firsts) and any(not NUMERIC_RE.match(f) for f in firsts)


def looks_like_year(text: str) -> bool:
    # `2023¹`: a footnote mark may follow the year
    return bool(re.match(r"^(19|20)\d{2}(?![\d\w])|^(19|20)\d{2}[¹²³⁴⁵⁶⁷⁸⁹]", text.strip()))


def _label_col(table: Table, c: int) -> bool:
    """Whether column c (right of the first) holds row labels too: words in its body (blanks
    allowed: merged cells), or numbers under a header word such as `Age` or `Year`."""
    body = [r[c].text for r in table.rows[table.header_rows:]
            if c < len(r) and r and not is_total_label(r[0].text)]
    filled = [t for t in body if t]
    if not filled:
        return False
    words = sum(not NUMERIC_RE.match(t) or looks_like_year(t) for t in filled)
    if words == len(filled) or (words >= 3 and words * 4 >= len(filled) * 3):
        return True  # words, bar a stray shifted row (`High | 3 | 3 |`)
    if any(t.startswith(("<", "*")) for t in filled):
        return False
    head = table.rows[table.header_rows - 1][c].text if table.header_rows and \
        c < len(table.rows[table.header_rows - 1]) else ""
    return bool(_KEY_HEADER.fullmatch(head.strip().rstrip(":"))) or \
        (len(filled) == len(body) and _grouped(table, c - 1))


def _grouped(table: Table, c: int) -> bool:
    """Whether column c groups the rows beside it: labels each over a run of two rows or
    more (left blank below or carried down: merged cells), with the next column naming the
    same rows again in each group (ages 12, 13 under Female, then under Male)."""
    body = [r for r in table.rows[table.header_rows:]
            if r and not is_total_label(r[0].text) and c + 1 < len(r)]
    runs: list[list[str]] = []
    for r in body:
        head, inner = r[c].text, r[c + 1].text
        if head and (not runs or head != runs[-1][0]):
            runs.append([head])
        elif not runs:
            return False
        runs[-1].append(inner)
    if len(runs) < 2 or any(len(run) < 3 for run in runs):
        return False
    first, second = set(runs[0][1:]), set(runs[1][1:])
    return len(first & second) * 2 >= max(len(first), len(second))


def _header_cols(table: Table) -> int:
    """Leading label columns: the first when it holds labels, then each next one that does,
    leaving one column of counts at least."""
    n = 1
    while n < table.n_cols - 1 and _label_col(table, n):
        n += 1
    return n


def _blank_corner(table: Table) -> bool:
    """Whether the first column is blank in every header row while the innermost header
    row labels every other column (a merged `Year` above it may leave blanks): the first
    column then holds the row labels, even numbers such as ages."""
    heads = table.rows[:table.header_rows]
    if not heads or any(not r or not r[0].blank for r in heads):
        return False
    return all(not c.blank for c in heads[-1][1:])


def _realign_shifted(table: Table) -> None:
    """Rows a dump shifted left by dropping their blank label cells (`High | 3 | 3 | |`
    under `Risk | Gender | Offences | Victims`): a count sits in a label column and as many
    cells end the row blank. The counts move right under their own heads and the label
    cells become blank (a blank label, such as a gender not recorded)."""
    hc = table.header_cols
    for i in range(table.header_rows, len(table.rows)):
        row = table.rows[i]
        k = next((c for c in range(1, min(hc, len(row))) if _count(row[c].text)), None)
        if k is None or not row[0].text or is_total_label(row[0].text):
            continue
        shift = hc - k
        if len(row) - shift <= hc or any(not c.blank for c in row[-shift:]):
            continue
        at = row[k].start
        cells = [*row[:k], *(TableCell("", at, at, i, 0) for _ in range(shift)),
                 *row[k:len(row) - shift]]
        table.rows[i] = [TableCell(c.text, c.start, c.end, i, j) for j, c in enumerate(cells)]


def drop_blank_cols(table: Table) -> Table:
    """The table without columns blank in every row (a sheet's empty column A, a spacer
    column): they hold no label and no count, and would pass for a label column."""
    width = table.n_cols
    keep = [c for c in range(width) if any(c < len(r) and not r[c].blank for r in table.rows)]
    if len(keep) == width or not keep:
        return table
    table.rows = [[TableCell(r[c].text, r[c].start, r[c].end, i, j)
                   for j, c in enumerate(k for k in keep if k < len(r))]
                  for i, r in enumerate(table.rows)]
    table.header_cols = sum(c < table.header_cols for c in keep)
    return table


def annotate(table: Table) -> Table:
    """Mark header rows/columns and total rows/columns (keeps what a loader set)."""
    drop_blank_cols(table)
    if table.source != "keyword":
        table.header_rows = table.header_rows or _header_rows(table)
    first_col = [r[0].text for r in table.rows[table.header_rows:] if r]
    labels = sum(not NUMERIC_RE.match(t) or looks_like_year(t) for t in first_col if t)
    corner = table.rows[0][0].text if table.header_rows >= 1 and table.rows[0] else ""
    corner_blank = table.header_rows >= 1 and _blank_corner(table)
    if first_col and (labels >= len(first_col) / 2 or corner_blank or _KEY_HEADER.search(corner)):
        table.header_cols = max(table.header_cols, 1)
        if table.source != "keyword":
            table.header_cols = max(table.header_cols, _header_cols(table))
    _realign_shifted(table)
    table.total_rows = {i for i, r in enumerate(table.rows)
                        if i >= table.header_rows and r and
                        any(is_total_label(c.text) for c in r[:max(1, table.header_cols)])}
    value_cols = table.n_cols - table.header_cols
    if value_cols >= 2:
        for h in range(table.header_rows):
            for c in table.rows[h]:
                if c.col >= table.header_cols and is_total_label(c.text):
                    table.total_cols.add(c.col)
    return table


# --- row groups: a label row ("Female") over the rows it names ------------------------------


def _group_row(row: list[TableCell]) -> bool:
    """A row holding one label in its first cell: a word, or a year heading its group."""
    filled = [c for c in row if not c.blank]
    # a year alone on its row heads a group too (`2022` over the outcomes of 2022)
    return len(filled) == 1 and filled[0].col == 0 and not is_total_label(filled[0].text) \
        and (not NUMERIC_RE.match(filled[0].text) or looks_like_year(filled[0].text))


def _real_groups(t: Table, marks: list[int]) -> bool:
    """Whether lone-label rows are group heads, not rows whose counts are blank ("Grindr |"):
    two groups or more, the first right under a header of one or two rows, each group two
    data rows or more."""
    if len(marks) < 2 or marks[0] > 2 or any(_data_row(r) for r in t.rows[:marks[0]]):
        return False
    bounds = [*marks, len(t.rows)]
    for a, b in zip(bounds, bounds[1:], strict=False):
        if sum(_data_row(r) for r in t.rows[a + 1:b]) < 2:
            return False
    return _groups_repeat(t, bounds)


def _groups_repeat(t: Table, bounds: list[int]) -> bool:
    """Whether the groups name the same rows again (ages under `Female`, then under `Male`;
    outcomes under `2022`, then under `2023`): heads of groups split one set of rows; lone
    labels over unrelated rows (`YouTube |` over `Hot or Not | 3`) are rows with blank counts."""
    groups = [{r[0].text.strip().lower() for r in t.rows[a + 1:b]
               if r and r[0].text and _data_row(r) and not is_total_label(r[0].text)}
              for a, b in zip(bounds, bounds[1:], strict=False)]
    first = groups[0]
    return all(len(first & g) * 2 >= min(len(first), len(g)) > 0 for g in groups[1:])


def fold_group_rows(t: Table) -> Table:
    """Rows holding only a label, each directly over rows of counts (a gender named once at
    the top of its rows), become a first header column carried down to those rows."""
    if t.source == "keyword" or len(t.rows) < 3:
        return t
    marks = [i for i in range(1, len(t.rows) - 1)
             if _group_row(t.rows[i]) and _data_row(t.rows[i + 1])]
    if not _real_groups(t, marks):
        return t
    rows: list[list[TableCell]] = []
    group: TableCell | None = None
    for i, row in enumerate(t.rows):
        if i in marks:
            group = row[0]
            continue
        lead = group if group is not None and i > marks[0] and \
            not is_total_label(row[0].text) else None
        head = lead or TableCell("", row[0].start, row[0].start, 0, 0)
        r = len(rows)
        rows.append([TableCell(head.text, head.start, head.end, r, 0)] +
                    [TableCell(c.text, c.start, c.end, r, c.col + 1) for c in row])
    return Table(t.id, rows, t.start, t.end, t.source, part=t.part, title=t.title,
                 header_cols=t.header_cols + 1 if t.header_cols else 0)


def _blank_row(row: list[TableCell]) -> bool:
    return all(c.blank for c in row)


def _title_row(row: list[TableCell]) -> bool:
    filled = [c for c in row if not c.blank]
    return len(filled) == 1 and filled[0].col == 0 and not NUMERIC_RE.match(filled[0].text)


def _blank_counts_row(rows: list[list[TableCell]], i: int) -> bool:
    """Whether the lone label at row i is a row whose counts are blank (`PS4 |  |` among
    platforms), not a title: the first row after it (and after any more lone labels) is a
    row of counts, where a title is followed by its header or a blank row."""
    j = i + 1
    while j < len(rows) and _title_row(rows[j]):
        j += 1
    return j < len(rows) and _data_row(rows[j])


def _sub_table(t: Table, rows: list[list[TableCell]], title: str, n: int) -> Table:
    width = max((c.col for r in rows for c in r if not c.blank), default=0) + 1
    base = rows[0][0].col if rows[0] else 0
    kept = [[TableCell(c.text, c.start, c.end, i, c.col - base) for c in r[:width]]
            for i, r in enumerate(rows)]
    return Table(f"{t.id}.{n}" if n else t.id, kept, kept[0][0].start, kept[-1][-1].end,
                 t.source, part=t.part, title=title)


def split_stacked(t: Table) -> list[Table]:
    """Several tables stacked on one sheet or page, split at blank rows; a lone label above a
    block (`TABLE 2`) becomes that block's title."""
    blocks: list[tuple[str, list[list[TableCell]]]] = []
    title: str = ""
    current: list[list[TableCell]] = []
    for i, row in enumerate(t.rows):
        titled = _title_row(row) and (not current or (len(current) > 1 and
                                                      not _blank_counts_row(t.rows, i)))
        if _blank_row(row) or titled:
            if len(current) >= 2:
                blocks.append((title, current))
            title = " ".join(c.text for c in row if not c.blank) or title
            current = []
            continue
        current.append(row)
    if len(current) >= 2:
        blocks.append((title, current))
    if len(blocks) <= 1 and (not blocks or len(blocks[0][1]) == len(t.rows)):
        return [t]
    return [_sub_table(t, rows, ttl, i + 1) for i, (ttl, rows) in enumerate(blocks)]


def _data_row(row: list[TableCell]) -> bool:
    values = [c.text for c in row[1:] if c.text]
    return bool(values) and all(NUMERIC_RE.match(v) and not looks_like_year(v) for v in values)


PAGE_FURNITURE = re.compile(
    r"^(?:page\s+\d+(?:\s+of\s+\d+)?|\d{1,3}|official(?:[\s-]+sensitive)?|restricted|"
    r"not\s+protectively\s+marked|.*\bcontinued\b.*|cont(?:inue)?'?d\.?|"
    r".*\bpage\s+\d+\s+of\s+\d+.*)$", re.IGNORECASE)


def _furniture(doc: Document, gap: str) -> bool:
    """Whether the text between two tables is only page furniture: page numbers, protective
    markings, or lines that recur elsewhere in the document (running headers and footers)."""
    for line in (ln.strip() for ln in gap.split("\n")):
        if line and not PAGE_FURNITURE.match(line) and doc.text.count(line) < 2:
            return False
    return len(gap.strip()) <= 300


def _same_header(a: Table, b: Table) -> bool:
    if not a.rows or not b.rows or len(b.rows) < 2:
        return False
    return [c.text for c in a.rows[0]] == [c.text for c in b.rows[0]] and \
        any(not c.blank for c in a.rows[0])


def _continues(doc: Document, a: Table, b: Table) -> int:
    """How many rows of b to drop when b carries on a (a table cut by a page break), or -1.

    Same source and width, and either b starts with a data row where a starts with a header
    (a PDF or Word page break, little text between), or b repeats a's header row with only
    page furniture between."""
    if a.source != b.source or a.n_cols != b.n_cols or b.start < a.end:
        return -1
    if a.source in ("sheet", "csv"):  # a sheet has no page breaks: the next one is new
        return -1
    gap = doc.text[a.end:b.start]
    if _same_header(a, b) and _furniture(doc, gap):
        return 1
    if a.source not in ("pdf", "docx") or not b.rows or not _data_row(b.rows[0]) or \
            _data_row(a.rows[0]):
        return -1
    return 0 if len(gap.strip()) <= 200 else -1


def join_continued(doc: Document, tables: list[Table]) -> list[Table]:
    """Tables that a page break cut in two become one again."""
    out: list[Table] = []
    for t in sorted(tables, key=lambda t: t.start):
        drop = _continues(doc, out[-1], t) if out else -1
        if drop >= 0:
            prev = out[-1]
            base = len(prev.rows)
            prev.rows += [[TableCell(c.text, c.start, c.end, base + i, c.col) for c in row]
                          for i, row in enumerate(t.rows[drop:])]
            prev.end = t.end
            continue
        out.append(t)
    return out


