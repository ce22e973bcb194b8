"""Build 903 extracts (header and episodes CSV text) for the import tests."""

from dataclasses import dataclass, field
from datetime import date

from notify.codes import EPISODE_COLUMNS, HEADER_COLUMNS
from notify.imports.extract import NamedFile, text_file


def d(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


@dataclass
class Extract903:
    header: list[dict[str, str]] = field(default_factory=list)
    episodes: list[dict[str, str]] = field(default_factory=list)

    def child(self, child: str, dob: date, sex: str = "2", ethnic: str = "WBRI") -> "Extract903":
        self.header.append(
            {"CHILD": child, "SEX": sex, "DOB": d(dob), "ETHNIC": ethnic, "UPN": "",
             "MOTHER": "", "MC_DOB": ""}
        )  # fmt: skip
        return self

    def episode(
        self,
        child: str,
        start: date,
        postcode: str,
        *,
        end: date | None = None,
        rec: str = "",
        rne: str = "S",
        ls: str = "C2",
        place: str = "U4",
        provider: str = "PR1",
        home: str = "WR1 2AA",
        reason: str = "",
        urn: str = "",
    ) -> "Extract903":
        self.episodes.append(
            {"CHILD": child, "DECOM": d(start), "RNE": rne, "LS": ls, "CIN": "N1",
             "PLACE": place, "PLACE_PROVIDER": provider, "DEC": d(end), "REC": rec,
             "REASON_PLACE_CHANGE": reason, "HOME_POST": home, "PL_POST": postcode,
             "URN": urn}
        )  # fmt: skip
        return self

    def files(self) -> list[NamedFile]:
        return [
            text_file("header.csv", _csv(HEADER_COLUMNS, self.header)),
            text_file("episodes.csv", _csv(EPISODE_COLUMNS, self.episodes)),
        ]


def _csv(columns: tuple[str, ...], rows: list[dict[str, str]]) -> str:
    lines = [",".join(columns)]
    lines += [",".join(row.get(c, "") for c in columns) for row in rows]
    return "\r\n".join(lines) + "\r\n"
