"""The start page, the navigation, and the public "About the data" page."""

from dataclasses import dataclass
from typing import Any

from flask import Blueprint, Flask, current_app, redirect, render_template, url_for
from flask_login import current_user
from govuk_frontend_wtf.main import WTFormsHelpers

from notify.config import ROOT
from notify.extensions import db
from notify.geography.store import adjoining_list

bp = Blueprint("pages", __name__)


@dataclass(frozen=True)
class NavItem:
    text: str
    endpoint: str
    roles: frozenset[str] | None = None  # None: everyone signed in
    for_admin: bool = True  # admins hold every role, but need not see every role's home

    @property
    def href(self) -> str:
        return url_for(self.endpoint)


# Features add their entries here in their own init_app, in the order they should appear.
NAVIGATION: list[NavItem] = []


def add_navigation(
    text: str, endpoint: str, roles: set[str] | None = None, *, for_admin: bool = True
) -> None:
    if all(item.endpoint != endpoint for item in NAVIGATION):
        NAVIGATION.append(NavItem(text, endpoint, frozenset(roles) if roles else None, for_admin))


def navigation_items() -> list[NavItem]:
    role = current_user.role
    return [
        i
        for i in NAVIGATION
        if i.roles is None or role in i.roles or (role == "admin" and i.for_admin)
    ]


# Each role's home page, the list of its work (set by the feature that serves it); else the
# first page of the role's navigation.
ROLE_HOMES: dict[str, str] = {}


def set_home(role: str, endpoint: str) -> None:
    ROLE_HOMES.setdefault(role, endpoint)


@bp.get("/")
def home() -> Any:
    if current_user.role in ROLE_HOMES:
        return redirect(url_for(ROLE_HOMES[current_user.role]))
    items = navigation_items()
    if items:
        return redirect(items[0].href)
    return render_template("views/pages/home.html")


@dataclass(frozen=True)
class FooterLink:
    text: str
    href: str


def footer_links() -> list[FooterLink]:
    """The council's own footer links: its settings, else this service's short pages."""
    config = current_app.config
    return [
        FooterLink("Privacy notice", config.get("PRIVACY_NOTICE_URL") or url_for("pages.privacy")),
        FooterLink(
            "Accessibility statement",
            config.get("ACCESSIBILITY_STATEMENT_URL") or url_for("pages.accessibility"),
        ),
        FooterLink("Contact", config.get("CONTACT_URL") or url_for("pages.contact")),
        FooterLink("About the data", url_for("pages.about_data")),
    ]


@bp.get("/privacy")
def privacy() -> Any:
    return render_template("views/pages/privacy.html")


@bp.get("/accessibility")
def accessibility() -> Any:
    return render_template("views/pages/accessibility.html")


@bp.get("/contact")
def contact() -> Any:
    return render_template("views/pages/contact.html")


@bp.get("/about-the-data")
def about_data() -> Any:
    attribution = (ROOT / "seeds" / "ATTRIBUTION.md").read_text(encoding="utf-8")
    home = current_app.config["HOME_AUTHORITY"]
    neighbours = adjoining_list(db.session(), home)
    return render_template(
        "views/pages/about_data.html", attribution=attribution, neighbours=neighbours
    )


def init_app(app: Flask) -> None:
    WTFormsHelpers(app)
    app.register_blueprint(bp)
    app.add_template_global(navigation_items)
    app.add_template_global(footer_links)
