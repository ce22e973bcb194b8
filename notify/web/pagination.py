"""The GOV.UK pagination component's parameters for a list shown a page at a time."""

from collections.abc import Callable
from typing import Any


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
