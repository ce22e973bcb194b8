"""Bank holidays 2024-2027 for the unit tests, copied from the GOV.UK data (OGL v3).

Rows are exactly those of /work/shared/data/calendar/uk_bank_holidays_2012_2028.csv for
England and Wales and Scotland, plus one Northern Ireland row the loader must skip.
"""

from pathlib import Path

from models.enums import Division
from notify.calendar import WorkingDays, load_bank_holidays_csv

CSV_TEXT = """\
division,date,title
england-and-wales,2024-01-01,New Year’s Day
england-and-wales,2024-03-29,Good Friday
england-and-wales,2024-04-01,Easter Monday
england-and-wales,2024-05-06,Early May bank holiday
england-and-wales,2024-05-27,Spring bank holiday
england-and-wales,2024-08-26,Summer bank holiday
england-and-wales,2024-12-25,Christmas Day
england-and-wales,2024-12-26,Boxing Day
england-and-wales,2025-01-01,New Year’s Day
england-and-wales,2025-04-18,Good Friday
england-and-wales,2025-04-21,Easter Monday
england-and-wales,2025-05-05,Early May bank holiday
england-and-wales,2025-05-26,Spring bank holiday
england-and-wales,2025-08-25,Summer bank holiday
england-and-wales,2025-12-25,Christmas Day
england-and-wales,2025-12-26,Boxing Day
england-and-wales,2026-01-01,New Year’s Day
england-and-wales,2026-04-03,Good Friday
england-and-wales,2026-04-06,Easter Monday
england-and-wales,2026-05-04,Early May bank holiday
england-and-wales,2026-05-25,Spring bank holiday
england-and-wales,2026-08-31,Summer bank holiday
england-and-wales,2026-12-25,Christmas Day
england-and-wales,2026-12-28,Boxing Day
england-and-wales,2027-01-01,New Year’s Day
england-and-wales,2027-03-26,Good Friday
england-and-wales,2027-03-29,Easter Monday
england-and-wales,2027-05-03,Early May bank holiday
england-and-wales,2027-05-31,Spring bank holiday
england-and-wales,2027-08-30,Summer bank holiday
england-and-wales,2027-12-27,Christmas Day
england-and-wales,2027-12-28,Boxing Day
scotland,2024-01-01,New Year’s Day
scotland,2024-01-02,2nd January
scotland,2024-03-29,Good Friday
scotland,2024-05-06,Early May bank holiday
scotland,2024-05-27,Spring bank holiday
scotland,2024-08-05,Summer bank holiday
scotland,2024-12-02,St Andrew’s Day
scotland,2024-12-25,Christmas Day
scotland,2024-12-26,Boxing Day
scotland,2025-01-01,New Year’s Day
scotland,2025-01-02,2nd January
scotland,2025-04-18,Good Friday
scotland,2025-05-05,Early May bank holiday
scotland,2025-05-26,Spring bank holiday
scotland,2025-08-04,Summer bank holiday
scotland,2025-12-01,St Andrew’s Day
scotland,2025-12-25,Christmas Day
scotland,2025-12-26,Boxing Day
scotland,2026-01-01,New Year’s Day
scotland,2026-01-02,2nd January
scotland,2026-04-03,Good Friday
scotland,2026-05-04,Early May bank holiday
scotland,2026-05-25,Spring bank holiday
scotland,2026-08-03,Summer bank holiday
scotland,2026-11-30,St Andrew’s Day
scotland,2026-12-25,Christmas Day
scotland,2026-12-28,Boxing Day
scotland,2027-01-01,New Year’s Day
scotland,2027-01-04,2nd January
scotland,2027-03-26,Good Friday
scotland,2027-05-03,Early May bank holiday
scotland,2027-05-31,Spring bank holiday
scotland,2027-08-02,Summer bank holiday
scotland,2027-11-30,St Andrew’s Day
scotland,2027-12-27,Christmas Day
scotland,2027-12-28,Boxing Day
northern-ireland,2026-03-17,St Patrick’s Day
"""


def write_csv(directory: Path) -> Path:
    """Write the table as a CSV file in `directory` and return its path."""
    path = directory / "bank_holidays.csv"
    path.write_text(CSV_TEXT, encoding="utf-8")
    return path


def calendars(directory: Path) -> dict[Division, WorkingDays]:
    """A calendar for each division, built through the CSV loader."""
    return {
        division: WorkingDays(days, division=division)
        for division, days in load_bank_holidays_csv(write_csv(directory)).items()
    }
