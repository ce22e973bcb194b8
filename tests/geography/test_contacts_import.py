import io
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from models.reference import Authority, HealthBody
from notify.directory.contacts_import import import_contacts


def lines(text: str) -> io.StringIO:
    return io.StringIO(text, newline="")


def test_import_contacts_sets_notification_emails_by_code(geo_session: Session) -> None:
    report = import_contacts(
        geo_session,
        lines(
            "code,email\n"
            "E10000034,placements@worcestershire.example\n"
            "e06000019 , lac@herefordshire.example \n"
            "E54000019,hw.lac.health@nhs.example\n"
            "W11000024,powys.lac@wales.nhs.example\n"
        ),
    )
    assert report.ok and report.problems == []
    assert report.updated == ["E10000034", "E06000019", "E54000019", "W11000024"]
    assert geo_session.get(Authority, "E10000034").notification_email == (
        "placements@worcestershire.example"
    )
    assert geo_session.get(Authority, "E06000019").notification_email == "lac@herefordshire.example"
    assert geo_session.get(HealthBody, "E54000019").notification_email == (
        "hw.lac.health@nhs.example"
    )


def test_import_contacts_also_knows_ods_codes_and_dfe_numbers(geo_session: Session) -> None:
    report = import_contacts(
        geo_session, lines("email,code\nlac@hw.nhs.example,QGH\nplacements@worcs.example,885\n")
    )
    assert report.updated == ["E54000019", "E10000034"]


def test_an_email_already_set_is_reported_as_unchanged(geo_session: Session) -> None:
    geo_session.get(Authority, "E10000034").notification_email = "p@worcs.example"
    report = import_contacts(geo_session, lines("code,email\nE10000034,p@worcs.example\n"))
    assert (report.updated, report.unchanged) == ([], ["E10000034"])


def test_unusable_lines_are_reported_by_number_and_change_nothing(geo_session: Session) -> None:
    report = import_contacts(
        geo_session,
        lines(
            "code,email\n"
            "E10000034,placements@worcestershire.example\n"  # 2: used
            "E99999999,someone@example.org\n"  # 3: unknown code
            "E06000019,not-an-email\n"  # 4: bad email
            "E54000019\n"  # 5: no email column
            ",lac@example.org\n"  # 6: no code
            "\n"  # 7: blank lines are skipped
            "E10000013,first@glos.example\n"  # 8: duplicate
            "e10000013,second@glos.example\n"  # 9: duplicate
        ),
    )
    assert [str(p) for p in report.problems] == [
        "Line 3: No authority or health body has the code E99999999",
        "Line 4: not-an-email is not an email address in the correct format, like name@example.org",
        "Line 5: No email on this line",
        "Line 6: No code on this line",
        "Line 8: E10000013 is also on line(s) 9: none of these lines was used",
        "Line 9: E10000013 is also on line(s) 8: none of these lines was used",
    ]
    assert report.updated == ["E10000034"]
    for code in ("E06000019", "E10000013"):
        assert geo_session.get(Authority, code).notification_email is None
    assert geo_session.get(HealthBody, "E54000019").notification_email is None
    assert report.summary()[0] == "1 updated, 0 already up to date, 6 line(s) not used"


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("authority,mail\nE10000034,p@worcs.example\n", "authority,mail"),
        ("E10000034,p@worcs.example\n", "e10000034,p@worcs.example"),
        ("", "nothing"),
    ],
)
def test_a_file_with_the_wrong_header_gets_one_clear_error(
    geo_session: Session, text: str, found: str
) -> None:
    report = import_contacts(geo_session, lines(text))
    assert [str(p) for p in report.problems] == [
        f"Line 1: The first line must name the columns code,email (found {found})"
    ]
    assert report.updated == []
    assert geo_session.get(Authority, "E10000034").notification_email is None


def test_import_contacts_reads_a_file_saved_by_excel(geo_session: Session, tmp_path: Path) -> None:
    path = tmp_path / "contacts.csv"
    path.write_bytes("\ufeffCode,Email\r\nE10000034,p@worcs.example\r\n".encode())
    assert import_contacts(geo_session, path).updated == ["E10000034"]
    assert import_contacts(geo_session, str(path)).unchanged == ["E10000034"]
