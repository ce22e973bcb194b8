"""Acknowledgements of the notifications we sent: by the emailed link, by the API, or recorded
by hand by SQA (views, api, schemas, service)."""

from flask import Flask


def init_app(app: Flask) -> None:
    from notify.acknowledgements import reading, views
    from notify.auth import PUBLIC_ENDPOINTS

    app.register_blueprint(views.bp)
    # The link's signed, expiring token is its credential: its recipient has no sign-in here.
    PUBLIC_ENDPOINTS.add(views.LINK_ENDPOINT)
    PUBLIC_ENDPOINTS.update(reading.READ_ENDPOINTS)
