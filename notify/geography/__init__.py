"""Postcode → district → children's services authority and health body, as at a day;
successions and reorganisations; distance; ONSPD import.

postcode.py, index.py and distance.py are pure; store.py, reference.py and reorganisation.py
read and write the reference tables through a SQLAlchemy session. Notices in flight when a
body ends: notify/notifications/successions.py; their page: notify/dashboard/ended_bodies.py.
"""

from flask import Flask


def init_app(app: Flask) -> None:
    from notify.cli import seed
    from notify.geography import cli

    seed.add_command(cli.seed_reference)
    app.cli.add_command(cli.geo)
