"""Command groups: `flask seed`, `flask geo`, `flask directory` and `flask notify`."""

import click
from flask import Flask

from notify.demo_cli import demo
from notify.geography.cli import directory_import_contacts, geo_import_onspd, seed_reference
from notify.notifications.cli import notify


@click.group(help="Load reference data and the demo data set.")
def seed() -> None:
    pass


@click.group(help="Postcodes and geography.")
def geo() -> None:
    pass


@click.group(help="The directory of authorities, health bodies and contacts.")
def directory() -> None:
    pass


seed.add_command(seed_reference)
seed.add_command(demo)
geo.add_command(geo_import_onspd)
directory.add_command(directory_import_contacts)


def init_app(app: Flask) -> None:
    for group in (seed, geo, directory, notify):
        app.cli.add_command(group)
