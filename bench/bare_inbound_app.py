"""The baseline for bench_inbound.py: a bare Flask app that parses a posted notice and stores
it with one raw INSERT, in the same database as the real app, and nothing else.

    DATABASE_URL=... gunicorn --workers 2 'bench.bare_inbound_app:create_app()'

No key, no validation, no audit row, no reply but the reference: the least an endpoint can do
and still keep what it was sent, so the real API's rate can be read as a share of it.
"""

import os
from typing import Any

from flask import Flask, request
from sqlalchemy import Column, Integer, MetaData, String, Table, Text, create_engine, text
from sqlalchemy.engine import Engine

metadata = MetaData()
notices = Table(
    "bare_inbound_notices",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("reference", String(100), nullable=False),
    Column("body", Text, nullable=False),
)
INSERT = text("INSERT INTO bare_inbound_notices (reference, body) VALUES (:reference, :body)")


def create_table(engine: Engine) -> None:
    """Make the baseline's table, beside the real app's, before the servers start."""
    metadata.create_all(engine)


def create_app() -> Flask:
    """The bare app, on the database in DATABASE_URL."""
    # The real app's database file is already in WAL mode (it persists in the file), and
    # pysqlite waits 5 s for a lock by default, as the real app's busy_timeout does.
    engine = create_engine(os.environ["DATABASE_URL"])
    app = Flask(__name__)

    @app.post("/notices")
    def receive() -> Any:
        body = request.get_json()
        with engine.begin() as connection:
            connection.execute(
                INSERT, {"reference": body["reference"], "body": request.get_data(as_text=True)}
            )
        return {"reference": body["reference"]}, 201

    @app.get("/health")
    def health() -> Any:
        return {"status": "ok"}

    return app
