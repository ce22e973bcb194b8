"""Made-up people for the demo data set."""

import random

from notify.validation import nhs_check_digit


def made_up_nhs_number(rng: random.Random) -> str:
    """A valid NHS number in the range 999 000 0000 to 999 999 9999, which the NHS keeps for
    testing and never issues: a demo can never hold a real person's number."""
    while True:
        first_nine = "999" + "".join(str(rng.randint(0, 9)) for _ in range(6))
        if (check := nhs_check_digit(first_nine)) is not None:
            return f"{first_nine}{check}"
