"""Scalars of a reply: its reference, issue date, answering force, attachment notes."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from datetime import date
from functools import cache

from extract.document import Document
from extract.periods import DATE_RE, near_years, parse_date
from extract.readers.exemptions import Ground
from extract.readers.prose import stated_figures
from extract.readers.sentences import (
    FOI_ACT,
    Span,
    doc_sentences,
    in_regions,
    is_request,
    quoted_spans,
    request_regions,
)
from schemas.vocab import force_aliases, force_of_domain

# A reference as people type it: letters and digits joined by separators, perhaps spaced
# (`2572/15`, `432- 25`, `FOI - 2022 - 00189`, `01.FOI.23.031235`, `LD/ICU/DC/FOI/465/13`),
# perhaps after a short letter prefix and a space (`FOI 68 - 26`, `PUB 1254`).
# A part after a spaced separator must hold a digit: "000412/24 - CORRECTED RESPONSE" ends at 24.
_REF_VALUE = (r"(?P<ref>(?-i:(?:[A-Z]{2,6} (?=\d))?[A-Z0-9]+(?:(?:[ \t][-–/][ \t]?|[-–/][ \t])"
              r"(?=[A-Z]*\d)[A-Z0-9]+|[-–/._][A-Z0-9]+)*))")
_ACT = rf"{FOI_ACT}(?:\s+\(scotland\))?(?:\s+act)?"
_REF_LABEL = (
    r"\b(?:(?:our|your|the|this|RFI|EIR|request|enquiry|inquiry|case|disclosure|log|"
    rf"{_ACT})\s+)*(?:reference|ref)\.?(?:\s*(?:no|number|num|id)\.?)?|"
    rf"\b{_ACT}\s+(?:request\s+)?(?:no|number|id)\.?|\b{_ACT}\s+request(?=\s*:)|"
    r"\b(?:request|enquiry|case)\s+(?:no|number|id)\.?")
_REF_LABELLED = re.compile(rf"(?:{_REF_LABEL})[ \t]*[:#]?\s*(?:is\s+)?(?:[-•][ \t]*)?{_REF_VALUE}",
                           re.IGNORECASE)
# `FOI/24/1187` (FOI part of the identifier), `FOI 2025/0318`, `FOI 62A/23`, `Request 16040`
# opening a title line or after its dash (`Freedom of Information Act 2000 - Request 16040`).
_REF_FOI = re.compile(r"\b(?P<whole>FOI[/-]\d{2,4}[/-]\d{2,6})\b|"
                      r"\bFOI(?:A|SA)?\s*(?:request\s*)?[:#]?\s*"
                      r"(?P<ref>\d{1,6}[A-Z]?[/_-]\d{2,4}\b|\d[\d/\-]{3,}\d|\d{4,})\b|"
                      r"(?:^[ \t]*|\s[-–:]\s*)(?:FOI\s+)?request\s+(?P<req>\d{4,})\b",
                      re.IGNORECASE | re.MULTILINE)
# Disclosure-log titles carry the reference in brackets (`Online Grooming (62A/23)`,
# `Anti-Stalking Law (1841_15)`) or after a dash at the end (`Facebook and Twitter - 018/13`).
_SLASHED = r"\d{1,6}[A-Z]?[/_]\d{2,4}"
_REF_TITLE = re.compile(
    rf"\((?P<ref>{_SLASHED}|\d{{5,10}}|[A-Z]{{2,4}}[/-]\d{{2,6}}[/-]\d{{2,4}}|"
    r"\d{3,6}\.(?:19|20)\d\d(?:[/-]\d\d)?|[A-Z]{1,3}\d{5,10})\)|"
    rf"^[^\n]{{3,100}}?\s[-–]\s(?P<tail>{_SLASHED})[ \t]*$", re.MULTILINE)
# A reference standing alone on a line near the top: digits, a capitalised prefix and digits,
# or digits with a slash (`217/19`; not a financial year such as `2021/22`).
_REF_LINE = re.compile(r"(?m)^[ \t]*(?P<ref>[A-Z]{2,6}[ -/]?\d{2,}(?:[/-]\d+)*|\d{4,7}|"
                       rf"(?!(?:19|20)\d\d/\d\d\b){_SLASHED})[ \t]*$")


def _usable_ref(ref: str) -> bool:
    """A reference has a digit and is neither a bare year nor a financial year (`2024/25`)."""
    fy = re.fullmatch(r"((?:19|20)\d\d)\s*[/-]\s*(\d\d)", ref)
    if fy and (int(fy.group(1)) + 1) % 100 == int(fy.group(2)):
        return False
    return bool(re.search(r"\d", ref)) and not re.fullmatch(r"(?:19|20)\d\d", ref)


def _ours_first(pattern: re.Pattern[str], text: str) -> list[re.Match[str]]:
    """Matches in order, those labelled as the force's own (`Our ref:`) before the rest: a
    letter heading `Your ref: ... Our ref: ...` gives the requester's reference first."""
    found = list(pattern.finditer(text))
    return sorted(found, key=lambda m: not re.match(r"\s*our\b", m.group(0), re.IGNORECASE))


def reference(doc: Document) -> tuple[str, Span] | None:
    """The FOI reference as written, labelled (`Our ref:`, `Request Reference:`, `Enquiry Ref :`,
    `FOI request number`), prefixed (`FOI 2025/0318`), in a disclosure-log title
    (`Online Grooming (62A/23)`), or standing alone on a line near the top."""
    head = doc.text[: max(2500, len(doc.text) * 2 // 5)]
    for pattern, text in ((_REF_LABELLED, doc.text), (_REF_FOI, doc.text), (_REF_TITLE, head),
                          (_REF_LINE, head)):
        for m in _ours_first(pattern, text):
            group = next((g for g in ("tail", "req", "whole") if m.groupdict().get(g)), "ref")
            if m.group(group) is None:
                continue
            # As written, prefix included: "Our ref: FOI 68 - 26" is "FOI 68 - 26" (the
            # contract's "as written"; labellers keep what follows the label).
            ref = m.group(group).rstrip("._-/ ")
            start = m.start(group)
            if _usable_ref(ref):
                return ref, Span(start, start + len(ref), ref)
    return None


_DATE_LABEL = re.compile(r"\b(date(?:\s+of)?\s*(?:response|reply|issued?|sent)?|"
                         r"(?:response|reply)\s+date|dated)\s*[:\-]?\s*$", re.IGNORECASE)
_DATE_LINE = re.compile(rf"(?m)^[ \t]*(?:\w+day,?\s+)?(?P<d>{DATE_RE.pattern})[ \t]*$",
                        re.IGNORECASE)
_NOT_ISSUE = re.compile(r"\b(received|receipt|due|as at|as of|correct)\b", re.IGNORECASE)


def response_date(doc: Document) -> tuple[date, Span] | None:
    """The date the reply was issued: a labelled date, else the latest date standing alone."""
    for m in near_years(DATE_RE, doc.text):
        before = doc.text[max(0, m.start() - 40):m.start()].split("\n")[-1]
        if _DATE_LABEL.search(before) and not _NOT_ISSUE.search(before):
            d = parse_date(m.group(0))
            if d:
                return d, Span(m.start(), m.end(), m.group(0))
    lines = []
    for m in _DATE_LINE.finditer(doc.text):
        d = parse_date(m.group("d"))
        if d and not _MONTH_ONLY(m.group("d")):
            lines.append((d, Span(m.start("d"), m.end("d"), m.group("d"))))
    return max(lines, key=lambda x: x[0]) if lines else None


def _MONTH_ONLY(text: str) -> bool:  # noqa: N802
    """Whether a date is a bare month (`April 2018`), not a day."""
    return not re.search(r"\d{1,2}(st|nd|rd|th)?[\s/.-]", text.strip()[:5])


def _alias_hits(text: str, lower: str, alias: str) -> Iterator[re.Match[str]]:
    """Where a force alias stands as whole words. Short aliases (`WMP`, `Met`) must keep their
    capitals, so that "met the criteria" or "MPs" do not name a force."""
    if len(alias) > 4:
        # The alias is folded ("dyfed powys police", "avon and somerset"): match its words
        # across the hyphens, spaces and ampersands the reply writes between them.
        needed, pattern = _long_alias(alias)
        # Plain substring tests first: the regex is slow on long texts, and most aliases end
        # in "police" or "constabulary", so testing only one word lets most of them through.
        if all(w in lower for w in needed):
            yield from pattern.finditer(lower)
        return
    for form, pattern in _short_alias(alias):
        if form in text:
            yield from pattern.finditer(text)


@cache
def _long_alias(alias: str) -> tuple[tuple[str, ...], re.Pattern[str]]:
    """The words a long alias cannot match without (`and` may be `&`), and its pattern."""
    words = [r"(?:and|&)" if w == "and" else re.escape(w) for w in alias.split()]
    needed = tuple(w for w in alias.split() if w != "and")
    return needed, re.compile(rf"(?<![\w-]){'[ ,-]+'.join(words)}(?![\w-])")


@cache
def _short_alias(alias: str) -> tuple[tuple[str, re.Pattern[str]], ...]:
    """Each written form of a short alias (capitals, title case) with its pattern."""
    return tuple((form, re.compile(rf"(?<![\w-]){re.escape(form)}(?![\w-])"))
                 for form in {alias.upper(), alias.title()})


# A force named as the one answering: the subject of the answer's verbs, or holding the data.
_ANSWERS_AFTER = re.compile(r"^[ \t]*(?:\(\w+\)[ \t]*)?(?:does|do|can|cannot|can't|will|would|"
                            r"has|have|holds?|is|are|may|confirms?|neither|therefore|has\s+not)\b",
                            re.IGNORECASE)
_ANSWERS_BEFORE = re.compile(r"\b(?:held\s+by|received\s+by|on\s+behalf\s+of|within|conducted\s+by|"
                             r"carried\s+out\s+by|searches?\s+of|systems?\s+of)\s+(?:the\s+)?$",
                             re.IGNORECASE)
# A force named as a source or partner of the one answering: it did not answer.
# ("Your request received by X" names the force that answers: `received by` is not a source.)
_PARTNER_BEFORE = re.compile(
    r"\breceive[sd]?\b[^.\n]{0,40}\b(?:from|with)\s+(?:the\s+)?$|"
    r"\b(?:supplied|provided|obtained|passed|transferred|referred|sent|forwarded|"
    r"shared|collected)\b[^.\n]{0,40}\b(?:from|by|to|with)\s+(?:the\s+)?$|"
    r"\b(?:partners?|and|with|including)\s+(?:the\s+)?$", re.IGNORECASE)
_DOMAIN = re.compile(r"(?<![\w-])(?:[\w-]+[.@])?(?P<label>[a-z][a-z-]*)\.(?:pnn\.)?police\.uk\b",
                     re.IGNORECASE)


def _weight(text: str, start: int, end: int) -> int:
    """How strongly a mention says this force answered: 3 as the answer's subject or holder,
    0 as a source or partner, 1 otherwise."""
    line_start = text.rfind("\n", 0, start) + 1
    before = text[max(line_start, start - 60):start]
    if _ANSWERS_AFTER.match(text[end:end + 40]) or _ANSWERS_BEFORE.search(before):
        return 3
    return 0 if _PARTNER_BEFORE.search(before) else 1


def _force_mentions(doc: Document) -> Iterator[tuple[str, Span, int]]:
    """(force, span, weight) for every alias and every force web or e-mail domain named."""
    taken: list[tuple[int, int]] = []
    lower = doc.text.lower()
    for alias, name in force_aliases():
        for m in _alias_hits(doc.text, lower, alias):
            if any(a <= m.start() < b for a, b in taken):
                continue
            taken.append((m.start(), m.end()))
            yield name, Span(m.start(), m.end(), m.group(0)), _weight(doc.text, m.start(), m.end())
    for m in _DOMAIN.finditer(doc.text):
        owner = force_of_domain(m.group("label"))
        if owner:
            yield owner, Span(m.start(), m.end(), m.group(0)), 2


def force(doc: Document) -> tuple[str, Span] | None:
    """The force that answered: the one the reply names most strongly (as the answer's subject
    or the data's holder, in its web or e-mail address, or just named), not a force named as a
    source or partner. Ties go to the force named first; none named, or only partners: None."""
    score: Counter[str] = Counter()
    first: dict[str, Span] = {}
    for name, span, weight in _force_mentions(doc):
        score[name] += weight
        if name not in first or span.start < first[name].start:
            first[name] = span
    ranked = [n for n in score if score[n] > 0]
    if not ranked:
        return None
    best = max(ranked, key=lambda n: (score[n], -first[n].start))
    return best, first[best]


# --- attachments -----------------------------------------------------------------------------

# "attached" as in an attached file, not "a flag attached to the crime".
_ATTACHED = re.compile(
    r"\b(attached(?!\s+to\b)|enclos(?:e|ed|es|ing)|attachments?|spreadsheet|appendix|annex)\b",
    re.IGNORECASE)
# What is enclosed is the letter itself ("Please find enclosed our response"), not figures.
_THE_LETTER = re.compile(r"\b(?:enclosed|attached)\s+(?:is\s+|are\s+)?(?:our|the|a|my|this)\s+"
                         r"(?:response|reply|letter|decision|answer)\b|"
                         # a summary, copy or guide of what the figures above list is no figures
                         r"\b(?:enclosed|attached)\s+(?:is\s+|are\s+)?(?:a|an)\s+(?:summary|"
                         r"description|copy|guide|leaflet|policy|form|map)\b|"
                         # the input naming itself ("This spreadsheet is the response")
                         r"\bthis\s+(?:spreadsheet|workbook|document|file|sheet)\b",
                         re.IGNORECASE)
# A conditional or general remark ("If you use the enclosed data ...") says nothing is attached.
_CONDITIONAL = re.compile(r"^\W*(?:if|should\s+you|where|when)\b", re.IGNORECASE)
_ATTACH_VERB = re.compile(
    r"\b(see|find|provided|supplied|included|includes|contained|shown|set out|detailed|"
    r"provide[ds]?|sent|has been|have been|refer to|spreadsheet|file|table|data|figures|"
    r"disclosed?|released?|as attached|below|enclose|enclosing)\b",
    re.IGNORECASE)


def attachment_mentions(doc: Document) -> list[Span]:
    """Sentences saying figures are in an attachment (boilerplate about "enclosed data" aside)."""
    out = []
    asked = request_regions(doc.text)
    for s in doc_sentences(doc):
        if _CONDITIONAL.match(s.text) or is_request(s.text) or in_regions(asked, s.start):
            continue
        said = (_ATTACHED.search(s.text) and _ATTACH_VERB.search(s.text)
                and not _THE_LETTER.search(s.text) and not _appendix_inside(doc, s))
        if said or _FILE_LISTED.match(s.text):
            out.append(s)
    return out


# An appendix or annex the text itself goes on to give ("see Appendix A below" and then a line
# "Appendix A"): no attachment is missing.
_ANNEX_ONLY = re.compile(r"\b(?:appendix|annex)\b", re.IGNORECASE)
_FILE_LISTED = re.compile(r"^\W*attach(?:ed|ments?)\s*:\s*\S[^\n]*\.(?:xlsx?|csv|ods|pdf|docx?)\b",
                          re.IGNORECASE)


def _appendix_inside(doc: Document, s: Span) -> bool:
    """Whether the sentence's only attachment word is an appendix or annex that follows in the
    text (`below`, or a later line opening with `Appendix`/`Annex`)."""
    words = {w.lower() for w in _ATTACHED.findall(s.text)}
    if not words or not words <= {"appendix", "annex"}:
        return False
    later = doc.text[s.end:]
    return bool(re.search(r"\bbelow\b", s.text, re.IGNORECASE)
                or re.search(r"(?im)^[ \t]*(?:appendix|annex)\b", later))


# --- the reply's outcome -----------------------------------------------------------------

# "not held", but not "not held in a format that allows ..." (that is a cost refusal).
_NOT_HELD = re.compile(
    r"\b(?:does\s+not|do\s+not|did\s+not)\s+hold\b|\bholds?\s+no\s+(?:relevant\s+|such\s+)?"
    r"(?:information|data|records?)\b|\bno\s+(?:relevant\s+|such\s+)?(?:information|data|"
    r"records?)\s+(?:is|are|was|were|has\s+been)?\s*(?:held|recorded|found)\b|"
    r"\bnot\s+(?:already\s+)?held(?!\s+(?:in\s+(?:a|any|the|this|that)\s+(?:format|way|form|"
    r"manner)|statistically|centrally|electronically|in\s+a\s+(?:searchable|retrievable)))\b",
    re.IGNORECASE)
_NO_ANSWER = re.compile(
    r"\b(?:acknowledge\s+(?:receipt|your\s+(?:request|e-?mail))|(?:we|i)\s+(?:have\s+)?received\s+"
    r"your\s+request|please\s+clarify|(?:require|need|seek)\s+(?:some\s+)?(?:further\s+)?"
    r"clarification|(?:will|aim\s+to)\s+(?:respond|reply)\s+(?:to\s+you\s+)?(?:within|by)|"
    r"(?:is|are)\s+(?:now\s+)?being\s+(?:processed|considered|dealt\s+with))\b", re.IGNORECASE)
_HELD = re.compile(r"\b(?:does\s+hold|do\s+hold|is\s+held|are\s+held|holds\s+(?:the\s+|some\s+)?"
                   r"information|information\s+(?:is|was)\s+held|can\s+confirm\s+that\s+"
                   r"(?:the\s+)?information)\b", re.IGNORECASE)
# Nothing is given and the answer says so, with or without naming a section.
_LIMIT_KIND = r"(?:appropriate|cost|costs|fees?)"
_WITHHELD = re.compile(
    r"\b(?:exempt|withheld|withhold(?:ing)?|refus(?:e|ed|al)|(?:cannot|can\s+not|will\s+not|"
    r"unable\s+to)\s+(?:be\s+)?(?:disclosed?|released?|provided?|provide|disclose|release|comply)|"
    rf"exceed(?:s|ed)?\s+(?:the\s+)?{_LIMIT_KIND}\s+limit)\b", re.IGNORECASE)
# Part of what was asked is held back: a further breakdown refused, a refusal notice, a
# neither-confirm-nor-deny, or data the force does not record.
_PART_WITHHELD = re.compile(
    r"\b(?:further|more\s+detailed|full)\s+breakdown\b[^.;]{0,120}\b(?:not|exempt|withheld|"
    r"cannot|unable)\b|\b(?:not|unable\s+to)\s+(?:be\s+)?provided?\s+(?:any\s+)?(?:a\s+)?"
    r"(?:further\s+)?breakdown\b|\brefusal\s+notice\b|\bneither\s+(?:to\s+)?confirm\b|"
    r"\b(?:do|does|did)\s+not\s+(?:record|capture|collate|keep)\b|"
    r"\bnot\s+recorded\s+by\s+(?:the|this|our)\s+(?:force|constabulary|police)\b|"
    # "This percentage is not recorded": a part asked for that the force does not hold (not
    # "These details are not recorded on an incident", which says where data lives).
    r"\b(?:this|that|these|those|such)\s+(?:[\w/-]+\s+){0,3}(?:is|are|was|were)\s+not\s+"
    r"(?:recorded|captured|collated|kept|available)(?=\s*(?:[.,;:]|$|\s+(?:and|but|so|by|"
    r"centrally|therefore)\b))|"
    r"\bnot\s+obliged\s+to\s+provide\b|"
    # The refusal notice the Act requires when an exemption is relied on (s.17).
    r"\bsection\s*17\b[^.;]{0,80}\b(?:requires?|notice)\b",
    re.IGNORECASE)
# The force's own decision that part was disclosed: evidence that something was given and
# something held back, when no figure of the answer could be read.
_PART_DECISION = re.compile(
    r"\b(?:part(?:ial(?:ly)?)?\s+(?:disclos\w*|exempt\w*|refus\w*|release\w*|provided|granted)|"
    r"(?:disclos\w+|released?|provided|granted)\s+in\s+part|partial\s+(?:disclosure|refusal|"
    r"release|response)|held\s+in\s+part)\b", re.IGNORECASE)
# The answer says it gives information, where no figure of it could be read (a table lost in
# the text, "I have provided data based on a search", "the details of which are as follows").
_GIVEN = re.compile(
    r"\bdecided\s+to\s+(?:disclose|release|provide)\b|"
    r"\b(?:i\s+am|we\s+are)\s+(?:now\s+)?able\s+to\s+(?:disclose|provide|release)\b|"
    r"\b(?:i|we)\s+(?:have\s+|am\s+|are\s+)?(?:provided|providing|disclosed|disclosing|released|"
    r"releasing)\s+(?:the\s+|some\s+|this\s+|you\s+with\s+(?:the\s+)?)?(?:data|figures|"
    r"information|statistics|details)\b|"
    r"\b(?:this|it|they|which)\s+(?:is|are)\s+being\s+(?:provided|disclosed|released)\b|"
    r"\bthe\s+details\s+of\s+which\s+are\s+as\s+follows\b", re.IGNORECASE)
# The answer's own neither-confirm-nor-deny, not the Act's duty to confirm or deny quoted.
_NCND_SAID = re.compile(r"\b(?:can|will|must|do|does|shall)\s+neither\s+confirm\s+n?or\s+deny\b|"
                        r"\bneither\s+confirms?\s+n?or\s+denies\b", re.IGNORECASE)
# A cost (or time) limit said to be exceeded: part of what was asked is refused on cost.
_COST_WORDS = re.compile(r"\b(?:cost|fees?|appropriate\s+limit|time\s+limits?|hours?|threshold)\b",
                         re.IGNORECASE)
_OVER = re.compile(r"\bexceed(?:s|ed|ing)?\b|\b(?:not|cannot|nor)\b[^.;]{0,140}\bwithin\b",
                   re.IGNORECASE)


def _in_answer(doc: Document, pattern: re.Pattern[str]) -> Span | None:
    """The first match of pattern in the answer: not in the request, not in a quoted message."""
    asked = request_regions(doc.text)
    for s in doc_sentences(doc):
        if is_request(s.text) or in_regions(asked, s.start):
            continue
        # A decision is stated near a sentence's start; a "sentence" of megabytes is a blob
        # (a hostile or broken file), and reading all of it for each pattern is what is slow.
        m = pattern.search(s.text, 0, _DECISION_REACH)
        if m:
            return Span(s.start + m.start(), s.start + m.end(), m.group(0))
    return None


_DECISION_REACH = 20_000


_FIGURE = re.compile(r"^\s*(?:\d[\d,]*|nil|none|\*+|<\s*\d+|-)\s*$", re.IGNORECASE)


def figures_in_answer(doc: Document) -> bool:
    """Whether the answer shows figures in a table, read into facts or not: a reply that gives
    a table of counts has given something, whatever the table counts."""
    asked = request_regions(doc.text) + quoted_spans(doc)
    for t in doc.tables:
        if in_regions(asked, t.start):
            continue
        body = [c for row in t.rows[t.header_rows:] for c in row[t.header_cols:]]
        if sum(1 for c in body if _FIGURE.match(c.text) and c.text.strip() != "-") >= 2:
            return True
    return False


def over_cost(doc: Document) -> Span | None:
    """The first sentence of the answer saying the cost or time limit is exceeded (`would
    exceed the appropriate limit`, `cannot be disclosed within the time limits`, `nor is it held
    in a format that would allow its extraction within the 18 hour threshold`); a conditional
    remark (`If ... would exceed`) is no such statement."""
    asked = request_regions(doc.text)
    for s in doc_sentences(doc):
        if is_request(s.text) or in_regions(asked, s.start) or _CONDITIONAL.match(s.text):
            continue
        if _COST_WORDS.search(s.text, 0, _DECISION_REACH) and \
                (m := _OVER.search(s.text, 0, _DECISION_REACH)):
            return Span(s.start + m.start(), s.start + m.end(), m.group(0))
    return None


def overall_outcome(doc: Document, applied: list[Ground], given: bool, suppressed: bool,
                    attachment: bool) -> tuple[str, Span | None]:
    """full / partial / refused / ncnd / not_held / no_answer by the contract's definitions,
    read over the whole answer (the request and quoted messages aside).

    Something is given when facts were read, a table of figures is shown, or the answer
    states figures in prose that no fact kind holds (`There are 53 registered offenders`);
    in a cost refusal such figures are the size of the search, not an answer."""
    over = over_cost(doc)
    cost = any(g.section == "12" for g in applied) or over is not None
    # Each test reads the whole answer: stop at the first that settles the question.
    given = (given or figures_in_answer(doc) or (not cost and bool(stated_figures(doc)))
             or _in_answer(doc, _GIVEN) is not None)
    if given or attachment:
        part = (applied or suppressed or cost or _in_answer(doc, _NOT_HELD)
                or _in_answer(doc, _PART_DECISION) or _in_answer(doc, _PART_WITHHELD))
        return ("partial" if part else "full"), None
    part_decision = _in_answer(doc, _PART_DECISION)
    if part_decision:
        return "partial", part_decision
    if applied:
        if all(g.ncnd for g in applied):
            return "ncnd", applied[0].span
        return "refused", applied[0].span
    ncnd = _in_answer(doc, _NCND_SAID)
    if ncnd:
        return "ncnd", ncnd  # "I can neither confirm nor deny ...", its section not named
    if over:
        return "refused", over  # refused on cost, its section not named
    not_held = _in_answer(doc, _NOT_HELD)
    if not_held and not _in_answer(doc, _HELD):
        return "not_held", not_held
    refused = _in_answer(doc, _WITHHELD)
    if refused:
        return "refused", refused
    return "no_answer", _in_answer(doc, _NO_ANSWER)
