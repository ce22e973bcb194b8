"""Logs as JSON lines, one object a record, so that the identifiers code passes in `extra`
(notification, child and user ids; never names, dates of birth or postcodes) reach the
output as fields a log platform can search."""

import logging

from flask import Flask
from pythonjsonlogger.json import JsonFormatter

FIELDS = "%(asctime)s %(levelname)s %(name)s %(message)s"


class _JsonHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Marks our handler, so that building a second app does not add another."""


def init_app(app: Flask) -> None:
    logger = logging.getLogger("notify")
    logger.setLevel(app.config.get("LOG_LEVEL", "INFO"))
    if not any(isinstance(h, _JsonHandler) for h in logger.handlers):
        handler = _JsonHandler()
        handler.setFormatter(JsonFormatter(FIELDS, rename_fields={"levelname": "level"}))
        logger.addHandler(handler)
