"""The prose parts of a reply: heading, reference, dates, request, grounds, caveats, sign-off.

Every element has several phrasings so that a reader keyed to one wording scores badly.
"""

from __future__ import annotations

import random

from bench.dates import WORDS, fmt_date
from bench.scenario import Grid, Scenario

COOKIES = [
    "Leave this site",
    "We use some essential cookies to make our website work. We’d like to set additional "
    "cookies so we can remember your preferences and understand how you use our site.",
    "Your cookie preferences have been saved. You can update your cookie settings at any time "
    "on the cookies page.",
    "This site is a beta, which means it's a work in progress. Your feedback helps us make "
    "things better, so please let us know what you think.",
]

TITLES = ["Online Grooming", "Sexual Communication with a Child", "Internet grooming offences",
          "Sexual communication with a child offences", "Child grooming - online platforms"]


def heading(rng: random.Random, sc: Scenario, web: bool) -> list[str]:
    """Web boilerplate or letter head, title, reference and dates, in a varied order."""
    out = list(COOKIES[: rng.randint(2, 4)]) if web else []
    if sc.force and rng.random() < 0.6:
        unit = rng.choice(["Freedom of Information Unit", "Information Rights Team",
                           "Information Management Department", "Disclosure Unit"])
        out.append(rng.choice([f"{sc.force}\n{unit}", f"{unit}, {sc.force}",
                               sc.force.upper()]))
    title = rng.choice(TITLES)
    tail = [_reference_line(rng, sc, title), _date_line(rng, sc)]
    rng.shuffle(tail)
    head = title if rng.random() < 0.6 else ""
    return out + [line for line in [head, *tail] if line]


def _reference_line(rng: random.Random, sc: Scenario, title: str) -> str:
    if sc.reference is None:
        return ""
    ref = sc.reference
    return rng.choice([f"Request Reference: {ref}", f"Our Ref: {ref}", f"Reference No: {ref}",
                       f"Freedom of Information Request - Reference No: {ref}",
                       f"{title} ({ref})", f"FOI reference {ref}", f"Ref {ref}"])


def _date_line(rng: random.Random, sc: Scenario) -> str:
    if sc.response_date is None:
        return ""
    when = fmt_date(sc.response_date, sc.date_style)
    lines = [rng.choice([when, f"Date: {when}", f"Date of response: {when}",
                         f"Response date: {when}", f"Sent: {when}"])]
    for label, d in sc.other_dates:
        other = fmt_date(d, sc.date_style)
        if label == "received":
            lines.append(rng.choice([f"Date received: {other}", f"Received: {other}",
                                     f"Your request was received on {other}."]))
    rng.shuffle(lines)
    return "\n".join(lines)


def as_at(rng: random.Random, sc: Scenario) -> list[str]:
    """The data-as-at sentence, when the scenario has one."""
    return [rng.choice([f"The data is correct as at {fmt_date(d, sc.date_style)}.",
                        f"Data extracted on {fmt_date(d, sc.date_style)}."])
            for label, d in sc.other_dates if label == "as_at"]


def _codes_phrase(sc: Scenario) -> str:
    texts = [sc.code_text[c] for c in sc.codes]
    joined = " and ".join(texts)
    return f"Home Office code{'s' if len(texts) > 1 else ''} {joined}"


def request(rng: random.Random, sc: Scenario) -> list[str]:
    """The request as quoted back (restating period and codes: numbers that are not counts)."""
    if rng.random() < 0.35:
        return []
    what = "s.15A of the Sexual Offences Act 2003, sexual communication with a child"
    if sc.codes:
        what += f" ({_codes_phrase(sc)})"
    qs = [f"Please tell me the number of recorded offences under {what} {sc.whole.prose}.",
          "Where possible, the age and gender of the victims, broken down into age groups.",
          "The age and gender of the youngest victim.",
          "All the forms of communication (e.g. Whatsapp, Facebook, Snapchat, Kik) used.",
          "The outcomes of these offences."]
    head = rng.choice(["REQUEST", "Request", "You asked:", "Your request:"])
    return [head] + [f"{i}. {q}" for i, q in enumerate(qs[: rng.randint(2, 5)], 1)]


def intro(rng: random.Random, sc: Scenario) -> list[str]:
    """The opening of the response (names the force and the codes when they are known)."""
    out = [rng.choice(["RESPONSE", "Response", "Our response:", "Answer"])]
    if sc.force:
        out.append(rng.choice([
            f"Having completed enquiries within {sc.force}, I can confirm that {sc.force} "
            "does hold information relating to your request.",
            f"{sc.force} has now completed its search for the information you requested.",
            f"Thank you for your request for information from {sc.force}."]))
    if sc.codes:
        out.append(rng.choice([
            f"The figures below are a count of offences recorded under {_codes_phrase(sc)} "
            f"{sc.whole.prose}.",
            f"I have included a count of offence {' and '.join(sc.code_text.values())} "
            f"recorded {sc.whole.prose}.",
            f"Search criteria: {_codes_phrase(sc)}, recorded {sc.whole.prose}."]))
    elif sc.kind == "data":
        out.append(f"Please find below the information for offences recorded {sc.whole.prose}.")
    return out


def method_note(rng: random.Random, grid: Grid) -> list[str]:
    """How the platforms were found (decides the gold ``method``)."""
    if grid.method == "keyword_search":
        return [rng.choice([
            "Method of communication - determined by a keyword search on the Modus Operandi "
            "(MO) field. Any keyword search may not be entirely accurate.",
            "I have also searched for the following keywords if mentioned within the Initial "
            "MO free text field and provided the number of offences where mentioned:"])]
    if grid.method == "manual_review":
        return ["This information was extracted by way of a manual review of the offence "
                "summary for each case."]
    if grid.method == "recorded_field":
        return [rng.choice(["The method of communication is taken from the 'Online Method' "
                            "field recorded on the crime system.",
                            "Platforms are as recorded in the structured method-of-"
                            "communication field of each crime record."])]
    return []


def suppression_note(rng: random.Random, sc: Scenario) -> list[str]:
    """Say why small numbers are hidden (only when some are)."""
    if not sc.has_suppression:
        return []
    return [rng.choice([
        "Please note that figures of fewer than five have been suppressed to prevent the "
        "identification of individuals.",
        "Small numbers have been replaced with * to protect the identity of victims.",
        "Where numbers are low they have been masked to reduce the risk of identification."])]


def youngest(rng: random.Random, sc: Scenario) -> list[str]:
    """The youngest-victim sentence (given or withheld)."""
    y = sc.youngest
    if y is None:
        return []
    if y.withheld:
        return [rng.choice([
            "We are unable to provide the age and gender of the youngest victim as this could "
            "identify the individual concerned.",
            "Any further breakdown of data for the youngest victim, due to the low numbers "
            "involved, may make it possible to identify individuals and is withheld."])]
    noun = {"female": rng.choice(["female", "girl"]), "male": rng.choice(["male", "boy"]),
            None: "child"}[y.gender]
    assert y.age_min is not None and y.age_max is not None
    lo = WORDS[y.age_min] if rng.random() < 0.3 else str(y.age_min)
    if y.age_min != y.age_max:
        hi = WORDS[y.age_max] if rng.random() < 0.5 else str(y.age_max)
        return [f"In an effort to be helpful, I can advise that the youngest victim was a "
                f"{noun} aged between {lo} and {hi} years old."]
    return [rng.choice([f"The youngest victim was a {lo} year old {noun}.",
                        f"The youngest victim recorded was a {noun} aged {lo}.",
                        f"Youngest victim: {noun}, aged {lo}."])]


def sign_off(rng: random.Random, sc: Scenario) -> list[str]:
    """Closing lines (may name the force again)."""
    team = rng.choice(["Freedom of Information Team", "Yours sincerely,\nDisclosure Officer",
                       "Information Rights Officer"])
    return [f"{team}\n{sc.force}" if sc.force and rng.random() < 0.5 else team]


CAVEATS = [
    "Every effort is made to ensure that the figures presented are accurate and complete. "
    "However, the data has been extracted from a number of data sources used by forces for "
    "police purposes.",
    "If you decide to write an article or use the enclosed data, we would ask you to take into "
    "consideration the factors highlighted in this document.",
    "Please note that some offences involved more than one method of communication, therefore "
    "the total may be higher than the number of offences.",
]


def caveats(rng: random.Random) -> list[str]:
    """Standard data-quality caveats (no figures)."""
    return rng.sample(CAVEATS, rng.randint(1, len(CAVEATS)))
