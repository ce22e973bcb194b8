"""Acknowledgements of the notifications we sent: by the emailed link, by the API, or recorded
by hand by SQA (link: the recipient's pages; views: SQA's; api, schemas)."""

from flask import Flask


def init_app(app: Flask) -> None:
    from notify.acknowledgements import link, views
    from notify.auth import PUBLIC_ENDPOINTS

    app.register_blueprint(views.bp)
    # The link's signed, expiring token is its credential: its recipient has no sign-in here.
    PUBLIC_ENDPOINTS.update(link.PUBLIC_ENDPOINTS)
