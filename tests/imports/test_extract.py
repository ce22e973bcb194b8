"""Reading a 903 extract: files recognised by their columns, every unusable row reported by
file and line with its reason, descriptions mapped to codes, episodes grouped into
placements."""

from datetime import date

import pytest

from notify.codes import EPISODE_COLUMNS
from notify.imports.extract import ExtractError, read_extract, text_file
from tests.imports.extracts import Extract903

DOB = date(2012, 5, 1)
HEADER = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\r\n"
EPISODES = ",".join(EPISODE_COLUMNS) + "\r\n"


def test_files_are_recognised_by_their_columns_not_their_names() -> None:
    extract = Extract903().child("1001", DOB).episode("1001", date(2025, 6, 1), "WR5 3AA")
    header, episodes = extract.files()
    read = read_extract([text_file("b.csv", episodes.stream.getvalue()),
                         text_file("a.csv", header.stream.getvalue())])  # fmt: skip
    assert list(read.children) == ["1001"]
    assert read.stints["1001"][0].postcode == "WR5 3AA"
    assert read.problems == []


def test_an_extract_without_an_episodes_file_is_refused_whole() -> None:
    with pytest.raises(ExtractError, match="no 903 episodes file"):
        read_extract([text_file("header.csv", HEADER + "1001,2,01/05/2012,WBRI,,,\r\n")])


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        (",2,01/05/2012,WBRI,,,", "CHILD is blank"),
        ("1002,3,01/05/2012,WBRI,,,", "SEX must be M, F or U (1 or 2 before 2024-25), not 3"),
        ("1002,1,2012-05-01,WBRI,,,", "DOB must be a date like 31/03/2015, not 2012-05-01"),
        ("1002,1,31/02/2012,WBRI,,,", "DOB must be a date like 31/03/2015, not 31/02/2012"),
        ("1002,1,01/05/2012,XXXX,,,", "ETHNIC XXXX is not a 903 ethnicity code"),
        ("1001,1,01/05/2012,WBRI,,,", "CHILD 1001 is already on line 2"),
        (
            '"10\n02",1,01/05/2012,WBRI,,,',
            "CHILD must be on one line: remove the line break or tab",
        ),
        ("10\x0002,1,01/05/2012,WBRI,,,", "CHILD must not contain control characters"),
        ("C" * 41 + ",1,01/05/2012,WBRI,,,", "CHILD must be 40 characters or fewer"),
    ],
)
def test_a_bad_header_row_is_reported_with_its_line_and_reason(row: str, reason: str) -> None:
    header = HEADER + "1001,2,01/05/2012,WBRI,,,\r\n" + row + "\r\n"
    read = read_extract([text_file("header.csv", header), text_file("episodes.csv", EPISODES)])
    assert [(p.file, p.line, p.reason) for p in read.problems] == [("header.csv", 3, reason)]


GOOD = "1001,01/06/2025,S,C2,N1,U4,PR1,,,,WR1 2AA,WR5 3AA,"


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ("9999,01/06/2025,S,C2,N1,U4,PR1,,,,WR1 2AA,WR5 3AA,",
         "CHILD 9999 has no usable row in the header file"),
        ("1001,1/6/25,S,C2,N1,U4,PR1,,,,WR1 2AA,WR5 3AA,",
         "DECOM must be a date like 31/03/2025, not 1/6/25"),
        ("1001,01/07/2025,S,ZZ,N1,U4,PR1,,,,WR1 2AA,WR5 3AA,", "LS ZZ is not a 903 legal status"),
        ("1001,01/07/2025,S,C2,N1,H5,PR1,,,,WR1 2AA,WR5 3AA,",
         "PLACE H5 is not a 903 placement type for that date"),
        ("1001,01/07/2025,S,C2,N1,T4,,,,,WR1 2AA,WR5 3AA,",
         "PLACE T4 is a temporary move: not a placement Placement Notify records"),
        ("1001,01/07/2025,S,C2,N1,U4,PR9,,,,WR1 2AA,WR5 3AA,",
         "PLACE_PROVIDER PR9 is not PR0 to PR5"),
        ("1001,01/07/2025,S,C2,N1,U4,PR1,01/08/2025,E99,,WR1 2AA,WR5 3AA,",
         "REC E99 is not a 903 reason the episode ceased"),
        ("1001,01/07/2025,S,C2,N1,U4,PR1,,E8,,WR1 2AA,WR5 3AA,", "REC is given but DEC is blank"),
        ("1001,01/07/2025,S,C2,N1,U4,PR1,01/06/2025,E8,,WR1 2AA,WR5 3AA,",
         "DEC is before DECOM"),
        ("1001,01/07/2025,S,C2,N1,U4,PR1,,,,WR1 2AA,WR5,", "PL_POST WR5 is not a full postcode"),
        ("1001,01/06/2025,S,C2,N1,U4,PR1,,,,WR1 2AA,WR5 3AA,",
         "CHILD 1001 has two episodes starting 01/06/2025 (the other on line 2)"),
        ("1001,01/07/2025,S,C2,N1,U4,PR1,,,,WR1 2AA,HR1 1AA,",
         "Episode starts 01/07/2025, while the episode on line 2 is still open"),
    ],
)  # fmt: skip
def test_a_bad_episode_row_is_reported_with_its_line_and_reason(row: str, reason: str) -> None:
    header = HEADER + "1001,2,01/05/2012,WBRI,,,\r\n"
    episodes = EPISODES + GOOD + "\r\n" + row + "\r\n"
    read = read_extract([text_file("header.csv", header), text_file("episodes.csv", episodes)])
    assert [(p.file, p.line, p.reason) for p in read.problems] == [("episodes.csv", 3, reason)]


def test_a_mapping_file_turns_descriptions_into_903_codes() -> None:
    header = HEADER + "1001,Female,01/05/2012,White British,,,\r\n"
    episodes = (
        EPISODES + "1001,01/06/2025,S,Full care order,N1,Fostering - long term,Own provision,,,,"
        "WR1 2AA,WR5 3AA,\r\n"
    )
    mapping = (
        "field,description,code\r\nSEX,female,2\r\nETHNIC,White British,WBRI\r\n"
        "LS,full care order,C2\r\nPLACE,Fostering - long term,U4\r\n"
        "PLACE_PROVIDER,own provision,PR1\r\nWIBBLE,x,y\r\n"
    )
    read = read_extract(
        [text_file("h.csv", header), text_file("e.csv", episodes), text_file("m.csv", mapping)]
    )
    stint = read.stints["1001"][0]
    assert (stint.place, stint.provider, stint.legal_status) == ("U4", "PR1", "C2")
    assert read.children["1001"].sex == "F" and read.children["1001"].ethnicity == "WBRI"
    assert [(p.file, p.line) for p in read.problems] == [("m.csv", 7)]


def test_a_change_of_legal_status_only_continues_the_same_placement() -> None:
    extract = (
        Extract903()
        .child("1001", DOB)
        .episode("1001", date(2025, 4, 10), "WR5 3AA", end=date(2025, 6, 1), rec="X1", ls="C1")
        .episode("1001", date(2025, 6, 1), "WR5 3AA", rne="L", ls="C2",
                 end=date(2025, 9, 1), rec="X1")
        .episode("1001", date(2025, 9, 1), "HR1 1AA", rne="P")
    )  # fmt: skip
    stints = read_extract(extract.files()).stints["1001"]
    assert [(s.start, s.end, s.postcode, s.legal_status) for s in stints] == [
        (date(2025, 4, 10), date(2025, 9, 1), "WR5 3AA", "C2"),
        (date(2025, 9, 1), None, "HR1 1AA", "C2"),
    ]
