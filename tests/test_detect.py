"""Table detectors, one per text-dump shape real replies take, with negative cases."""

from __future__ import annotations

from extract.document import Document, Table
from extract.tables import find_tables


def _tables(text: str) -> list[Table]:
    doc = Document("d", text)
    tables = find_tables(doc)
    for t in tables:  # every cell points at its own text
        assert all(text[c.start:c.end] == c.text for row in t.rows for c in row)
    return tables


def _grid(t: Table) -> list[list[str]]:
    return [[c.text for c in row] for row in t.rows]


def test_bar_ended_cells_without_row_marks() -> None:
    text = ("Outcomes recorded\nCrime outcome |\n2019 |\n2020 |\nCharged |\n5 |\n3 |\n"
            "Caution |\n1 |\n0 |\nTotal |\n6 |\n3 |\nEnd of table.\n")
    (t,) = _tables(text)
    assert _grid(t) == [["Crime outcome", "2019", "2020"], ["Charged", "5", "3"],
                        ["Caution", "1", "0"], ["Total", "6", "3"]]
    assert (t.header_rows, t.header_cols, t.total_rows) == (1, 1, {3})


def test_bar_ended_cells_with_lone_bars_between_rows() -> None:
    text = "Platform |\nCount |\n|\nKik |\n4 |\n|\nSnapchat |\n9 |\n|\nOther |\n2 |\n|\n"
    (t,) = _tables(text)
    assert _grid(t) == [["Platform", "Count"], ["Kik", "4"], ["Snapchat", "9"],
                        ["Other", "2"]]


def test_bar_ended_cells_of_ages_down_keep_their_width() -> None:
    """Numbers as row labels (ages) must not shift the fold: the first column is all numbers."""
    text = "Age |\nFemale |\nMale |\nTotal |\n12 |\n3 |\n4 |\n7 |\n13 |\n1 |\n1 |\n2 |\n"
    (t,) = _tables(text)
    assert _grid(t)[0] == ["Age", "Female", "Male", "Total"]
    assert _grid(t)[2] == ["13", "1", "1", "2"]


def test_rows_on_one_line_with_trailing_bars() -> None:
    text = ("Victims by age\nAge | Male victims | Female victims |\n"
            "Under 13 | 2 | 5 |\n13-15 | 1 | 7 |\nTotal | 3 | 12 |\n")
    (t,) = _tables(text)
    assert _grid(t)[1] == ["Under 13", "2", "5"]
    assert t.source == "bars" and t.total_rows == {3}


def test_short_total_row_is_padded_after_its_label() -> None:
    text = ("Area | Gender | Offences | Victims |\nNorth | Female | 25 | 20 |\n"
            "North | Male | 4 | 2 |\nSum: | 29 | 22 |\n")
    (t,) = _tables(text)
    assert _grid(t)[3] == ["Sum:", "", "29", "22"]


def test_cells_on_lines_between_blank_lines() -> None:
    text = ("Table 1\n\nYear\n\nFemale\n\nMale\n\n2019\n\n4\n\n2\n\n2020\n\n6\n\n1\n\n"
            "We hope this helps with your request and trust it is of use to you.\n")
    (t,) = _tables(text)
    assert _grid(t) == [["Year", "Female", "Male"], ["2019", "4", "2"], ["2020", "6", "1"]]


def test_prose_between_blank_lines_is_not_a_table() -> None:
    text = ("Dear Applicant\n\nThank you for your request\n\nReference 2024/118\n\n"
            "Sent 3 May\n\nYours sincerely\n\nFOI Team\n\n")
    assert _tables(text) == []


def test_a_single_bar_in_prose_is_not_a_table() -> None:
    text = "Home | News\nWe received 4 requests in 2019 and 6 in 2020.\n"
    assert _tables(text) == []


def test_footnote_marks_on_cells_keep_the_row_a_data_row() -> None:
    text = "Year | Offences |\n2019 | 15† |\n2020 | <5^ |\n"
    (t,) = _tables(text)
    assert t.header_rows == 1 and _grid(t)[1] == ["2019", "15†"]


def test_a_group_label_row_is_carried_down_its_rows() -> None:
    text = ("Age\t2019\t2020\nFemale\t\t\n12\t3\t4\n13\t1\t2\nMale\t\t\n12\t0\t1\n"
            "13\t0\t0\nTotal\t4\t7\n")
    (t,) = _tables(text)
    assert t.header_cols == 2
    assert [r[0].text for r in t.rows] == ["", "Female", "Female", "Male", "Male", ""]
    assert t.total_rows == {5}


def test_platform_rows_with_blank_counts_are_not_groups() -> None:
    text = ("Platform\tCount\nFacebook\t\nKik\t\nRoblox\t\nSkype\t12\nTikTok\t3\n"
            "Snapchat\t\nWhatsApp\t4\nYouTube\t1\n")
    (t,) = _tables(text)
    assert t.header_cols == 1 and t.n_cols == 2


def test_a_second_label_column_is_a_header_column() -> None:
    text = "Gender\tAge\t2019\t2020\nFemale\t12\t3\t4\n\t13\t1\t2\nMale\t12\t0\t1\n"
    (t,) = _tables(text)
    assert (t.header_rows, t.header_cols) == (1, 2)


def test_a_count_column_is_not_a_header_column() -> None:
    text = "Platform\tOffences\tVictims\nKik\t3\t2\nSnapchat\t5\t5\n"
    (t,) = _tables(text)
    assert t.header_cols == 1


def test_a_table_cut_by_a_page_footer_with_its_header_repeated_is_one() -> None:
    text = ("Year\tFemale\tMale\n2019\t3\t4\n2020\t1\t2\nPage 1 of 2\n"
            "Year\tFemale\tMale\n2021\t5\t6\n")
    (t,) = _tables(text)
    assert [r[0].text for r in t.rows] == ["Year", "2019", "2020", "2021"]


def test_two_tables_with_the_same_header_and_a_title_between_stay_two() -> None:
    text = ("Female victims\nAge\t2019\t2020\n12\t3\t4\n"
            "Male victims\nAge\t2019\t2020\n12\t1\t2\n")
    a, b = _tables(text)
    assert b.title.endswith("Male victims") and "12" not in b.title.split("\n")[-1]


def test_ages_beside_a_gender_carried_down_are_labels() -> None:
    """Bare ages under a blank header, beside genders named once per group (merged cells)."""
    text = "\t\t2019\t2020\nFemale\t12\t3\t4\nFemale\t13\t1\t2\nMale\t12\t0\t1\nMale\t13\t2\t2\n"
    (t,) = _tables(text)
    assert t.header_cols == 2


def test_counts_beside_distinct_labels_are_not_labels() -> None:
    text = "\t2019\t2020\nKik\t3\t4\nSnapchat\t1\t2\nWhatsApp\t0\t1\n"
    (t,) = _tables(text)
    assert t.header_cols == 1


def test_a_row_with_blank_counts_is_not_a_group() -> None:
    text = "Platform\tTotal\nWink\t5\nGrindr\t\nSnapchat\t10\nTotal\t15\n"
    (t,) = _tables(text)
    assert t.header_cols == 1 and [r[0].text for r in t.rows][2] == "Grindr"


def test_a_title_stops_at_the_table_above() -> None:
    text = ("Outcomes\nCharged - 4 Offences\nCaution - 2 Offences\nTABLE 3\n"
            "Age\tVictims\n12\t3\n13\t4\n")
    first, second = _tables(text)
    assert second.title == "TABLE 3"


def test_a_blank_platform_label_does_not_make_groups() -> None:
    text = ("Programme\t2019\t2020\nSkout\t-\t1\nInternet\t16\t4\n\t5\t2\n"
            "Telephone\t-\t15\n")
    (t,) = _tables(text)
    assert t.header_cols == 1


def test_ragged_columns_read_from_the_right() -> None:
    text = ("Please see below.\nAge      Female   Male\nUnder 13 2 5\n13-15      1      7\n"
            "16 and over   0   2\n")
    (t,) = _tables(text)
    assert _grid(t) == [["Age", "Female", "Male"], ["Under 13", "2", "5"],
                        ["13-15", "1", "7"], ["16 and over", "0", "2"]]
    assert t.source == "ragged"


def test_ragged_rows_under_a_row_of_numbers_are_not_a_table() -> None:
    text = "08/65 23 16 3\n195/12 2 28 24\nTOTAL 4 67 57\n"
    assert [t for t in _tables(text) if t.source == "ragged"] == []


def test_sentences_ending_in_numbers_are_not_a_ragged_table() -> None:
    text = ("We have searched our records\nThe number of offences recorded was 14\n"
            "The number of suspects recorded was 9\n")
    assert [t for t in _tables(text) if t.source == "ragged"] == []


def test_rows_with_spaced_slashes_between_cells() -> None:
    text = ("Terms used / 2014 / 2015\n\"Grindr\" / 1 / 0\n\"Tinder\" / 0 / 2\n"
            "Text/SMS / 3 / 1\n")
    (t,) = _tables(text)
    assert _grid(t)[3] == ["Text/SMS", "3", "1"] and t.source == "slashes"


def test_prose_with_one_slash_is_not_a_table() -> None:
    text = "Please write to us and / or call.\nWe replied on 3 May / 4 May.\n"
    assert _tables(text) == []


def test_a_list_with_blank_lines_between_its_lines_is_one_table() -> None:
    text = ("1. Arrests\n\n2015 – 1\n\n2016 – 9\n\n2017 – 7\n\n2. Charge/summons\n\n"
            "2016 – 3\n\n2017 – 6\n")
    a, b = _tables(text)
    assert [r[-1].text for r in a.rows] == ["1", "9", "7"] and b.title.endswith("Charge/summons")


def test_a_bar_ended_stream_with_an_unlabelled_row() -> None:
    text = "Method |\nTimes used |\nKik |\n1 |\n |\n6 |\nRoblox |\n2 |\n"
    (t,) = _tables(text)
    assert _grid(t) == [["Method", "Times used"], ["Kik", "1"], ["", "6"], ["Roblox", "2"]]


def test_a_list_with_counts_in_words() -> None:
    text = "Facebook – seven\nInstagram – ten\nKik – 1\n"
    (t,) = _tables(text)
    assert [r[-1].text for r in t.rows] == ["seven", "ten", "1"]


def test_a_ragged_row_of_counts_only_is_an_unlabelled_row() -> None:
    text = ("Method                 Times used\nFabguys                    1\n"
            "                           6\nKik                        3\n")
    (t,) = _tables(text)
    assert _grid(t)[2] == ["", "6"]
