"""Every route of the app, as addresses a test can request: `urls(app, samples)` fills each
rule's arguments from `samples` (a value or several per argument name) and fails on a rule
with an argument it has no sample for, so a new route cannot slip past a walking test."""

import re
from collections.abc import Iterator, Mapping, Sequence
from itertools import product
from urllib.parse import quote

from flask import Flask
from werkzeug.routing import Rule

ARGUMENT = re.compile(r"<(?:[^:<>]+:)?(\w+)>")


def fill(rule: Rule, values: Mapping[str, object]) -> str:
    """`rule`'s address with its arguments replaced by `values`, converters unconsulted (so
    a value a converter would refuse, an id too big for the column, can be sent)."""
    return ARGUMENT.sub(lambda m: quote(str(values[m.group(1)]), safe="/"), rule.rule)


def rules(app: Flask, method: str = "GET") -> list[Rule]:
    """The app's rules that answer `method`, in a stable order."""
    return sorted(
        (r for r in app.url_map.iter_rules() if method in (r.methods or ())),
        key=lambda r: (r.rule, r.endpoint),
    )


def urls(
    app: Flask, samples: Mapping[str, Sequence[object]], method: str = "GET"
) -> Iterator[tuple[Rule, str]]:
    """Each rule answering `method`, once for each combination of its arguments' samples."""
    for rule in rules(app, method):
        names = sorted(rule.arguments)
        missing = [n for n in names if n not in samples]
        assert not missing, f"{rule.rule}: no sample value for {missing}"
        for combination in product(*(samples[n] for n in names)):
            yield rule, fill(rule, dict(zip(names, combination, strict=True)))
