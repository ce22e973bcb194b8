"""Run the DfE's SSDA903 validator (csc-validator-be-903) on a header and episodes file.

Run by the interpreter of its own virtual environment (it pins pandas < 2, which the product
does not use), never imported by the product or the test suite:

    .venv-903/bin/python tests/reports/validate_903.py DIR YEAR LA_CODE

Prints one JSON object: the rules run, skipped and failed, and the rows each rule flagged.
"""

import json
import logging
import sys
from pathlib import Path


def main() -> int:
    folder, year, authority = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
    logging.disable(logging.CRITICAL)  # the validator logs every rule at INFO
    from lac_validator.lac_validator import LacValidator
    from lac_validator.rules.ruleset_utils import get_year_ruleset

    files = [
        {"name": name, "file_content": (folder / name).read_bytes(), "description": "This year"}
        for name in ("header.csv", "episodes.csv")
    ]
    registry = get_year_ruleset(year)
    validator = LacValidator(
        metadata={"collectionYear": year, "localAuthority": authority},
        files=files,
        registry=registry,
    )
    errors: dict[str, dict] = {}
    for table, frame in validator.ds_results.items():
        if not hasattr(frame, "columns"):
            continue
        for column in frame.columns:
            if str(column).startswith("ERR_"):
                flagged = frame[frame[column] == True]  # noqa: E712 (a pandas mask)
                if len(flagged):
                    sample = flagged.drop(
                        columns=[c for c in flagged.columns if str(c).startswith("ERR_")]
                    ).head(3)
                    found = errors.setdefault(str(column)[4:], {"rows": 0, "sample": []})
                    found["rows"] += len(flagged)
                    found["sample"].extend(
                        [[table, *map(str, row)] for row in sample.itertuples(index=False)]
                    )
    print(
        json.dumps(
            {
                "rules": sorted(map(str, registry)),
                "done": sorted(map(str, validator.dones)),
                "skipped": sorted(map(str, validator.skips)),
                "failed": sorted(map(str, validator.fails)),
                "errors": errors,
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
