"""The GOV.UK pagination component's parameters for a list shown a page at a time."""

from collections.abc import Callable
from typing import Any

from flask import request

LAST_PAGE = 100_000  # further than any list goes; a bigger number is page 1


def pagination(
    page: int, pages: int, href: Callable[[int], str], label: str
) -> dict[str, Any] | None:
    """Links to the first, last, previous, current and next pages (ellipses between), or
    None when everything fits on one page. `href(n)` is the address of page n."""
    if pages <= 1:
        return None
    numbers = sorted({1, pages, page - 1, page, page + 1} & set(range(1, pages + 1)))
    items: list[dict[str, Any]] = []
    for i, n in enumerate(numbers):
        if i and n - numbers[i - 1] > 1:
            items.append({"ellipsis": True})
        items.append({"number": n, "href": href(n), "current": n == page})
    params: dict[str, Any] = {"items": items, "landmarkLabel": label}
    if page > 1:
        params["previous"] = {"href": href(page - 1)}
    if page < pages:
        params["next"] = {"href": href(page + 1)}
    return params


def page_number() -> int:
    """The `page` the request asks for: a whole number from 1, else 1."""
    raw = request.args.get("page", "1")
    return int(raw) if raw.isdigit() and 0 < int(raw) < LAST_PAGE else 1
