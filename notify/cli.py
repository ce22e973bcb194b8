"""`flask seed`: the command group that two features share (reference data, the demo)."""

import click
from flask import Flask


@click.group(help="Load reference data and the demo data set.")
def seed() -> None:
    pass


def init_app(app: Flask) -> None:
    app.cli.add_command(seed)
