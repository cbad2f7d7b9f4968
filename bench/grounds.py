"""FOI Act grounds in prose: applied exemptions, and grounds discussed but not relied on."""

from __future__ import annotations

import random

from bench.scenario import Scenario

SPELL = {
    "40(2)": ["Section 40(2)", "section 40(2)", "s.40(2)", "S40(2)", "Section 40 (2)"],
    "12": ["Section 12(1)", "section 12", "s.12", "Section 12"],
    "23(5)": ["Section 23(5)", "section 23(5)", "s.23(5)"],
    "44(1)": ["Section 44(1)", "Section 44 (1)", "s.44(1)"],
    "31(1)": ["Section 31(1)(a)(b)", "section 31(1)(a)", "s.31(1)"],
    "30(1)": ["Section 30(1)(a)", "section 30(1)"],
}


def _s(rng: random.Random, section: str) -> str:
    return rng.choice(SPELL[section])


def applied(rng: random.Random, section: str, force: str | None) -> str:
    """A paragraph applying one ground."""
    who = force or "the force"
    s = _s(rng, section)
    texts = {
        "40(2)": [f"I can advise that the requested information is held; however, part of it "
                  f"is exempt from disclosure by virtue of {s} Personal Information.",
                  f"Any further breakdown would be exempt from release under {s} *Personal "
                  "Information* of the FOI Act.",
                  f"The exemption at {s} (personal information) has been applied to the "
                  "remaining parts of your request."],
        "12": [f"To answer the remaining questions would exceed the appropriate cost limit, "
               f"and {s} of the Freedom of Information Act 2000 has been applied to them.",
               "Determining how many people were charged would require a manual review of "
               "each record, far exceeding the appropriate limit (FOIA, s.12)."],
        "23(5)": [f"In addition, {who} will neither confirm nor deny that it holds any other "
                  "information relevant to this request as the duty in Section 1(1)(a) does "
                  f"not apply by virtue of {s} – Information supplied by, or relating to, "
                  "bodies dealing with security matters.",
                  f"{who} can neither confirm nor deny that it holds any further information, "
                  f"by virtue of {s}."],
        "44(1)": [f"{s} Prohibitions on disclosure applies to the victim details, as the "
                  "Sexual Offences (Amendment) Act 1992 provides anonymity to victims.",
                  f"Victim details are withheld under {s} (information covered by prohibitions "
                  "on disclosure)."],
        "31(1)": [f"Information about investigative methods is withheld under {s} Law "
                  "Enforcement, as its release would prejudice the prevention or detection of "
                  "crime."],
        "30(1)": [f"Details of ongoing investigations are exempt under {s} Investigations "
                  "and proceedings."],
    }
    return rng.choice(texts[section])


def considered(rng: random.Random, section: str) -> str:
    """A paragraph discussing a ground that is then not relied on (a distractor)."""
    s = _s(rng, section)
    return rng.choice([
        f"I also considered engaging {s}; however, I believe releasing the figures in the "
        "format provided mitigates this concern, so it has not been applied.",
        f"Consideration was given to {s}, but it was decided that this exemption is not "
        "engaged in this case.",
        f"Although {s} could be relevant, it has not been relied upon for this response.",
    ])


def grounds(rng: random.Random, sc: Scenario) -> list[str]:
    """All grounds paragraphs for a data or attachment reply, in a varied order."""
    paras = [applied(rng, s, sc.force) for s, _ in sc.exemptions]
    paras += [considered(rng, s) for s in sc.distractors]
    rng.shuffle(paras)
    if sc.exemptions and rng.random() < 0.4:
        paras.append("This letter serves as a refusal notice under Section 17 of the Freedom "
                     "of Information Act for these parts of the request.")
    return paras


def no_data(rng: random.Random, sc: Scenario) -> list[str]:
    """The body of a refusal, a not-held answer or an NCND-only answer."""
    who = sc.force or "The force"
    if sc.kind == "refused":
        s = _s(rng, "12")
        return [f"The cost of locating and retrieving the information would exceed the "
                f"appropriate limit under {s} of the FOI Act 2000. The appropriate limit is "
                "set at £450, which equates to 18 hours of work.",
                rng.choice(["Your request is therefore refused.",
                            "We are therefore unable to provide any of the information.",
                            "This letter acts as a refusal notice under Section 17."]),
                "You may wish to narrow your request, for example to a single year."]
    if sc.kind == "not_held":
        return [rng.choice([f"{who} does not hold the information you have requested.",
                            "Following searches of our systems, I can confirm that the "
                            "information requested is not held.",
                            "No information is held: crimes are not recorded in a way that "
                            "identifies the platform or the age of the victim."])]
    return [applied(rng, "23(5)", sc.force),
            "Section 23 is an absolute exemption and there is no requirement to consider the "
            "public interest."]


def attached(rng: random.Random, sc: Scenario) -> list[str]:
    """Say the figures are in an attachment that is not part of this input."""
    name = rng.choice(["the attached spreadsheet", "the enclosed spreadsheet",
                       "the attached file", f"attachment {sc.reference or 'FOI'}.xlsx".replace(
                           "/", "_"), "the attached PDF"])
    return [rng.choice([f"Please see {name} for the figures requested.",
                        f"The information you requested is provided in {name}.",
                        f"They provided me with {name} containing the counts by year, age "
                        "and gender."])]
