"""References and forces in the forms real replies write them."""

from __future__ import annotations

import pytest

from extract.document import Document
from extract.readers.scalars import force, reference


@pytest.mark.parametrize(("text", "ref"), [
    ("Enquiry Reference: 432- 25\nI write in connection with your request.", "432- 25"),
    ("Enquiry Ref : 2015/6885\n", "2015/6885"),
    ("Freedom of Information Act request number: 2022-015\nVersion date: 15/02/2022", "2022-015"),
    ("Freedom of information request reference no: 01.FOI.23.031235\nI note", "01.FOI.23.031235"),
    ("Reference: FOI - 2022 - 00189\n", "FOI - 2022 - 00189"),
    ("- FOI reference\n- FOI/202000018319\n- Date received", "FOI/202000018319"),
    ("Our ref: 123/24. Thank you for your request.", "123/24"),
    ("FOI 2025/0318 - response to your request", "2025/0318"),
    ("FREEDOM OF INFORMATION REQUEST REFERENCE NO: 581-2025\n", "581-2025"),
    ("Enquiry Reference: FOI 68 - 26\n", "FOI 68 - 26"),
    ("Our ref: FOI 2024/1287\nDear Sir", "FOI 2024/1287"),
    ("Request Number: FOI/16141\n", "FOI/16141"),
    ("Our ref: NYP 1040/21\n", "NYP 1040/21"),
    ("Freedom of Information Act 2000 - Request 16040 (disclosure log PUB 1254)\n", "16040"),
    ("Your ref: ABC123\nOur ref: 2023/456\n", "2023/456"),
    ("Freedom of Information Request: 2023-0456\n", "2023-0456"),
    ("Freedom of Information Request - Reference No: 20210999\n", "20210999"),
    ("Offences recorded by apps (0100.2019-20)\n", "0100.2019-20"),
    ("Digital evidence and indecent images of children (R015803)\n", "R015803"),
    ("FOI reference: 000412/24 - CORRECTED RESPONSE\n", "000412/24"),
    ("Merseyside Police - Freedom of Information request FOI/24/1187 - Sexual offences\n",
     "FOI/24/1187"),
    ("RFI 2231\nSexual offences\n", "RFI 2231"),
    ("Online Grooming (62A/23)\n\nRequest", "62A/23"),
    ("Your reference is LD/ICU/DC/FOI/465/13.", "LD/ICU/DC/FOI/465/13"),
    ("Anti - Stalking Law (1841_15)\n", "1841_15"),
    ("FREEDOM OF INFORMATION REQUEST REFERENCE NO 2016\u20131035\n", "2016\u20131035"),
    ("\n\nFacebook and Twitter - 018/13\n\nDate Responded 3 May 2013", "018/13"),
    ("217/19\n\nDate Responded 22 March 2019", "217/19"),
])
def test_reference_forms(text: str, ref: str) -> None:
    found = reference(Document("t", text))
    assert found is not None and found[0] == ref
    assert text[found[1].start:found[1].end] == ref


@pytest.mark.parametrize("text", [
    "Offences recorded in 2023 under the Sexual Offences Act 2003.",
    "Figures by financial year\n2021/22\n",
    "Please reference the attached guidance.",
    "Sexual offences - Request 2021\n",
    "Offences by year (2019-2020)\n",
    "Figures as at (01.04.2020)\n",
])
def test_no_reference(text: str) -> None:
    assert reference(Document("t", text)) is None


def test_the_answering_force_not_its_source_or_partner() -> None:
    text = ("The data we receive from Police Scotland for the production of the statistics is a "
            "count of crimes.")
    assert force(Document("t", text)) is None
    text = ("Bedfordshire Police Headquarters, Woburn Road\nEmail: foi@herts.pnn.police.uk\n"
            "Searches were conducted within Hertfordshire Constabulary and the information is "
            "held.")
    found = force(Document("t", text))
    assert found is not None and found[0] == "Hertfordshire Constabulary"


def test_force_from_its_web_address_alone() -> None:
    found = force(Document("t", "Printed from https://www.northyorkshire.police.uk/foi-ai/\n"))
    assert found is not None and found[0] == "North Yorkshire Police"


def test_short_aliases_need_their_capitals() -> None:
    assert force(Document("t", "The request met the criteria for a search.")) is None


def _outcome(text: str) -> str:
    from extract.readers.rules import read_rules
    from extract.tables import find_tables

    doc = Document("t", text)
    doc.tables = find_tables(doc)
    return read_rules(doc).outcome


@pytest.mark.parametrize(("text", "outcome"), [
    ("In 2023, 14 offences were recorded.", "full"),
    ("In 2023, 14 offences were recorded. A further breakdown by age cannot be provided as it "
     "could identify individuals.", "partial"),
    ("Northumbria Police does not hold any information relevant to your request.", "not_held"),
    ("The information is not held in a format that would allow its retrieval and to do so would "
     "exceed the appropriate limit.", "refused"),
    ("We acknowledge receipt of your request and will respond within 20 working days.",
     "no_answer"),
    ("Request:\nDo you hold records of offences? Information not held is fine.\nResponse:\n"
     "In 2023, 14 offences were recorded.", "full"),
    ("In 2023, 14 offences were recorded. The percentage sent to the CPS is not recorded by the "
     "force.", "partial"),
    ("In 2023, 14 offences were recorded. For the rest of your request this letter is a refusal "
     "notice.", "partial"),
    ("Offences by year:\nYear\tCount\n2022\t9\n2023\t14\n", "full"),
])
def test_outcome_of_the_reply(text: str, outcome: str) -> None:
    assert _outcome(text) == outcome


@pytest.mark.parametrize(("text", "name"), [
    ("I can confirm that Dyfed-Powys Police does hold the information.", "Dyfed-Powys Police"),
    ("Avon & Somerset Police holds the information you asked for.",
     "Avon and Somerset Constabulary"),
])
def test_force_names_written_with_hyphens_and_ampersands(text: str, name: str) -> None:
    found = force(Document("t", text))
    assert found is not None and found[0] == name


def test_the_force_that_received_the_request_answers_it() -> None:
    text = ("I write in connection with your request for information received by the "
            "Metropolitan Police Service (MPS) on 12/02/2024.")
    found = force(Document("t", text))
    assert found is not None and found[0] == "Metropolitan Police Service"
    # Data received from another force names a source, not the answerer.
    text = "The figures we received from Police Scotland show a count of crimes."
    assert force(Document("t", text)) is None
