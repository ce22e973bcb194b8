"""The demo data set: our children (`children`), other authorities' children placed here
(`hosted`), and `flask seed demo` (`cli`). Never for production: the command refuses there."""

from flask import Flask


def init_app(app: Flask) -> None:
    from notify.cli import seed
    from notify.demo import cli

    seed.add_command(cli.demo)
