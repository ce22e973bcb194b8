"""The start page, the navigation, and the public "About the data" page."""

from dataclasses import dataclass
from typing import Any

from flask import Blueprint, Flask, redirect, render_template, url_for
from flask_login import current_user
from govuk_frontend_wtf.main import WTFormsHelpers

from notify.config import ROOT

bp = Blueprint("pages", __name__)


@dataclass(frozen=True)
class NavItem:
    text: str
    endpoint: str
    roles: frozenset[str] | None = None  # None: everyone signed in

    @property
    def href(self) -> str:
        return url_for(self.endpoint)


# Features add their entries here in their own init_app, in the order they should appear.
NAVIGATION: list[NavItem] = []


def add_navigation(text: str, endpoint: str, roles: set[str] | None = None) -> None:
    if all(item.endpoint != endpoint for item in NAVIGATION):
        NAVIGATION.append(NavItem(text, endpoint, frozenset(roles) if roles else None))


def navigation_items() -> list[NavItem]:
    role = current_user.role
    return [i for i in NAVIGATION if i.roles is None or role in i.roles or role == "admin"]


@bp.get("/")
def home() -> Any:
    items = navigation_items()
    if items:
        return redirect(items[0].href)
    return render_template("views/pages/home.html")


@bp.get("/about-the-data")
def about_data() -> Any:
    attribution = (ROOT / "seeds" / "ATTRIBUTION.md").read_text(encoding="utf-8")
    return render_template("views/pages/about_data.html", attribution=attribution)


def init_app(app: Flask) -> None:
    WTFormsHelpers(app)
    app.register_blueprint(bp)
    app.add_template_global(navigation_items)
